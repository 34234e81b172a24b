"""Help-center settings in the admin: the tenant, its domains and its members.

A manager edits the tenant of the request's host and nothing else: its
settings, its domains and who may edit it. Superusers see and edit every
tenant. Other tenants' rows answer 404, exactly like rows that do not exist.
Every change is versioned with django-reversion and its revision is tagged
with the tenant (``guides.services.revisions.tag_revision``); the history views check
that tag, as for the other versioned admins.

The admin header's help-center switcher (``templates/admin/base_site.html``)
lists the other tenants a user may administer, from
``guides.selectors.admin.switcher_tenants``."""

from __future__ import annotations

import reversion
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpResponseRedirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from reversion.models import Version

from guides import permissions
from guides.admin.history import change_url
from guides.admin.mixins import TenantVersionAdmin
from guides.cache.generations import bump_content_generation
from guides.models import Domain, Membership, RevisionMeta, Tenant, normalize_host
from guides.models.tenants import validate_hostname
from guides.permissions import MANAGER
from guides.services import is_last_manager, last_manager_message, lock_tenant
from guides.tenancy.resolver import forget_tenant_hosts


def _request_host(request) -> str:
    # The header TenantMiddleware resolved the tenant from.
    return normalize_host(
        request.META.get("HTTP_HOST") or request.META.get("SERVER_NAME", "")
    )


class _NotFoundMixin:
    """Answer 404 for a row outside the user's queryset.

    Django redirects to the index with "doesn't exist" instead; another
    tenant's row must answer exactly like a missing one, and plainly.
    """

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        raise Http404(gettext("No such object in this help center."))


class _SettingsVersionAdmin(_NotFoundMixin, TenantVersionAdmin):
    """Base of the tenant and membership admins: managers and superusers.

    Superusers see every tenant, so their version checks accept any tenant's
    versions of the admin's own model; managers get their tenant's only.
    """

    # Reversion's list links "recover deleted", which answers 404 here.
    change_list_template = "admin/change_list.html"
    # No bulk delete: the delete page checks the last manager and versions it.
    actions = None

    def _tenant_version(self, request, version_id, object_id=None) -> Version:
        filters = {
            "pk": version_id,
            "content_type": ContentType.objects.get_for_model(self.model),
        }
        if not permissions.is_superuser(request):
            filters["revision__meta__tenant"] = request.tenant
        if object_id is not None:
            filters["object_id"] = unquote(object_id)
        try:
            return Version.objects.get(**filters)
        except (Version.DoesNotExist, ValueError):
            raise Http404(gettext("No such version in this help center.")) from None

    def revision_view(self, request, object_id, version_id, extra_context=None):
        # Reversion writes the old version before the form's permission
        # checks run; the role must be the one the user had before that.
        permissions.request_role(request)
        return super().revision_view(request, object_id, version_id, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        permissions.request_role(request)
        return super().recover_view(request, version_id, extra_context)

    def has_module_permission(self, request):
        return permissions.can_manage(request)

    def has_view_permission(self, request, obj=None):
        return permissions.can_manage(request) and self._reaches(request, obj)

    def has_change_permission(self, request, obj=None):
        return permissions.can_manage(request) and self._reaches(request, obj)

    def _reaches(self, request, obj) -> bool:
        raise NotImplementedError


def _language_choices():
    return settings.LANGUAGES


class HostListField(forms.CharField):
    """A list of host names, typed one a line (or separated by commas)."""

    widget = forms.Textarea(attrs={"rows": 3, "cols": 40})

    def prepare_value(self, value):
        if isinstance(value, (list, tuple)):
            return "\n".join(value)
        return value

    def to_python(self, value):
        text = super().to_python(value) or ""
        hosts = []
        for host in text.replace(",", " ").split():
            host = host.lower().rstrip(".")
            if host not in hosts:
                hosts.append(host)
        return hosts

    def validate(self, value):
        super().validate(value)
        invalid = []
        for host in value:
            try:
                validate_hostname(host)
            except ValidationError:
                invalid.append(host)
        if invalid:
            raise ValidationError(
                _(
                    "Not a host name: %(hosts)s. Type one host name a line, like "
                    "cdn.example.com (no scheme, path or port)."
                ),
                params={"hosts": ", ".join(invalid)},
                code="invalid_host",
            )


class TenantAdminForm(forms.ModelForm):
    languages = forms.MultipleChoiceField(
        label=_("enabled languages"),
        choices=_language_choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Enable at least one language.")},
    )
    link_allowlist = HostListField(
        label=_("allowed link hosts"),
        required=False,
        help_text=_(
            "Extra host names that imported links and images may point to, one a "
            "line; the help center's domains and its carriers' websites are "
            "always allowed."
        ),
    )

    class Meta:
        model = Tenant
        fields = (
            "name",
            "slug",
            "languages",
            "default_language",
            "logo",
            "primary_color",
            "link_allowlist",
        )

    def clean_languages(self):
        chosen = set(self.cleaned_data["languages"])
        # Stored in the installation's order; the default is shown first anyway.
        return [code for code, _name in settings.LANGUAGES if code in chosen]

    def clean_logo(self):
        logo = (self.cleaned_data.get("logo") or "").strip()
        if not logo:
            return logo
        if logo.startswith("/static/") and "//" not in logo and "\\" not in logo:
            return logo
        try:
            URLValidator(schemes=["https"])(logo)
        except ValidationError:
            raise ValidationError(
                _("Use an absolute https URL or a path under /static/."),
                code="invalid_logo",
            ) from None
        return logo


class DomainForm(forms.ModelForm):
    class Meta:
        model = Domain
        fields = ("host", "is_primary")

    def clean_host(self):
        # Case and a trailing dot are forgiven, as in services.tenant_create.
        return (self.cleaned_data.get("host") or "").strip().lower().rstrip(".")

    def validate_constraints(self):
        # One primary domain per tenant is checked by the formset over the
        # whole submission: row by row, moving the primary to another domain
        # would be refused because the old row is still primary in the table.
        exclude = self._get_validation_exclusions() | {"tenant"}
        try:
            self.instance.validate_constraints(exclude=exclude)
        except ValidationError as exc:
            self._update_errors(exc)


class DomainInlineFormSet(BaseInlineFormSet):
    """Check the domains the tenant will have once the form is saved.

    The check reads the tenant's rows from the table and applies the
    submission to them, so a form that leaves rows out (a crafted request)
    is judged on the real result: at least one domain, exactly one primary,
    and the host the user is signed in through is kept.
    """

    request_host = ""
    request_tenant_id = None

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        tenant = self.instance
        before: dict = {}
        if tenant.pk is not None:
            lock_tenant(tenant.pk)
            before = {
                d.pk: (d.host, d.is_primary)
                for d in Domain.objects.filter(tenant=tenant)
            }
        after = dict(before)
        for index, form in enumerate(self.forms):
            pk = form.instance.pk
            if self._should_delete_form(form):
                after.pop(pk, None)
                continue
            if pk is None and not form.has_changed():
                continue
            if pk is not None and pk not in before:
                continue  # not this tenant's row; the formset never saves it
            data = form.cleaned_data
            after[pk if pk is not None else ("new", index)] = (
                data["host"],
                bool(data.get("is_primary")),
            )
        errors = []
        if not after:
            errors.append(
                ValidationError(
                    _("A help center needs at least one domain."), code="no_domain"
                )
            )
        primaries = sum(1 for _host, primary in after.values() if primary)
        if after and primaries > 1:
            errors.append(
                ValidationError(
                    _("Only one domain can be the primary domain."),
                    code="several_primary",
                )
            )
        elif after and primaries == 0:
            errors.append(
                ValidationError(
                    _("Mark one domain as the primary domain."), code="no_primary"
                )
            )
        # The request's host resolved to this tenant, so it is one of its
        # domains (or was, before a revert rewrote the table in this request).
        host = self.request_host
        if (
            tenant.pk is not None
            and tenant.pk == self.request_tenant_id
            and host not in {h for h, _primary in after.values()}
        ):
            errors.append(
                ValidationError(
                    _(
                        "You are signed in through %(host)s, so it cannot be "
                        "removed or renamed here. Sign in on another domain of "
                        "this help center to change it."
                    ),
                    params={"host": host},
                    code="domain_in_use",
                )
            )
        if errors:
            raise ValidationError(errors)


class DomainInline(admin.TabularInline):
    model = Domain
    form = DomainForm
    formset = DomainInlineFormSet
    fields = ("host", "is_primary")
    extra = 1

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        return type(
            formset.__name__,
            (formset,),
            {
                "request_host": _request_host(request),
                "request_tenant_id": request.tenant.pk,
            },
        )

    # The parent admin decides which tenants are reachable.
    def has_view_permission(self, request, obj=None):
        return permissions.can_manage(request)

    has_add_permission = has_change_permission = has_delete_permission = (
        has_view_permission
    )


def _tenant_settings_committed(tenant_id: int) -> None:
    """Invalidate the host lookups and public pages once the change is visible.

    The post_save receivers (guides.receivers) already did this inside the
    transaction; a request served between that and the commit may have cached
    the old settings under the new generation, so it is done again here.
    """
    forget_tenant_hosts([], tenant_id=tenant_id)
    bump_content_generation(tenant_id)


@admin.register(Tenant)
class TenantAdmin(_SettingsVersionAdmin):
    """A help center's settings and domains: its managers, and superusers."""

    form = TenantAdminForm
    list_display = ("name", "slug", "default_language", "primary_color")
    inlines = (DomainInline,)
    fields = TenantAdminForm.Meta.fields

    def get_queryset(self, request):
        tenants = super().get_queryset(request)
        if permissions.is_superuser(request):
            return tenants
        if permissions.can_manage(request):
            return tenants.filter(pk=request.tenant.pk)
        return tenants.none()

    def _reaches(self, request, obj) -> bool:
        return (
            obj is None
            or permissions.is_superuser(request)
            or obj.pk == request.tenant.pk
        )

    def has_add_permission(self, request, *args):
        return permissions.is_superuser(request)

    def has_delete_permission(self, request, obj=None):
        return permissions.is_superuser(request)

    def get_readonly_fields(self, request, obj=None):
        # The slug names the tenant in commands and imports: superusers only.
        return () if permissions.is_superuser(request) else ("slug",)

    def get_prepopulated_fields(self, request, obj=None):
        return {"slug": ("name",)} if permissions.is_superuser(request) else {}

    def revision_view(self, request, object_id, version_id, extra_context=None):
        # A revert restores the slug too; a manager's revert keeps today's.
        request._tenant_slug = (
            Tenant.objects.filter(pk=unquote(object_id))
            .values_list("slug", flat=True)
            .first()
            if str(unquote(object_id)).isdigit()
            else None
        )
        return super().revision_view(request, object_id, version_id, extra_context)

    def save_model(self, request, obj, form, change):
        slug = getattr(request, "_tenant_slug", None)
        if slug and not permissions.is_superuser(request):
            obj.slug = slug
        # Not the tenant-owned mixin's save: a Tenant has no tenant to set.
        obj.save()

    def save_formset(self, request, form, formset, change):
        domains = formset.save(commit=False)
        for domain in formset.deleted_objects:
            domain.delete()
        # The table allows one primary domain per tenant at any moment: the
        # rows that stop being primary are written first.
        for domain in sorted(domains, key=lambda d: d.is_primary):
            domain.tenant = form.instance
            domain.save()
        formset.save_m2m()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        tenant_id = form.instance.pk
        transaction.on_commit(lambda: _tenant_settings_committed(tenant_id))


class MembershipAddForm(forms.ModelForm):
    """Add an existing user, found by the exact username or email typed.

    Never a list of users: that would show every tenant's editors.
    """

    user_identifier = forms.CharField(
        label=_("username or email address"),
        max_length=254,
        help_text=_("The exact username or email address of an existing user."),
    )

    #: The tenant of the request; a superuser's form has a tenant field instead.
    request_tenant = None

    class Meta:
        model = Membership
        fields = ("role",)

    def clean(self):
        cleaned = super().clean()
        tenant = (
            cleaned.get("tenant") if "tenant" in self.fields else self.request_tenant
        )
        identifier = (cleaned.get("user_identifier") or "").strip()
        if tenant is None or not identifier:
            return cleaned
        users = get_user_model()._default_manager.filter(is_active=True)
        user = users.filter(username=identifier).first()
        if user is None:
            matches = list(users.filter(email__iexact=identifier)[:2])
            if len(matches) > 1:
                self.add_error(
                    "user_identifier",
                    ValidationError(
                        _(
                            "Several users have this email address; type the "
                            "username instead."
                        ),
                        code="ambiguous_user",
                    ),
                )
                return cleaned
            user = matches[0] if matches else None
        if user is None:
            self.add_error(
                "user_identifier",
                ValidationError(
                    _("No active user has this username or email address."),
                    code="unknown_user",
                ),
            )
            return cleaned
        if Membership.objects.filter(tenant=tenant, user=user).exists():
            self.add_error(
                "user_identifier",
                ValidationError(
                    _("%(user)s is already a member of this help center."),
                    params={"user": user},
                    code="already_member",
                ),
            )
            return cleaned
        self.instance.user = user
        self.instance.tenant = tenant
        return cleaned


def _manager_ids(tenant_id: int) -> set[int]:
    return set(
        Membership.objects.filter(tenant_id=tenant_id, role=MANAGER).values_list(
            "pk", flat=True
        )
    )


class MembershipChangeForm(forms.ModelForm):
    #: The tenant's manager memberships when the request began; set by the
    #: admin before a revert, which changes the table before this form runs.
    managers_before: set[int] | None = None

    class Meta:
        model = Membership
        fields = ("role",)

    def clean_role(self):
        role = self.cleaned_data["role"]
        membership = self.instance
        if role == MANAGER or membership.pk is None:
            return role
        lock_tenant(membership.tenant_id)
        now = _manager_ids(membership.tenant_id)
        before = now if self.managers_before is None else self.managers_before
        if membership.pk in before and not now - {membership.pk}:
            raise ValidationError(last_manager_message(membership), code="last_manager")
        return role


@admin.register(Membership)
class MembershipAdmin(_SettingsVersionAdmin):
    """Who may edit a help center, and in which role (managers, superusers)."""

    list_select_related = ("user", "tenant")
    search_fields = ("user__username", "user__email")

    def get_queryset(self, request):
        memberships = super().get_queryset(request).select_related("user", "tenant")
        if permissions.is_superuser(request):
            return memberships
        if permissions.can_manage(request):
            return memberships.filter(tenant=request.tenant)
        return memberships.none()

    def _reaches(self, request, obj) -> bool:
        return (
            obj is None
            or permissions.is_superuser(request)
            or obj.tenant_id == request.tenant.pk
        )

    def has_add_permission(self, request, *args):
        return permissions.can_manage(request)

    def has_delete_permission(self, request, obj=None):
        return permissions.can_manage(request) and self._reaches(request, obj)

    @admin.display(description=_("email address"), ordering="user__email")
    def email(self, obj):
        return obj.user.email

    def get_list_display(self, request):
        if permissions.is_superuser(request):
            return ("user", "email", "tenant", "role")
        return ("user", "email", "role")

    def get_list_filter(self, request):
        return ("tenant", "role") if permissions.is_superuser(request) else ("role",)

    def get_fields(self, request, obj=None):
        fields = ["user_identifier", "role"] if obj is None else ["user", "role"]
        if permissions.is_superuser(request):
            fields.insert(0, "tenant")
        return fields

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else ("tenant", "user")

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("tenant", request.tenant.pk)
        return initial

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = MembershipChangeForm if obj is not None else MembershipAddForm
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is None:
            form.request_tenant = request.tenant
        else:
            form.managers_before = getattr(request, "_managers_before", None)
        return form

    def revision_view(self, request, object_id, version_id, extra_context=None):
        # The revert is written before the form is checked: remember who
        # managed the tenant, or reverting the last manager to an older role
        # would look like demoting a non-manager.
        tenant_id = (
            Membership.objects.filter(pk=unquote(object_id))
            .values_list("tenant_id", flat=True)
            .first()
            if str(unquote(object_id)).isdigit()
            else None
        )
        if tenant_id is not None:
            request._managers_before = _manager_ids(tenant_id)
        return super().revision_view(request, object_id, version_id, extra_context)

    def save_model(self, request, obj, form, change):
        if not change and not permissions.is_superuser(request):
            # Never from the form: a manager adds members to this tenant only.
            obj.tenant = request.tenant
        obj.save()
        if not change and not obj.user.is_staff:
            self.message_user(
                request,
                gettext(
                    "%(user)s cannot sign in to the admin until an administrator "
                    "marks their account as staff."
                )
                % {"user": obj.user},
                messages.WARNING,
            )

    def delete_view(self, request, object_id, extra_context=None):
        membership = self.get_object(request, unquote(object_id))
        if (
            membership is not None
            and self.has_delete_permission(request, membership)
            and is_last_manager(membership)
        ):
            self.message_user(request, last_manager_message(membership), messages.ERROR)
            return HttpResponseRedirect(change_url(self, membership))
        return super().delete_view(request, object_id, extra_context)

    def delete_model(self, request, obj):
        # Checked again under the tenant lock (delete_view runs in a transaction).
        if is_last_manager(obj):
            raise PermissionDenied(last_manager_message(obj))
        # The last state goes into a revision of its own before the row goes:
        # reversion drops versions of rows deleted inside their revision.
        with reversion.create_revision(atomic=False):
            reversion.set_user(request.user)
            reversion.set_comment(
                gettext("Removed %(user)s (%(role)s)")
                % {"user": obj.user, "role": obj.get_role_display()}
            )
            reversion.add_to_revision(obj)
            reversion.add_meta(
                RevisionMeta, tenant_id=obj.tenant_id, action=RevisionMeta.Action.DELETE
            )
        obj.delete()
