"""The draft preview: an article's working copy as its public page will show it.

Served in the admin, on the tenant's own host
(``/admin/guides/article/<id>/preview/<language>/``), rather than under a
public path:

- the admin already answers only signed-in members of the host's tenant, and
  every admin response is ``never_cache``; a public path would need its own
  login check and would share a URL space with cached pages;
- ``robots.txt`` disallows ``/admin/`` and the page cache never stores a
  request with a session cookie, so even a mistake in the headers below
  could not put the draft in front of a reader or a crawler;
- the host is the tenant's, so the page's links, branding and the tenant
  context are exactly those of the public page.

The page is the public one: the snapshot is built in memory from the draft
with ``guides.build_snapshot`` and ``render_article_body``, as
``services.article_publish`` does, and rendered by ``guides.public.views``' own
context code and template (``guides/article_preview.html`` only adds the
banner). Nothing is written: no publication, no revision, no cache entry.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from guides import permissions, services
from guides.models import Article, Publication
from guides.public import views
from guides.publishing.body import render_article_body
from guides.publishing.snapshot import article_languages, build_snapshot
from guides.selectors import public as selectors

PREVIEW_TEMPLATE = "guides/article_preview.html"


def preview_url(article: Article, language: str) -> str:
    """Return the admin URL of the draft preview of ``article`` in ``language``."""
    opts = Article._meta
    return reverse(
        f"admin:{opts.app_label}_{opts.model_name}_draft_preview",
        kwargs={"object_id": quote(article.pk), "language": language},
    )


def draft_page(
    article: Article, *, tenant, language: str, publication_id: int | None, now
) -> tuple[selectors.PublishedPage, list[str]]:
    """Return the page ``article_publish`` would store now, and its languages.

    ``article`` is loaded with ``Article.objects.with_parts()``. The languages
    are those publishing would offer (the enabled ones the draft has a title
    in); the page is built in ``language`` even when it is not among them.
    """
    languages = article_languages(
        article, tenant.ordered_languages(), include_unreviewed=True
    )
    content = build_snapshot(article, language, tenant.default_language)
    render_article_body(
        content,
        language=language,
        default_language=tenant.default_language,
        published_at=now,
    )
    page = selectors.PublishedPage(
        # The live publication's id, so "related procedures" leave it out as
        # they will once this draft replaces it (0 matches no row).
        id=publication_id or 0,
        slug=article.slug,
        carrier_id=article.carrier_id,
        card_type_id=article.card_type_id,
        languages=languages,
        published_at=now,
        content=content,
    )
    return page, languages


def _banner(
    article: Article,
    *,
    language: str,
    enabled: list[str],
    languages: list[str],
    is_published: bool,
    refusal: str,
) -> dict:
    """Return the preview banner's texts and links, in the active language."""
    names = {code: str(name) for code, name in settings.LANGUAGES}
    opts = Article._meta
    redirect_note = ""
    if language not in languages and languages:
        redirect_note = _(
            "The draft has no %(language)s title: readers of this language "
            "would be sent to the %(target)s version."
        ) % {"language": names.get(language, language), "target": names[languages[0]]}
    return {
        "language": translation.get_language(),
        "title": _("Preview of an unpublished draft"),
        "status_label": _("Status:"),
        "status": article.get_status_display(),
        "published_note": (
            _("Readers see the last publication until this draft is published.")
            if is_published
            else _("This article is not published: readers cannot see it.")
        ),
        "redirect_note": redirect_note,
        "refusal": (
            _("Publishing would be refused: %(reason)s") % {"reason": refusal}
            if refusal
            else ""
        ),
        "back_label": _("Back to the editor"),
        "change_url": reverse(
            f"admin:{opts.app_label}_{opts.model_name}_change",
            args=(quote(article.pk),),
        ),
        "links_label": _("Draft preview links"),
        "links": [
            {
                "code": code,
                "label": _("Preview in %(language)s")
                % {"language": names.get(code, code)},
                "name": names.get(code, code),
                "url": preview_url(article, code),
                "current": code == language,
            }
            for code in enabled
        ],
    }


def _draft(request: HttpRequest, model_admin, object_id: str) -> Article:
    # The admin's queryset is the tenant's: another tenant's id is missing.
    queryset = model_admin.get_queryset(request).with_parts()
    try:
        return queryset.get(pk=unquote(object_id))
    except (Article.DoesNotExist, ValueError, ValidationError):
        raise Http404(_("No such article in this help center.")) from None


def draft_preview_view(
    request: HttpRequest, object_id: str, language: str, *, model_admin
) -> HttpResponse:
    """Render the article's current draft as the public page (members only)."""

    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    if not permissions.is_member(request):
        raise PermissionDenied
    tenant = request.tenant
    enabled = tenant.ordered_languages()
    if language not in enabled:
        raise Http404(_("This help center is not available in that language."))
    article = _draft(request, model_admin, object_id)
    publication_id = (
        Publication.objects.filter(article=article).values_list("pk", flat=True).first()
    )
    try:
        services.validate_publishable(article, tenant)
    except ValidationError as exc:
        refusal = " ".join(exc.messages)
    else:
        refusal = ""
    now = timezone.now()
    # The banner speaks the editor's admin language, the page the previewed one.
    banner = _banner(
        article,
        language=language,
        enabled=enabled,
        languages=article_languages(article, enabled, include_unreviewed=True),
        is_published=publication_id is not None,
        refusal=refusal,
    )
    with translation.override(language):
        page, languages = draft_page(
            article,
            tenant=tenant,
            language=language,
            publication_id=publication_id,
            now=now,
        )
        # Readers of a language without a title are sent to another one; the
        # preview still shows what the page would hold, fallbacks and all.
        shown = [code for code in enabled if code in languages or code == language]
        context = views.article_page_context(
            request, publication=page, languages=shown, slug=article.slug
        )
        context["preview"] = banner
        response = render(request, PREVIEW_TEMPLATE, context)
    # A draft is for this editor's eyes only: no shared cache, no validators
    # a proxy could revalidate with, no search engine.
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Content-Language"] = language
    return views.with_page_policy(response, tenant)  # the public page's CSP
