"""An article's history in the admin: list, compare, revert, recover deleted.

django-reversion's own views are not tenant-aware (DESIGN.md, "Stack facts"):
its history lists every version with the object's id, its revision view
reverts any version id it is given, and its recover views list and restore
every tenant's deleted rows. ``ArticleHistoryAdminMixin`` replaces all four
of them (same URLs, same names) and adds a compare and a revert page. Every
view looks the article and the revision up through the request's tenant, and
the writes go through ``guides.services``, which check tenant and role again.
Anything of another tenant answers 404, as a missing id does. A revert or a
recover the service refuses (a slug taken since, a carrier deleted since)
shows its reason on the same page and changes nothing; the recover page
takes another slug.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.admin.utils import quote, unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.formats import localize
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.timezone import template_localtime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from reversion.errors import RevertError
from reversion.models import Revision, Version

from guides import permissions, services
from guides.models import PART_MODELS, Article
from guides.publishing.translation_state import PART_LABELS
from guides.selectors.diff import diff_revisions


def _label(model, name: str) -> str:
    return capfirst(model._meta.get_field(name).verbose_name)


@dataclass
class _ShownChange:
    """A field change as an editor reads it: names, not stored codes or ids."""

    name: str
    language: str | None
    html: str


def _readable(model, change):
    """Return ``change`` with choice labels and related names for its values.

    The diff compares stored values ("draft", a carrier's id); an editor
    reads "Draft → In review" and the carrier's name.
    """
    if change.language:
        return change
    field = model._meta.get_field(change.name)
    if field.choices:
        names = {str(key): label for key, label in field.flatchoices}
    elif field.many_to_one:
        ids = [v for v in (change.old, change.new) if v.isdigit()]
        related = field.related_model._base_manager.filter(pk__in=ids)
        names = {str(obj.pk): str(obj) for obj in related}
    else:
        return change
    old, new = (names.get(v, v) or "–" for v in (change.old, change.new))
    return _ShownChange(
        change.name, None, format_html("<del>{}</del> → <ins>{}</ins>", old, new)
    )


def change_url(model_admin, obj) -> str:
    """Return the change page of ``obj`` in ``model_admin``'s admin site."""
    opts = model_admin.model._meta
    return reverse(
        f"{model_admin.admin_site.name}:{opts.app_label}_{opts.model_name}_change",
        args=(quote(obj.pk),),
    )


class ArticleHistoryAdminMixin:
    """History, compare, revert and recover views for ``ArticleAdmin``.

    Put it before ``VersionAdmin`` in the bases: its views take the place of
    reversion's. Members of the tenant may read history and compare; editors
    and above may revert and recover.
    """

    history_template = "admin/guides/article/history.html"
    compare_template = "admin/guides/article/compare.html"
    revert_template = "admin/guides/article/revert_confirm.html"
    recover_list_template = "admin/guides/article/recover_list.html"
    recover_form_template = "admin/guides/article/recover_confirm.html"

    # --- URLs -----------------------------------------------------------------

    def get_urls(self):
        """Add compare and revert; reversion's URLs stay, bound to our views."""
        info = self.model._meta.app_label, self.model._meta.model_name
        wrap = self.admin_site.admin_view
        return [
            path(
                "<str:object_id>/history/compare/",
                wrap(self.compare_view),
                name=f"{info[0]}_{info[1]}_compare",
            ),
            path(
                "<str:object_id>/history/<int:revision_id>/revert/",
                wrap(self.revert_view),
                name=f"{info[0]}_{info[1]}_revert",
            ),
            *super().get_urls(),
        ]

    # --- access ---------------------------------------------------------------

    def _require_member(self, request) -> str:
        """Return the user's role in the host's tenant; 404 for non-members."""
        role = permissions.request_role(request)
        if role is None:
            raise Http404(_("No such page in this help center."))
        return role

    def _require_editor(self, request) -> None:
        self._require_member(request)
        permissions.require_action(request, "revert")

    def _article(self, request, object_id) -> Article:
        """Return the tenant's article, or 404 (the queryset is tenant-scoped)."""
        article = self.get_object(request, unquote(object_id))
        if article is None or article.tenant_id != request.tenant.pk:
            raise Http404(_("No such article in this help center."))
        return article

    def _revision(self, request, article: Article, revision_id) -> Revision:
        revision = (
            services.article_revisions(article=article).filter(pk=revision_id).first()
        )
        if revision is None:
            raise Http404(_("No such version of this article."))
        return revision

    def _context(self, request, title: str, **extra) -> dict:
        request.current_app = self.admin_site.name
        opts = self.model._meta
        return {
            **self.admin_site.each_context(request),
            "opts": opts,
            "app_label": opts.app_label,
            "title": title,
            **extra,
        }

    # --- history and compare ------------------------------------------------

    def history_view(self, request, object_id, extra_context=None):
        """List the article's revisions, newest first, with a compare form."""
        self._require_member(request)
        article = self._article(request, object_id)
        revisions = list(services.article_revisions(article=article))
        context = self._context(
            request,
            _("History: %(article)s") % {"article": article},
            object=article,
            original=article,
            revisions=revisions,
            default_old=revisions[1].pk if len(revisions) > 1 else None,
            default_new=revisions[0].pk if revisions else None,
            can_revert=permissions.can_action(request, "revert"),
            **(extra_context or {}),
        )
        return TemplateResponse(request, self.history_template, context)

    def compare_view(self, request, object_id):
        """Show what changed between two revisions, per field and language."""
        self._require_member(request)
        article = self._article(request, object_id)
        try:
            wanted = {int(request.GET["old"]), int(request.GET["new"])}
        except (KeyError, ValueError, TypeError):
            raise Http404(_("Choose two versions to compare.")) from None
        revisions = list(
            services.article_revisions(article=article)
            .filter(pk__in=wanted)
            .prefetch_related("version_set")
        )
        if len(revisions) != len(wanted):
            # One id is missing, of another article or another tenant.
            raise Http404(_("No such version of this article."))
        # Newest first: always show the change from the older to the newer.
        new, old = revisions[0], revisions[-1]
        languages = list(request.tenant.languages)
        diff = diff_revisions(old, new, languages, article_id=article.pk)
        context = self._context(
            request,
            _("Compare versions: %(article)s") % {"article": article},
            object=article,
            original=article,
            old=old,
            new=new,
            diff=diff,
            article_rows=[
                (_label(Article, change.name), _readable(Article, change))
                for change in diff.plain
                if change.changed
            ],
            language_sections=[
                (
                    language,
                    [
                        (_label(Article, change.name), change)
                        for change in changes
                        if change.changed
                    ],
                )
                for language, changes in diff.by_language.items()
            ],
            part_sections=[
                (
                    PART_LABELS[kind],
                    [
                        (
                            part,
                            [
                                (
                                    _label(PART_MODELS[kind], change.name),
                                    _readable(PART_MODELS[kind], change),
                                )
                                for change in part.fields
                                if change.changed
                            ],
                        )
                        for part in parts
                    ],
                )
                for kind, parts in diff.parts.items()
                if parts
            ],
        )
        return TemplateResponse(request, self.compare_template, context)

    # --- revert ---------------------------------------------------------------

    def revision_view(self, request, object_id, version_id, extra_context=None):
        """Send reversion's revision URL to the tenant-checked revert page.

        Reversion's own view reverts whatever version id it is given, in any
        tenant, bypassing the services; this one only redirects, and only for
        a version of this tenant's article.
        """
        self._require_member(request)
        article = self._article(request, object_id)
        version = (
            Version.objects.filter(
                pk=version_id,
                content_type=ContentType.objects.get_for_model(Article),
                object_id=str(article.pk),
                revision__meta__tenant=request.tenant,
                revision__meta__article_id=article.pk,
            )
            .only("revision_id")
            .first()
        )
        if version is None:
            raise Http404(_("No such version of this article."))
        opts = self.model._meta
        return HttpResponseRedirect(
            reverse(
                f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_revert",
                args=(quote(article.pk), version.revision_id),
            )
        )

    def revert_view(self, request, object_id, revision_id):
        """Confirm (GET), then revert the article to a revision (POST)."""
        return require_http_methods(["GET", "POST"])(self._revert_view)(
            request, object_id, revision_id
        )

    def _revert_view(self, request, object_id, revision_id):
        self._require_editor(request)
        article = self._article(request, object_id)
        revision = self._revision(request, article, revision_id)
        errors = []
        if request.method == "POST":
            try:
                services.article_revert(
                    article=article, user=request.user, revision_id=revision.pk
                )
            except (Revision.DoesNotExist, Article.DoesNotExist):
                raise Http404(_("No such version of this article.")) from None
            except ValidationError as exc:
                # Nothing changed: the same page again, saying why.
                errors = exc.messages
            else:
                messages.success(
                    request,
                    _(
                        "“%(article)s” was reverted to the version of %(date)s. It "
                        "is a draft: readers see the last publication until it is "
                        "published."
                    )
                    % {
                        "article": article,
                        "date": localize(template_localtime(revision.date_created)),
                    },
                )
                return HttpResponseRedirect(change_url(self, article))
        latest_pk = (
            services.article_revisions(article=article)
            .values_list("pk", flat=True)
            .first()
        )
        context = self._context(
            request,
            _("Revert %(article)s") % {"article": article},
            object=article,
            original=article,
            revision=revision,
            latest_pk=latest_pk,
            errors=errors,
        )
        return TemplateResponse(request, self.revert_template, context)

    # --- recover deleted ------------------------------------------------------

    def recoverlist_view(self, request, extra_context=None):
        """List this tenant's deleted articles (reversion's lists every tenant's)."""
        self._require_editor(request)
        context = self._context(
            request,
            _("Recover deleted articles"),
            deleted=services.deleted_articles(tenant=request.tenant),
            **(extra_context or {}),
        )
        return TemplateResponse(request, self.recover_list_template, context)

    def recover_view(self, request, version_id, extra_context=None):
        """Confirm (GET), then bring back a deleted article (POST)."""
        return require_http_methods(["GET", "POST"])(self._recover_view)(
            request, version_id, extra_context
        )

    def _recover_view(self, request, version_id, extra_context=None):
        self._require_editor(request)
        candidates = {v.pk: v for v in services.deleted_articles(tenant=request.tenant)}
        version = candidates.get(int(version_id))
        if version is None:
            raise Http404(_("No such deleted article in this help center."))
        errors = []
        slug = request.POST.get("slug", "") if request.method == "POST" else ""
        if request.method == "POST":
            try:
                article = services.article_recover(
                    version_id=version.pk, user=request.user, slug=slug
                )
            except Version.DoesNotExist:
                raise Http404(
                    _("No such deleted article in this help center.")
                ) from None
            except ValidationError as exc:
                # Nothing changed: the same form again, with what was typed.
                errors = exc.messages
            else:
                messages.success(
                    request,
                    _("“%(article)s” was recovered as a draft.") % {"article": article},
                )
                return HttpResponseRedirect(change_url(self, article))
        context = self._context(
            request,
            _("Recover %(article)s") % {"article": version.object_repr},
            version=version,
            slug=slug or _version_slug(version),
            errors=errors,
            **(extra_context or {}),
        )
        return TemplateResponse(request, self.recover_form_template, context)


def _version_slug(version: Version) -> str:
    """Return the slug a version holds ("" if it cannot be read)."""
    try:
        return version.field_dict.get("slug") or ""
    except RevertError:
        return ""
