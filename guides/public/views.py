"""The public help site of the request's tenant: listings, articles, feedback.

Every page reads publications (``guides.selectors.public``), never an article's
working copy, so a draft cannot reach a reader or a cache. Pages are served
through ``guides.cache.pages.cached_page`` and only in the languages the tenant
enables; anything else is a 404 page in the tenant's look.

Pages answer GET and HEAD (``require_safe``); feedback takes POST only. Every
page carries the strict Content-Security-Policy of ``page_policy``.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import itertools

from django.conf import settings
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
)
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation.trans_real import parse_accept_lang_header
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe
from markupsafe import escape

from guides import services
from guides.cache import surrogate
from guides.cache.pages import cached_page
from guides.operations.clients import client_address
from guides.public import seo
from guides.public.forms import FeedbackForm
from guides.publishing.body import SharedFacts, article_body_html
from guides.selectors import public as selectors

RELATED_LIMIT = 6
HOME_LIST_LIMIT = 6


def best_language(request: HttpRequest, tenant) -> str:
    """Return the tenant language the reader's Accept-Language prefers most."""
    enabled = tenant.ordered_languages()
    header = request.headers.get("Accept-Language", "")[:512]
    for code, _quality in parse_accept_lang_header(header):
        code = code.lower()
        if code == "*":
            break
        for candidate in _language_candidates(code):
            if candidate in enabled:
                return candidate
    return tenant.default_language if tenant.default_language in enabled else enabled[0]


def _language_candidates(code: str) -> list[str]:
    """Return the Django codes a browser's tag may mean (``zh-CN`` -> ``zh-hans``)."""
    if code.startswith("zh"):
        if any(part in code for part in ("hant", "-tw", "-hk", "-mo")):
            return ["zh-hant", "zh-hans"]
        return ["zh-hans", "zh-hant"]
    return [code, code.split("-")[0]]


@require_safe
def root(request: HttpRequest) -> HttpResponse:
    """Send ``/`` to the home page in the reader's best language."""
    language = best_language(request, request.tenant)
    response = HttpResponseRedirect(seo.localized_url("guides:home", language))
    patch_vary_headers(response, ("Accept-Language",))
    patch_cache_control(response, private=True, max_age=0)
    return response


def brand_css(tenant) -> str:
    """Return the inline style that gives the pages the tenant's colour.

    ``guides/base.html`` renders exactly this text (Jinja escapes the colour
    the same way), so ``page_policy`` can allow it by its hash.
    """
    return f":root {{ --brand: {escape(tenant.primary_color)}; }}"


@functools.lru_cache(maxsize=256)
def _style_hash(css: str) -> str:
    digest = base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
    return f"'sha256-{digest}'"


def page_policy(tenant) -> dict:
    """Return the Content-Security-Policy of the tenant's public pages.

    ``settings.SECURE_CSP`` plus the hash of the brand style: no inline
    script, no nonce (a cached page is sent to every reader, so it could not
    carry a fresh one), and only this one inline style.
    """
    policy = dict(settings.SECURE_CSP)
    policy["style-src"] = [*policy["style-src"], _style_hash(brand_css(tenant))]
    return policy


def with_page_policy(response: HttpResponse, tenant) -> HttpResponse:
    """Give ``response`` the public pages' policy (see ``page_policy``)."""
    response._csp_config = page_policy(tenant)  # read by Django's CSP middleware
    return response


def public_page(view):
    """Answer 404 unless the URL's language is one the tenant enables.

    The response gets the public pages' Content-Security-Policy.
    """

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if translation.get_language() not in request.tenant.languages:
            raise Http404(_("This help center is not available in that language."))
        return with_page_policy(view(request, *args, **kwargs), request.tenant)

    return wrapper


def page_context(
    request: HttpRequest, name: str, languages: list[str], **kwargs
) -> dict:
    """Return what the base template needs: language versions and canonical URL."""
    language = translation.get_language()
    alternates = seo.alternates(request, name, languages, **kwargs)
    current = next((a for a in alternates if a.language == language), None)
    return {
        "language": language,
        "og_locale": seo.og_locale(language),
        "alternates": alternates,
        "x_default": seo.x_default(alternates, request.tenant.default_language),
        "canonical_url": current.url
        if current
        else seo.site_url(request, request.path),
    }


@require_safe
@public_page
@cached_page
def home(request: HttpRequest) -> HttpResponse:
    """Show carriers, card types, popular and recent procedures, and search."""
    tenant = request.tenant
    language = translation.get_language()
    fallback = tenant.default_language
    context = page_context(request, "guides:home", tenant.ordered_languages())
    context.update(
        carriers=[
            (
                c,
                selectors.translated_name(c, language=language, fallback=fallback),
                seo.localized_url("guides:carrier_detail", language, slug=c.slug),
            )
            for c in selectors.carrier_list()
        ],
        card_types=[
            (
                c,
                selectors.translated_name(c, language=language, fallback=fallback),
                seo.localized_url("guides:card_type_detail", language, slug=c.slug),
            )
            for c in selectors.card_type_list()
        ],
        popular=selectors.publication_cards(
            language=language, fallback=fallback, order="popular", limit=HOME_LIST_LIMIT
        ),
        recent=selectors.publication_cards(
            language=language, fallback=fallback, order="recent", limit=HOME_LIST_LIMIT
        ),
    )
    return render(request, "guides/home.html", context)


@require_safe
@public_page
@cached_page
def carrier_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """Show a carrier's channels and its procedures grouped by card type."""
    tenant = request.tenant
    language = translation.get_language()
    carrier = selectors.carrier_get(slug=slug)
    if carrier is None:
        raise Http404(_("No such carrier in this help center."))
    cards = selectors.publication_cards(
        language=language,
        fallback=tenant.default_language,
        carrier_id=carrier.pk,
        order="catalog",
    )
    groups = [
        (name, list(items))
        for name, items in itertools.groupby(cards, key=lambda c: c.card_type_name)
    ]
    context = page_context(
        request, "guides:carrier_detail", tenant.ordered_languages(), slug=slug
    )
    context.update(
        carrier=carrier,
        carrier_name=selectors.translated_name(
            carrier, language=language, fallback=tenant.default_language
        ),
        channels=selectors.carrier_channels(carrier=carrier),
        groups=groups,
    )
    surrogate.tag(request, surrogate.carrier_key(tenant.pk, carrier.pk))
    return render(request, "guides/carrier_detail.html", context)


@require_safe
@public_page
@cached_page
def card_type_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """Show the procedures for one card type across carriers."""
    tenant = request.tenant
    language = translation.get_language()
    card_type = selectors.card_type_get(slug=slug)
    if card_type is None:
        raise Http404(_("No such card type in this help center."))
    surrogate.tag(request, surrogate.card_type_key(tenant.pk, card_type.pk))
    context = page_context(
        request, "guides:card_type_detail", tenant.ordered_languages(), slug=slug
    )
    context.update(
        card_type=card_type,
        card_type_name=selectors.translated_name(
            card_type, language=language, fallback=tenant.default_language
        ),
        cards=selectors.publication_cards(
            language=language,
            fallback=tenant.default_language,
            card_type_id=card_type.pk,
            order="recent",
        ),
    )
    return render(request, "guides/card_type_detail.html", context)


FEEDBACK_STATES = {"thanks", "limited", "invalid"}


@require_safe
@public_page
@cached_page
def article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """Show the publication of an article in the URL's language.

    An article not published in that language redirects to the tenant's
    best language it is published in, so a reader never gets an empty page.
    """
    tenant = request.tenant
    language = translation.get_language()
    publication = selectors.publication_page(
        slug=slug, language=language, fallback=tenant.default_language
    )
    if publication is None:
        raise Http404(_("No such procedure in this help center."))
    languages = [
        code for code in tenant.ordered_languages() if code in publication.languages
    ]
    content = publication.content
    if content is None or language not in languages:
        if not languages:
            raise Http404(_("No such procedure in this help center."))
        target = seo.localized_url("guides:article_detail", languages[0], slug=slug)
        return HttpResponseRedirect(target)
    context = article_page_context(
        request, publication=publication, languages=languages, slug=slug
    )
    response = render(request, ARTICLE_TEMPLATE, context)
    response.last_modified = publication.published_at
    surrogate.tag_publication(request, publication)
    return response


#: The article page's template, shared with the admin's draft preview.
ARTICLE_TEMPLATE = "guides/article_detail.html"


def article_page_context(
    request: HttpRequest, *, publication, languages: list[str], slug: str
) -> dict:
    """Return the article page's context for one language of a publication.

    ``publication`` is a ``selectors.PublishedPage`` whose ``content`` is the
    snapshot in the active language. ``article_detail`` passes the stored
    publication; the admin's draft preview (``guides.admin.preview``) passes
    one built in memory from the draft, so both render through this code.
    """
    tenant = request.tenant
    language = translation.get_language()
    content = publication.content
    facts = _shared_facts(publication, language=language, tenant=tenant)
    context = page_context(request, "guides:article_detail", languages, slug=slug)
    home_url = seo.site_url(request, seo.localized_url("guides:home", language))
    crumbs = [(tenant.name, home_url)]
    parent = content.get("carrier") or content.get("card_type")
    if parent:
        # The current name: a renamed carrier is renamed on every page.
        current = (
            publication.carrier_name
            if content.get("carrier")
            else publication.card_type_name
        )
        parent = {**parent, "name": current or parent["name"]}
    if content.get("carrier"):
        parent_url = seo.localized_url(
            "guides:carrier_detail", language, slug=parent["slug"]
        )
    elif parent:
        parent_url = seo.localized_url(
            "guides:card_type_detail", language, slug=parent["slug"]
        )
    if parent:
        crumbs.append((parent["name"], seo.site_url(request, parent_url)))
    crumbs.append((content["title"], context["canonical_url"]))
    feedback_state = request.GET.get("feedback", "")
    context.update(
        article=content,
        body_html=article_body_html(
            content,
            language=language,
            default_language=tenant.default_language,
            published_at=publication.published_at,
            facts=facts,
        ),
        publication=publication,
        parent=parent,
        crumb_trail=[(parent_url, parent["name"])] if parent else [],
        related=selectors.publication_cards(
            language=language,
            fallback=tenant.default_language,
            related_to=publication,
            order="recent",
            limit=RELATED_LIMIT,
        ),
        structured_data=[
            seo.howto_ld(content, url=context["canonical_url"], language=language),
            seo.faq_ld(content),
            seo.breadcrumb_ld(crumbs),
        ],
        feedback_state=feedback_state if feedback_state in FEEDBACK_STATES else "",
        feedback_url=seo.localized_url("guides:article_feedback", language, slug=slug),
        markdown_url=seo.localized_url("guides:article_markdown", language, slug=slug),
    )
    return context


def _shared_facts(publication, *, language: str, tenant) -> SharedFacts:
    """Return the current channels and names the article body shows.

    A publication read from the database carries its carrier's and card
    type's current names; a draft preview (``guides.admin.preview``) is built
    from current data already, so its published values are the current ones.
    """
    content = publication.content
    carriers, card_types = {}, {}
    if content.get("carrier") and publication.carrier_name:
        carriers[content["carrier"].get("id")] = publication.carrier_name
    if content.get("card_type") and publication.card_type_name:
        card_types[content["card_type"].get("id")] = publication.card_type_name
    has_channels = any(
        (step.get("channel") or {}).get("id") for step in content["steps"]
    )
    return SharedFacts(
        channels=selectors.channel_facts(
            language=language, fallback=tenant.default_language
        )
        if has_channels
        else {},
        carriers=carriers,
        card_types=card_types,
    )


@csrf_exempt  # Cached pages carry no per-reader token; see FeedbackForm.
@require_POST
@public_page
def article_feedback(request: HttpRequest, slug: str) -> HttpResponse:
    """Store "Was this helpful?" and send the reader back to the article."""
    publication = selectors.publication_get(slug=slug)
    if publication is None:
        raise Http404(_("No such procedure in this help center."))
    form = FeedbackForm(request.POST)
    state = "invalid"
    if form.is_valid() and not form.cleaned_data["website"]:
        try:
            services.feedback_submit(
                publication=publication,
                language=translation.get_language(),
                helpful=form.cleaned_data["helpful"] == "yes",
                comment=form.cleaned_data["comment"],
                client_address=client_address(request),
            )
            state = "thanks"
        except services.FeedbackRateLimited:
            state = "limited"
    elif form.is_valid():
        state = "thanks"  # A bot filled the hidden field: say thanks, store nothing.
    url = reverse("guides:article_detail", kwargs={"slug": slug})
    return HttpResponseRedirect(
        f"{url}?{urlencode({'feedback': state})}#feedback", status=303
    )


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    """Render a 404 page in the tenant's look and a language it offers."""
    tenant = getattr(request, "tenant", None)
    if tenant is None:  # Unknown hosts never get here (TenantMiddleware).
        return HttpResponse(_("Not found"), status=404, content_type="text/plain")
    language = translation.get_language()
    if language not in tenant.languages:
        language = tenant.default_language
    with translation.override(language):
        context = page_context(request, "guides:home", tenant.ordered_languages())
        context.update(canonical_url=None, alternates=[], x_default=None)
        response = render(request, "guides/404.html", context, status=404)
    return with_page_policy(response, tenant)
