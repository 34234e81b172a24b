"""Help-center settings in the admin: the tenant, its domains, members, invitations.

A manager edits the tenant of the request's host and nothing else: its
settings, its domains (and the proof that a new one is theirs), who may edit
it, and whom it invites. Superusers edit every tenant's settings; members
and invitations are always those of the request's tenant, never a list
across tenants. Other tenants' rows answer 404, exactly like rows that do
not exist. The rules live in the services (``guides.services.tenants`` and
``guides.services.members``): forms ask them for the errors to show next to
what was typed, and the save hooks call them to write. Each write is one
revision tagged with the tenant.

The admin header's help-center switcher (``templates/admin/base_site.html``)
lists the other tenants a user may administer, from
``guides.selectors.admin.switcher_tenants``.
"""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model, login
from django.contrib.auth.forms import AuthenticationForm, SetPasswordForm
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.formats import localize
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from reversion.models import Version

from guides import permissions, services
from guides.admin.history import change_url
from guides.admin.mixins import TenantVersionAdmin
from guides.models import Domain, Invitation, Membership, Tenant, normalize_host
from guides.models.tenants import default_languages, validate_hostname
from guides.services.members import invitation_max_age, invited_user_matches
from guides.services.tenants import clean_host, grants
from guides.tenancy.verification import instructions

#: The backend a new account is signed in with (the project's own users).
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


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


class _MembersOnlyMixin:
    """Answer 404 to anyone who is not a member of the request's tenant.

    To them the tenant's settings pages do not exist, as another tenant's
    rows do not; a member without the role is refused (403) as usual.
    """

    def _require_member(self, request) -> None:
        if not permissions.is_member(request):
            raise Http404(gettext("No such page in this help center."))

    def changelist_view(self, request, extra_context=None):
        self._require_member(request)
        return super().changelist_view(request, extra_context)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        self._require_member(request)
        return super().changeform_view(request, object_id, form_url, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        self._require_member(request)
        return super().delete_view(request, object_id, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        self._require_member(request)
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        return super().history_view(request, object_id, extra_context)


class _SettingsVersionAdmin(_MembersOnlyMixin, _NotFoundMixin, TenantVersionAdmin):
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
            filters["object_id"] = unquote(str(object_id))
        try:
            return Version.objects.select_related("revision").get(**filters)
        except (Version.DoesNotExist, ValueError, TypeError):
            raise Http404(gettext("No such version in this help center.")) from None

    def revision_view(self, request, object_id, version_id, extra_context=None):
        # Reversion writes the old version before the form's permission
        # checks run; the role must be the one the user had before that.
        self._require_member(request)
        return super().revision_view(request, object_id, version_id, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        self._require_member(request)
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


# --- the tenant and its domains ------------------------------------------------------


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
        # A new help center starts with the model's default languages ticked,
        # so its first save does not fail on them.
        initial=default_languages,
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
            "chinese_variant",
            "logo",
            "favicon",
            "primary_color",
            "link_allowlist",
            "review_interval_days",
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

    def clean_favicon(self):
        # The logo's rules: an absolute https URL or a path under /static/.
        favicon = (self.cleaned_data.get("favicon") or "").strip()
        if not favicon or (
            favicon.startswith("/static/")
            and "//" not in favicon
            and "\\" not in favicon
        ):
            return favicon
        try:
            URLValidator(schemes=["https"])(favicon)
        except ValidationError:
            raise ValidationError(
                _("Use an absolute https URL or a path under /static/."),
                code="invalid_favicon",
            ) from None
        return favicon


class DomainForm(forms.ModelForm):
    class Meta:
        model = Domain
        fields = ("host", "is_primary")

    def clean_host(self):
        return clean_host(self.cleaned_data.get("host") or "")

    # Uniqueness and the one-primary rule are the service's, judged over the
    # whole submission (guides.services.tenants): row by row, moving the
    # primary to another domain would be refused because the old row is
    # still primary in the table, and "already exists" would tell a manager
    # which hosts other tenants hold.
    def validate_unique(self):
        pass

    def validate_constraints(self):
        pass


#: Errors the domain service reports about one host: shown on its row.
_ROW_ERRORS = {"host_unavailable", "duplicate_host", "invalid_host"}


class DomainInlineFormSet(BaseInlineFormSet):
    """The tenant's domains, judged by ``services.tenant_domains_check``.

    The service reads the tenant's rows from the table and applies the
    submission to them, so a form that leaves rows out (a crafted request)
    is judged on the real result. Its errors about one host are shown on
    that host's row; the others above the rows.
    """

    #: The host the user is signed in through, when it is this tenant's.
    request_host: str | None = None
    user = None
    #: The tenant's hosts and their verification before a revert.
    before = None

    def validate_unique(self):
        pass  # the service reports a host listed twice

    def domain_changes(self) -> list[services.DomainRow]:
        changes = []
        for form in self.forms:
            pk = form.instance.pk
            if self._should_delete_form(form):
                if pk is not None:
                    changes.append(
                        services.DomainRow(pk=pk, host=form.instance.host, delete=True)
                    )
                continue
            if pk is None and not form.has_changed():
                continue
            data = form.cleaned_data
            changes.append(
                services.DomainRow(
                    pk=pk, host=data["host"], is_primary=bool(data.get("is_primary"))
                )
            )
        return changes

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        try:
            services.tenant_domains_check(
                tenant=self.instance,
                user=self.user,
                domains=self.domain_changes(),
                request_host=self.request_host,
                before=self.before,
            )
        except ValidationError as refused:
            self._report(refused)

    def _report(self, refused: ValidationError) -> None:
        by_host = {
            form.cleaned_data.get("host"): form
            for form in self.forms
            if not self._should_delete_form(form) and form.has_changed()
        }
        general = []
        for error in refused.error_list:
            host = (error.params or {}).get("host")
            if error.code in _ROW_ERRORS and host in by_host:
                by_host[host].add_error("host", error)
            else:
                general.append(error)
        if general:
            raise ValidationError(general)


class DomainInline(admin.TabularInline):
    model = Domain
    form = DomainForm
    formset = DomainInlineFormSet
    fields = ("host", "is_primary", "verification")
    readonly_fields = ("verification",)
    extra = 1

    @admin.display(description=_("verification"))
    def verification(self, domain):
        if domain.pk is None:
            return ""
        if domain.verified_at is not None:
            return format_html(
                "{} ({})",
                gettext("Verified"),
                domain.get_verified_via_display(),
            )
        url = reverse(
            "admin:guides_tenant_verify_domain", args=(domain.tenant_id, domain.pk)
        )
        return format_html(
            '{} <a href="{}">{}</a>',
            gettext("Not verified: it serves nothing yet."),
            url,
            gettext("Verify"),
        )

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        editing_own = obj is not None and obj.pk == request.tenant.pk
        return type(
            formset.__name__,
            (formset,),
            {
                "request_host": _request_host(request) if editing_own else None,
                "user": request.user,
                "before": getattr(request, "_domains_before", None),
            },
        )

    # The parent admin decides which tenants are reachable.
    def has_view_permission(self, request, obj=None):
        return permissions.can_manage(request)

    has_add_permission = has_change_permission = has_delete_permission = (
        has_view_permission
    )


class _SaveRefused(Exception):
    """A service refused a save that the form's checks had let through."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@admin.register(Tenant)
class TenantAdmin(_SettingsVersionAdmin):
    """A help center's settings and domains: its managers, and superusers."""

    form = TenantAdminForm
    list_display = ("name", "slug", "default_language", "primary_color")
    inlines = (DomainInline,)
    fields = TenantAdminForm.Meta.fields
    verify_template = "admin/guides/tenant/verify_domain.html"

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

    def get_urls(self):
        return [
            path(
                "<path:object_id>/domains/<str:domain_id>/verify/",
                self.admin_site.admin_view(self.verify_domain_view),
                name="guides_tenant_verify_domain",
            ),
            *super().get_urls(),
        ]

    def delete_view(self, request, object_id, extra_context=None):
        # Only superusers delete tenants; to a manager another tenant's
        # delete page is missing (404), not forbidden, like its other pages.
        self._require_member(request)
        if not permissions.is_superuser(request) and str(unquote(object_id)) != str(
            request.tenant.pk
        ):
            raise Http404(gettext("No such object in this help center."))
        return super().delete_view(request, object_id, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        # Deleting a tenant is a superuser's act, and so is bringing it
        # back; for anyone else no deleted tenant exists.
        if not permissions.is_superuser(request):
            raise Http404(gettext("No such version in this help center."))
        return super().recover_view(request, version_id, extra_context)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except _SaveRefused as refused:
            if getattr(request, "_reverting", False):
                raise  # the revert's own transaction must roll back too
            # Lost a race the form's checks could not see (another tenant
            # verified a host in between): nothing was written.
            self.message_user(request, refused.message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def revision_view(self, request, object_id, version_id, extra_context=None):
        tenant_id = unquote(object_id)
        tenant = (
            Tenant.objects.filter(pk=tenant_id).first()
            if str(tenant_id).isdigit()
            else None
        )
        # A revert restores the slug too; a manager's revert keeps today's.
        request._tenant_slug = tenant.slug if tenant else None
        # The revert rewrites the domains before the form is checked: the
        # services judge the result against the domains the tenant had, so
        # an old host comes back unverified, like any new one.
        request._domains_before = services.domain_states(tenant) if tenant else None
        request._reverting = True
        try:
            return super().revision_view(request, object_id, version_id, extra_context)
        except (_SaveRefused, IntegrityError) as refused:
            message = (
                refused.message
                if isinstance(refused, _SaveRefused)
                else gettext(
                    "This version cannot be restored: one of its domains now "
                    "serves another help center."
                )
            )
            self.message_user(request, message, messages.ERROR)
            return HttpResponseRedirect(
                reverse("admin:guides_tenant_history", args=(object_id,))
            )

    def save_model(self, request, obj, form, change):
        slug = getattr(request, "_tenant_slug", None)
        if slug and not permissions.is_superuser(request):
            obj.slug = slug
        # Written in save_related, with the domains, by one service call.

    def save_formset(self, request, form, formset, change):
        # Writes nothing: it lists the changes for the admin's change
        # message. tenant_settings_update writes the domains.
        formset.save(commit=False)

    def save_related(self, request, form, formsets, change):
        tenant = form.instance
        domains = next(
            (f for f in formsets if isinstance(f, DomainInlineFormSet)), None
        )
        for formset in formsets:
            self.save_formset(request, form, formset, change)
        try:
            services.tenant_settings_update(
                tenant=tenant,
                user=request.user,
                domains=domains.domain_changes() if domains else (),
                request_host=domains.request_host if domains else None,
                before=getattr(request, "_domains_before", None),
            )
        except ValidationError as refused:
            raise _SaveRefused(" ".join(refused.messages)) from refused

    def delete_model(self, request, obj):
        services.tenant_delete(tenant=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for tenant in queryset:
            services.tenant_delete(tenant=tenant, user=request.user)

    # --- a domain's proof of ownership ------------------------------------------

    def verify_domain_view(self, request, object_id, domain_id):
        self._require_member(request)
        if not permissions.can_manage(request):
            raise PermissionDenied
        tenant = self.get_object(request, unquote(object_id))
        if tenant is None or not self.has_change_permission(request, tenant):
            raise Http404(gettext("No such object in this help center."))
        domain = (
            Domain.objects.filter(tenant=tenant, pk=int(domain_id)).first()
            if domain_id.isdigit()
            else None
        )
        if domain is None:
            raise Http404(gettext("No such object in this help center."))
        error = None
        if request.method == "POST" and domain.verified_at is None:
            try:
                if "grant" in request.POST:
                    services.domain_grant(
                        tenant=tenant, user=request.user, domain=domain
                    )
                else:
                    services.domain_verify(
                        tenant=tenant, user=request.user, domain=domain
                    )
            except ValidationError as refused:
                error = " ".join(refused.messages)
            else:
                self.message_user(
                    request,
                    gettext("%(host)s is verified and serves this help center.")
                    % {"host": domain.host},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(change_url(self, tenant))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Verify %(host)s") % {"host": domain.host},
            "tenant": tenant,
            "domain": domain,
            "proof": instructions(tenant.pk, domain.host),
            "error": error,
            "can_grant": grants(request.user),
            "change_url": change_url(self, tenant),
        }
        return TemplateResponse(request, self.verify_template, context)


# --- memberships -------------------------------------------------------------------


class MembershipChangeForm(forms.ModelForm):
    #: The tenant's manager memberships when the request began; set by the
    #: admin before a revert, which changes the table before this form runs.
    managers_before: set[int] | None = None

    class Meta:
        model = Membership
        fields = ("role",)

    def clean_role(self):
        role = self.cleaned_data["role"]
        services.membership_role_check(
            membership=self.instance, role=role, managers_before=self.managers_before
        )
        return role


@admin.register(Membership)
class MembershipAdmin(_SettingsVersionAdmin):
    """Who may edit the request's help center, and in which role.

    People join through invitations (``InvitationAdmin``), so there is no
    add form: nobody is enrolled without their consent, and no account is
    ever looked up by name for a manager.
    """

    form = MembershipChangeForm
    change_list_template = "admin/guides/membership/change_list.html"
    list_display = ("user", "email", "role")
    list_filter = ("role",)
    list_select_related = ("user",)
    search_fields = ("user__username", "user__email")
    fields = ("user", "role")
    readonly_fields = ("user",)

    def get_queryset(self, request):
        # The request's tenant for everyone, superusers too: members are
        # never listed across tenants.
        memberships = super().get_queryset(request).select_related("user", "tenant")
        if permissions.can_manage(request):
            return memberships.filter(tenant=request.tenant)
        return memberships.none()

    def _reaches(self, request, obj) -> bool:
        return obj is None or obj.tenant_id == request.tenant.pk

    def has_add_permission(self, request, *args):
        # Managers add members, through invitations (add_view) or by
        # recovering a removed membership from its history.
        return permissions.can_manage(request)

    def has_delete_permission(self, request, obj=None):
        return permissions.can_manage(request) and self._reaches(request, obj)

    def get_model_perms(self, request):
        # The index and the sidebar offer "add" on invitations instead.
        return {**super().get_model_perms(request), "add": False}

    def add_view(self, request, form_url="", extra_context=None):
        self._require_member(request)
        if not self.has_add_permission(request):
            raise PermissionDenied
        return HttpResponseRedirect(reverse("admin:guides_invitation_add"))

    @admin.display(description=_("email address"), ordering="user__email")
    def email(self, obj):
        return obj.user.email

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "can_invite": InvitationAdmin.may_invite(request),
        }
        return super().changelist_view(request, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
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
            request._managers_before = services.manager_ids(tenant_id)
        return super().revision_view(request, object_id, version_id, extra_context)

    def save_model(self, request, obj, form, change):
        services.membership_set(
            tenant=obj.tenant,
            user=obj.user,
            role=obj.role,
            actor=request.user,
            managers_before=getattr(request, "_managers_before", None),
        )

    def delete_view(self, request, object_id, extra_context=None):
        membership = self.get_object(request, unquote(object_id))
        if (
            membership is not None
            and self.has_delete_permission(request, membership)
            and services.is_last_manager(membership)
        ):
            return self._refuse_delete(request, membership)
        try:
            return super().delete_view(request, object_id, extra_context)
        except ValidationError:
            # Another manager stepped down between the page and the POST.
            return self._refuse_delete(request, membership)

    def _refuse_delete(self, request, membership):
        self.message_user(
            request, services.last_manager_message(membership), messages.ERROR
        )
        return HttpResponseRedirect(change_url(self, membership))

    def save_related(self, request, form, formsets, change):
        pass  # nothing is related: membership_set wrote the row

    def save_formset(self, request, form, formset, change):
        pass  # no inlines

    def delete_model(self, request, obj):
        services.membership_delete(membership=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for membership in queryset:
            services.membership_delete(membership=membership, actor=request.user)


# --- invitations --------------------------------------------------------------------


class InvitationForm(forms.ModelForm):
    """An exact e-mail address and a role: never a list of accounts."""

    #: The tenant of the request, set by the admin.
    request_tenant = None

    class Meta:
        model = Invitation
        fields = ("email", "role")
        help_texts = {
            "email": _(
                "The person receives a link to accept. They join once they do, "
                "signed in with this address's account (or a new one)."
            )
        }

    def clean_email(self):
        return services.invitation_check(
            tenant=self.request_tenant, email=self.cleaned_data["email"]
        )

    def validate_unique(self):
        pass  # an open invitation to the same address is sent again


@admin.register(Invitation)
class InvitationAdmin(_MembersOnlyMixin, _NotFoundMixin, admin.ModelAdmin):
    """Invitations to the request's help center: send, list, withdraw."""

    form = InvitationForm
    list_display = ("email", "role", "status", "sent_at")
    list_filter = ("role",)
    fields = ("email", "role")
    actions = None
    accept_template = "guides/invitation_accept.html"

    @staticmethod
    def may_invite(request) -> bool:
        return permissions.can_manage(request)

    def get_queryset(self, request):
        invitations = super().get_queryset(request)
        if permissions.can_manage(request):
            return invitations.filter(tenant=request.tenant)
        return invitations.none()

    def _reaches(self, request, obj) -> bool:
        return obj is None or obj.tenant_id == request.tenant.pk

    def has_module_permission(self, request):
        return permissions.can_manage(request)

    def has_view_permission(self, request, obj=None):
        return permissions.can_manage(request) and self._reaches(request, obj)

    def has_add_permission(self, request):
        return permissions.can_manage(request)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return permissions.can_manage(request) and self._reaches(request, obj)

    @admin.display(description=_("status"))
    def status(self, invitation):
        if invitation.accepted_at is not None:
            return gettext("Accepted on %(date)s") % {
                "date": localize(timezone.localtime(invitation.accepted_at).date())
            }
        expires = invitation.sent_at + timedelta(seconds=invitation_max_age())
        if expires <= timezone.now():
            return gettext("Expired: send it again to renew the link")
        return gettext("Waiting, the link works until %(date)s") % {
            "date": localize(timezone.localtime(expires))
        }

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.request_tenant = request.tenant
        return form

    def save_model(self, request, obj, form, change):
        invitation = services.invitation_send(
            tenant=request.tenant,
            actor=request.user,
            email=form.cleaned_data["email"],
            role=form.cleaned_data["role"],
            link=lambda token: request.build_absolute_uri(
                reverse("admin:guides_invitation_accept", args=(token,))
            ),
        )
        obj.pk, obj.tenant, obj.sent_at = (
            invitation.pk,
            invitation.tenant,
            invitation.sent_at,
        )

    def save_related(self, request, form, formsets, change):
        pass  # nothing is related: invitation_send wrote the row

    def save_formset(self, request, form, formset, change):
        pass  # no inlines

    def response_add(self, request, obj, post_url_continue=None):
        # The same answer whether or not the address has an account.
        self.message_user(
            request,
            gettext(
                "An invitation was sent to %(email)s. They join once they accept it."
            )
            % {"email": obj.email},
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:guides_invitation_changelist"))

    def delete_model(self, request, obj):
        services.invitation_revoke(invitation=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for invitation in queryset:
            services.invitation_revoke(invitation=invitation, actor=request.user)

    # --- accepting: for the invited person, signed in or not ---------------------

    def get_urls(self):
        return [
            # Not behind admin_view: the invited person may have no account yet.
            path(
                "accept/<str:token>/",
                self.accept_view,
                name="guides_invitation_accept",
            ),
            *super().get_urls(),
        ]

    @method_decorator(never_cache)
    @method_decorator(csrf_protect)
    def accept_view(self, request, token):
        tenant = request.tenant
        try:
            invitation = services.invitation_for_token(tenant=tenant, token=token)
        except services.InvitationInvalid:
            raise Http404(gettext("No such invitation.")) from None
        except services.InvitationClosed:
            return self._accept_page(request, {"closed": True}, status=410)
        user = request.user if request.user.is_authenticated else None
        context = {"invitation": invitation, "tenant": tenant}
        if user is not None:
            if not invited_user_matches(invitation, user):
                return self._accept_page(
                    request, {**context, "wrong_user": True}, status=403
                )
            if request.method == "POST" and "accept" in request.POST:
                return self._accepted(request, invitation, token, user)
            return self._accept_page(request, {**context, "confirm": True})
        return self._accept_anonymous(request, invitation, token, context)

    def _accept_anonymous(self, request, invitation, token, context):
        post = request.POST if request.method == "POST" else None
        sign_in = AuthenticationForm(
            request, data=post if post and "sign_in" in post else None
        )
        users = get_user_model()._default_manager
        has_account = users.filter(email__iexact=invitation.email).exists()
        new_account = None
        if not has_account:
            new_account = SetPasswordForm(
                users.model(username=invitation.email, email=invitation.email),
                data=post if post and "create" in post else None,
            )
        if post and "sign_in" in post and sign_in.is_valid():
            user = sign_in.get_user()
            if invited_user_matches(invitation, user):
                login(request, user)
                return self._accepted(request, invitation, token, user)
            sign_in.add_error(
                None,
                gettext(
                    "This account does not have the address the invitation was "
                    "sent to. Sign in with that address's account."
                ),
            )
        if post and "create" in post and new_account and new_account.is_valid():
            try:
                membership = services.invitation_accept_with_new_account(
                    tenant=request.tenant,
                    token=token,
                    password=new_account.cleaned_data["new_password1"],
                )
            except ValidationError as refused:
                new_account.add_error(None, refused)
            else:
                login(request, membership.user, backend=MODEL_BACKEND)
                return self._joined(request, membership)
        return self._accept_page(
            request,
            {**context, "sign_in": sign_in, "new_account": new_account},
        )

    def _accepted(self, request, invitation, token, user):
        try:
            membership = services.invitation_accept(
                tenant=request.tenant, token=token, user=user
            )
        except (services.InvitationInvalid, services.InvitationClosed):
            return self._accept_page(request, {"closed": True}, status=410)
        return self._joined(request, membership)

    def _joined(self, request, membership):
        self.message_user(
            request,
            gettext("Welcome: you are now %(role)s of this help center.")
            % {"role": membership.get_role_display()},
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:index"))

    def _accept_page(self, request, context, status=200):
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Invitation to %(tenant)s")
            % {"tenant": request.tenant.name},
            **context,
        }
        return TemplateResponse(request, self.accept_template, context, status=status)
