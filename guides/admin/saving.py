"""Admin forms written by one service call, and refusals shown on the form.

A ModelAdmin with ``ServiceSaveAdminMixin`` writes nothing itself:
``save_model`` and ``save_formset`` do nothing, and the admin's own
``save_related`` hands the form's object and its inline rows
(``formset_rows``) to one service, which validates, records one revision
tagged with the tenant and schedules the effects. The admin's
``delete_model`` and ``delete_queryset`` call the service's delete.

When the service refuses (``refused_on_form`` turns its ValidationError into
``SaveRefused``), the transaction rolls back and the same POST is shown again
as an invalid form: everything typed stays, the reason is on top or on its
field. ``tests/admin/test_write_path.py`` holds every registered admin to this.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator

from django import forms
from django.contrib.admin.models import LogEntry
from django.core.exceptions import (
    NON_FIELD_ERRORS,
    FieldDoesNotExist,
    ValidationError,
)
from django.utils.text import capfirst


class SaveRefused(Exception):
    """A service refused an admin save; the form is shown again.

    ``post`` replaces values of the re-shown form (after a concurrent save,
    the version the editor now overwrites if they save again).
    """

    def __init__(self, error: ValidationError, *, post: dict[str, str] | None = None):
        self.error = error
        self.post = post or {}
        super().__init__(" ".join(error.messages))


@contextlib.contextmanager
def refused_on_form() -> Iterator[None]:
    """Turn a service's ValidationError into ``SaveRefused`` for the admin."""
    try:
        yield
    except ValidationError as exc:
        raise SaveRefused(exc) from exc


def formset_rows(formset) -> list[dict]:
    """Return an inline formset's rows as the services take them.

    Kept rows come in the order of their ``sort_order`` box (ties keep the
    page order); deleted ones are left out, so the service deletes them.
    Unchanged rows carry only their id, so nothing about them is rewritten.
    """
    fk_name = formset.fk.name
    deleted = formset.deleted_forms
    skip = {"id", "DELETE", "ORDER", "sort_order", fk_name}
    rows = []
    for index, form in enumerate(formset.forms):
        pk = form.instance.pk
        if form in deleted:
            continue
        if pk is None and not form.has_changed():
            continue
        item = {"id": pk} if pk is not None else {}
        if pk is None or form.has_changed():
            item.update(
                (name, value)
                for name, value in form.cleaned_data.items()
                if name not in skip
            )
        order = form.cleaned_data.get("sort_order")
        rows.append((order if order is not None else 0, index, item))
    # What construct_change_message reports (formset.save() is not called).
    formset.new_objects = [
        f.instance for f in formset.forms if f.instance.pk is None and f.has_changed()
    ]
    formset.changed_objects = [
        (f.instance, f.changed_data)
        for f in formset.initial_forms
        if f.has_changed() and f not in deleted
    ]
    formset.deleted_objects = [
        f.instance for f in formset.initial_forms if f in deleted
    ]
    return [item for _order, _index, item in sorted(rows, key=lambda r: r[:2])]


def add_refusal(form: forms.BaseForm, error: ValidationError) -> None:
    """Put a service's refusal on ``form``: on its field, or on top."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    model = form._meta.model
    for name, errors in error.error_dict.items():
        messages = ValidationError(errors).messages
        if name in form.fields:
            form.add_error(name, messages)
            continue
        if name != NON_FIELD_ERRORS:
            try:
                label = capfirst(model._meta.get_field(name).verbose_name)
            except FieldDoesNotExist:
                label = name
            messages = [f"{label}: {message}" for message in messages]
        form.add_error(None, messages)


def refused_form(form_class, error: ValidationError):
    """Return ``form_class`` that is invalid with ``error`` once cleaned."""

    class RefusedForm(form_class):
        def clean(self):
            cleaned = super().clean()
            add_refusal(self, error)
            return cleaned

    RefusedForm.__name__ = form_class.__name__
    return RefusedForm


class ServiceSaveAdminMixin:
    """Save the change form through one service call (see the module).

    Put it first in the bases. The admin defines ``save_related`` (the
    service call, inside ``refused_on_form``), ``delete_model`` and
    ``delete_queryset``.
    """

    @contextlib.contextmanager
    def create_revision(self, request):
        """Open reversion's revision only around reversion's own views.

        The services record their own revision, one per write, tagged with
        the tenant; an outer one would swallow them (a "delete selected"
        would record every article in one untagged revision). Reversion's
        revert and recover views write themselves, so they keep theirs.
        """
        match = request.resolver_match
        if match and (match.url_name or "").endswith(("_revision", "_recover")):
            with super().create_revision(request):
                yield
            return
        yield

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except SaveRefused as refused:
            # The transaction rolled back; show the form again with everything
            # that was typed and the reason.
            request._service_save_refused = refused.error
            if refused.post:
                request.POST = request.POST.copy()
                for name, value in refused.post.items():
                    request.POST[name] = value
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        refusal = getattr(request, "_service_save_refused", None)
        if refusal is not None:
            form = refused_form(form, refusal)
        return form

    def save_model(self, request, obj, form, change):
        """Write nothing yet: ``save_related`` saves it with its inline rows."""

    def save_formset(self, request, form, formset, change):
        """Write nothing: the rows go to the service with their object."""

    def change_comment(self, request, form, formsets, change) -> str:
        """Return the revision comment: the admin's own change message."""
        message = self.construct_change_message(request, form, formsets, not change)
        return LogEntry(change_message=json.dumps(message)).get_change_message()
