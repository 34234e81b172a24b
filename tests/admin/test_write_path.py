"""Every admin that can write sends its writes through ``guides.services``.

The checker walks ``admin.site._registry``. For each ModelAdmin whose class
could grant a write (a ``has_*_permission`` that is not just ``return
False``), every write hook it has for that permission must be defined in a
``guides.admin`` module, and its source (``ast``), with the admin's own
methods and module functions it calls, must reach ``guides.services`` and
make no write of its own (``obj.save()``, ``queryset.update()``,
``super().save_model()``, Django's default hooks, ...). A hook that does
nothing at all passes: it writes nothing (``save_model`` when the service
runs in ``save_related``). Admin actions, of the change list and of the
change form, are checked for every admin.

The second half builds throwaway admins on a throwaway ``AdminSite`` and
shows the checker fails each kind of bypass, so this test cannot pass by
checking nothing.
"""

from __future__ import annotations

import ast
import builtins
import functools
import inspect
import textwrap
from dataclasses import dataclass

import pytest
from django.contrib import admin
from django.contrib.admin import AdminSite
from django.contrib.admin.actions import delete_selected
from django.contrib.admin.options import ActionLocation

from guides import services
from guides.models import CardType
from guides.tenancy import TenantOwned

HOME = ("guides.admin",)
SERVICES = "guides.services"

#: The hooks the add and change forms write through, and the delete hooks of
#: the delete page and "delete selected".
FORM_HOOKS = ("save_model", "save_related", "save_formset")
DELETE_HOOKS = ("delete_model", "delete_queryset")
HOOKS = {*FORM_HOOKS, *DELETE_HOOKS}

#: Method names that write rows (model instances, querysets, managers, forms,
#: reversion versions, cursors).
WRITES = {
    "save",
    "delete",
    "update",
    "create",
    "bulk_create",
    "bulk_update",
    "get_or_create",
    "update_or_create",
    "save_m2m",
    "revert",
    "execute",
}

#: Apps whose admins hold installation-wide rows, not a tenant's, and are
#: reached by superusers only (members hold no model permissions): Django's
#: accounts and django-axes' login records. The write path of issue 10 is for
#: the help centers' data; these rows have no service to go through. An admin
#: of any other app is checked.
OUTSIDE_THE_WRITE_PATH = {
    "auth": "user accounts and groups of the installation",
    "axes": "login attempts and lockouts (django-axes)",
}


# --- the checker ------------------------------------------------------------------


def _function_def(func) -> ast.FunctionDef:
    source = textwrap.dedent(inspect.getsource(func))
    try:
        node = ast.parse(source).body[0]
    except (SyntaxError, IndexError):
        node = None
    # inspect reads the file as it is now: one edited since import misleads it.
    assert isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef), (
        f"cannot read the source of {func.__qualname__} in {func.__module__}"
    )
    return node


def _body(node: ast.FunctionDef) -> list[ast.stmt]:
    body = list(node.body)
    if (
        body
        and isinstance(body[0], ast.Expr)
        and isinstance(body[0].value, ast.Constant)
    ):
        body = body[1:]  # the docstring
    return body


def _does_nothing(node: ast.FunctionDef) -> bool:
    """Return whether the body is only ``pass``, ``...`` or ``return``."""
    return all(
        isinstance(stmt, ast.Pass)
        or (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant))
        or (
            isinstance(stmt, ast.Return)
            and (stmt.value is None or isinstance(stmt.value, ast.Constant))
            and getattr(stmt.value, "value", None) is None
        )
        for stmt in _body(node)
    )


def _only_refuses(func) -> bool:
    """Return whether a ``has_*_permission`` is just ``return False``."""
    body = _body(_function_def(func))
    return (
        len(body) == 1
        and isinstance(body[0], ast.Return)
        and isinstance(body[0].value, ast.Constant)
        and body[0].value.value is False
    )


def _at_home(func, home) -> bool:
    return getattr(func, "__module__", "").startswith(home)


def _is_service(value) -> bool:
    """Return whether ``value`` is a service function of ``guides.services``."""
    name = getattr(value, "__module__", "") or ""
    return inspect.isfunction(value) and (
        name == SERVICES or name.startswith(SERVICES + ".")
    )


def _resolve(node: ast.expr, scope: dict):
    """Return the object a ``Name`` or ``a.b.c`` chain names in ``scope``."""
    if isinstance(node, ast.Name):
        return scope.get(node.id, getattr(builtins, node.id, None))
    if isinstance(node, ast.Attribute):
        base = _resolve(node.value, scope)
        return getattr(base, node.attr, None) if base is not None else None
    return None


def _commit_false(call: ast.Call) -> bool:
    """Return whether the call is ``form.save(commit=False)``: it builds, it
    does not write."""
    return any(
        keyword.arg == "commit"
        and isinstance(keyword.value, ast.Constant)
        and keyword.value.value is False
        for keyword in call.keywords
    )


def _is_super_call(node: ast.expr) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "super"
    )


def _is_dict(node: ast.expr) -> bool:
    if isinstance(node, ast.IfExp):
        return _is_dict(node.body) and _is_dict(node.orelse)
    return isinstance(node, ast.Dict | ast.DictComp) or (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "dict"
    )


def _local_dicts(node: ast.FunctionDef) -> set[str]:
    """Return the local names only ever bound to dicts (their ``update`` is no
    write)."""
    bound: dict[str, bool] = {}
    for sub in ast.walk(node):
        if isinstance(sub, ast.Assign):
            for target in sub.targets:
                if isinstance(target, ast.Name):
                    bound[target.id] = bound.get(target.id, True) and _is_dict(
                        sub.value
                    )
    return {name for name, is_dict in bound.items() if is_dict}


@dataclass
class Reach:
    """What a hook, with what it calls at home, does."""

    services: bool = False
    writes: list[str] | None = None


def _follow(func, admin_class, home, seen: set) -> Reach:
    """Walk ``func`` and the home methods and functions it calls."""
    reach = Reach(writes=[])
    if func in seen:
        return reach
    seen.add(func)
    scope = getattr(func, "__globals__", {})
    node = _function_def(func)
    name = func.__qualname__
    dicts = _local_dicts(node)
    for sub in ast.walk(node):
        if not isinstance(sub, ast.Call):
            continue
        callee = sub.func
        # A service called here, or handed to a helper that calls it.
        handed = [*sub.args, *(keyword.value for keyword in sub.keywords)]
        if any(_is_service(_resolve(expr, scope)) for expr in [callee, *handed]):
            reach.services = True
            continue
        if isinstance(callee, ast.Attribute):
            if _is_super_call(callee.value) and callee.attr in HOOKS:
                reach.writes.append(f"{name} calls super().{callee.attr}()")
                continue
            if isinstance(callee.value, ast.Name) and callee.value.id == "self":
                target = getattr(admin_class, callee.attr, None)
                if callee.attr in HOOKS and not _at_home(target, home):
                    reach.writes.append(f"{name} calls Django's self.{callee.attr}()")
                    continue
                if inspect.isfunction(target) and _at_home(target, home):
                    found = _follow(target, admin_class, home, seen)
                    reach.services |= found.services
                    reach.writes += found.writes
                continue
            on_dict = isinstance(callee.value, ast.Name) and callee.value.id in dicts
            if callee.attr in WRITES and not on_dict and not _commit_false(sub):
                reach.writes.append(f"{name} calls .{callee.attr}()")
                continue
        target = _resolve(callee, scope)
        if isinstance(target, functools.partial):
            target = target.func
        if inspect.isfunction(target) and _at_home(target, home):
            found = _follow(target, admin_class, home, seen)
            reach.services |= found.services
            reach.writes += found.writes
    return reach


def _examine(label: str, func, admin_class, home) -> tuple[list[str], bool]:
    """Return the hook's own writes (as problems) and whether it reaches a
    service."""
    where = f"{label}: {getattr(func, '__qualname__', func)}"
    if not _at_home(func, home):
        return [f"{where} is {func.__module__}'s own, which writes itself"], False
    if _does_nothing(_function_def(func)):
        return [], False
    reach = _follow(func, admin_class, home, set())
    return [f"{label}: {write}" for write in reach.writes], reach.services


def write_path_problems(site: AdminSite, *, home=HOME, skip_apps=()) -> list[str]:
    """Return every write of ``site``'s admins that bypasses the services.

    The add and change forms run ``save_model``, ``save_related`` and (from
    Django's ``save_related``) ``save_formset`` in turn: none may write on
    its own, and one of them must call the service. ``delete_model``,
    ``delete_queryset`` and each action are entry points of their own: each
    must call a service and write nothing itself.
    """
    problems = []
    for model, model_admin in site._registry.items():
        if model._meta.app_label in skip_apps:
            continue
        admin_class = type(model_admin)
        label = f"{model._meta.label} ({admin_class.__name__})"
        grants = {
            perm
            for perm in ("add", "change", "delete")
            if not _only_refuses(getattr(admin_class, f"has_{perm}_permission"))
        }
        entry_points = []
        if grants & {"add", "change"}:
            form_reaches = False
            for hook in FORM_HOOKS:
                found, reaches = _examine(
                    label, getattr(admin_class, hook), admin_class, home
                )
                problems += found
                form_reaches |= reaches
            if not form_reaches:
                problems.append(
                    f"{label}: none of {', '.join(FORM_HOOKS)} calls guides.services"
                )
        if "delete" in grants:
            entry_points += [(label, getattr(admin_class, h)) for h in DELETE_HOOKS]
        actions = {
            (action.func, action.name)
            for location in ActionLocation
            for action in model_admin._get_base_actions(location)
        }
        for func, name in sorted(actions, key=lambda action: action[1]):
            if func is not delete_selected:  # it writes through delete_queryset
                entry_points.append((f"{label} action {name}", func))
        for where, func in entry_points:
            found, reaches = _examine(where, func, admin_class, home)
            problems += found
            if not reaches and not found:
                problems.append(
                    f"{where}: {func.__qualname__} does not call guides.services"
                )
    return problems


# --- the project's admin ------------------------------------------------------------


def test_every_admin_that_can_write_goes_through_the_services():
    problems = write_path_problems(admin.site, skip_apps=OUTSIDE_THE_WRITE_PATH)
    assert problems == [], "\n".join(problems)


def test_the_checker_sees_every_guides_admin_and_skips_no_tenant_data():
    registered = set(admin.site._registry)
    guides = {m.__name__ for m in registered if m._meta.app_label == "guides"}
    assert {"Article", "Carrier", "CardType", "SynonymGroup", "Feedback"} <= guides
    assert "guides" not in OUTSIDE_THE_WRITE_PATH
    skipped = [m for m in registered if m._meta.app_label in OUTSIDE_THE_WRITE_PATH]
    assert skipped and not [m for m in skipped if issubclass(m, TenantOwned)]


# --- the checker fails a bypass ------------------------------------------------------

HERE = (__name__,)


class Compliant(admin.ModelAdmin):
    """Writes through the services only (Django's model permissions grant)."""

    actions = ("rename_selected",)

    def save_model(self, request, obj, form, change):
        """Written in save_related."""

    def save_formset(self, request, form, formset, change):
        pass

    def save_related(self, request, form, formsets, change):
        services.card_type_save(card_type=form.instance, user=request.user)

    def delete_model(self, request, obj):
        _delete(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)

    @admin.action(description="Rename")
    def rename_selected(self, request, queryset):
        for obj in queryset:
            obj.slug += "-renamed"
            services.card_type_save(card_type=obj, user=request.user)


def _delete(request, obj):
    services.card_type_delete(card_type=obj, user=request.user)


class SavesItself(Compliant):
    def save_model(self, request, obj, form, change):
        obj.save()


class CallsTheServiceAndDjango(Compliant):
    def save_related(self, request, form, formsets, change):
        services.card_type_save(card_type=form.instance, user=request.user)
        super().save_related(request, form, formsets, change)


class KeepsDjangosDelete(Compliant):
    delete_queryset = admin.ModelAdmin.delete_queryset


class DeletesThroughAHelper(Compliant):
    def delete_model(self, request, obj):
        services.card_type_delete(card_type=obj, user=request.user)
        self._purge(obj)

    def _purge(self, obj):
        type(obj).objects.filter(pk=obj.pk).delete()


class DelegatesToDjango(Compliant):
    delete_model = admin.ModelAdmin.delete_model


class UpdatesInAnAction(Compliant):
    @admin.action(description="Rename")
    def rename_selected(self, request, queryset):
        queryset.update(slug="renamed")


class ForgetsTheService(Compliant):
    def save_related(self, request, form, formsets, change):
        form.instance.full_clean()


class ReadOnly(admin.ModelAdmin):
    """Refuses every write: Django's own hooks are never reached."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def problems_of(admin_class) -> list[str]:
    site = AdminSite(name=f"throwaway_{admin_class.__name__.lower()}")
    site.register(CardType, admin_class)
    return write_path_problems(site, home=HERE)


@pytest.mark.parametrize("admin_class", [Compliant, ReadOnly])
def test_the_checker_passes_admins_that_write_through_services_or_not_at_all(
    admin_class,
):
    assert problems_of(admin_class) == []


@pytest.mark.parametrize(
    ("admin_class", "expected"),
    [
        (SavesItself, "SavesItself.save_model calls .save()"),
        (CallsTheServiceAndDjango, "calls super().save_related()"),
        (KeepsDjangosDelete, "ModelAdmin.delete_queryset is django"),
        (DeletesThroughAHelper, "DeletesThroughAHelper._purge calls .delete()"),
        (DelegatesToDjango, "calls Django's self.delete_model()"),
        (UpdatesInAnAction, "action rename_selected: "),
        (ForgetsTheService, "none of save_model, save_related, save_formset calls"),
    ],
)
def test_the_checker_fails_a_hook_that_bypasses_the_services(admin_class, expected):
    problems = problems_of(admin_class)
    assert problems, f"{admin_class.__name__} passed the checker"
    assert any(expected in problem for problem in problems), problems
