"""The tenant's ``sitemap.xml`` (through ``django.contrib.sitemaps``) and robots.txt.

A sitemap has four sections: the home page, carriers, card types and
procedures. Each lists its pages once per language, with every language
version as an hreflang alternate and an ``x-default``:

- the home, carrier and card-type pages in every language the tenant enables
  (a missing name falls back, so these pages exist in each); a carrier's or
  card type's further pages (``.../page/2/``, ``LISTING_PAGE_SIZE``
  procedures each) in the languages that list that many;
- a procedure only in the languages it is published in.

``lastmod`` comes from the content, never from the render: a procedure's is
its publication; a carrier's the newest of its own change, its channels' and
its published procedures' (each of its pages the same); a card type's the
newest of its own change and its published procedures'; the home page's the newest of all of them and the
tenant's settings.

Everything is read for the tenant of the request (the scoped managers add
its condition) in four queries whatever the number of pages, and every
address is on the tenant's primary domain (``seo.site_host``), so a tenant's
sitemap never names another tenant's host or pages.

Up to ``TenantSitemap.limit`` URLs (50,000, the protocol's maximum),
``/sitemap.xml`` is one ``urlset``. Past it, ``/sitemap.xml`` is a sitemap
index (contrib's ``index`` view) of the sections, each cut into pages of
``limit`` URLs: ``/sitemap-procedures.xml``, ``/sitemap-procedures-2.xml``,
... A page number in the path, not contrib's ``?p=2``, keeps every page
cacheable like a public page (``cached_page`` never stores a URL with a query
string).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.core.paginator import Paginator
from django.db.models import Max, OuterRef, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from guides.cache.pages import cached_page
from guides.models import CardType, Carrier, Channel, Publication
from guides.public import http, seo
from guides.selectors import public as selectors

CONTENT_TYPE = "application/xml; charset=utf-8"

#: contrib's ``sitemap.xml`` in Jinja2 (``jinja2/guides/``), like every public
#: page: it renders 50,000 URLs in about a quarter of Django's engine's time.
TEMPLATE = "guides/sitemap.xml"


@dataclass(frozen=True)
class Entry:
    """One page of the site as the sitemap lists it (``slug`` "" for the home;
    ``page`` past 1 for the further pages of a carrier or card type)."""

    slug: str
    languages: tuple[str, ...]
    lastmod: datetime | None
    page: int = 1


def _newest(*moments: datetime | None) -> datetime | None:
    return max((m for m in moments if m is not None), default=None)


def _newest_related(model, foreign_key: str, field: str) -> Subquery:
    """Return the newest ``field`` of the ``model`` rows that point at the outer row."""
    return Subquery(
        model.objects.filter(**{foreign_key: OuterRef("pk")})
        .order_by()
        .values(foreign_key)
        .annotate(newest=Max(field))
        .values("newest")
    )


class Catalogue:
    """What the current tenant's sitemap lists, read once per request.

    Every section of one response shares this object: each query runs at
    most once, and a section that needs none of them (a page of procedures)
    runs only its own.
    """

    #: What stands for the slug in the path reversed once per page kind and
    #: language; see ``path``.
    _SLUG_MARK = "sitemap-slug-mark"

    def __init__(self, request: HttpRequest) -> None:
        self.tenant = request.tenant
        self.languages = tuple(self.tenant.ordered_languages())
        self.default_language = self.tenant.default_language
        self.scheme = request.scheme
        self.host = seo.site_host(request)
        self._paths: dict[tuple[str, str], tuple[str, str]] = {}

    @cached_property
    def procedures(self) -> list[Entry]:
        """Return every publication in the languages the tenant enables."""
        entries = []
        for slug, published, published_at in Publication.objects.order_by(
            "slug"
        ).values_list("slug", "languages", "published_at"):
            languages = tuple(lang for lang in self.languages if lang in published)
            if languages:
                entries.append(Entry(slug, languages, published_at))
        return entries

    @cached_property
    def carriers(self) -> list[Entry]:
        rows = (
            Carrier.objects.order_by("sort_order", "slug")
            .annotate(
                channels_changed=_newest_related(Channel, "carrier", "updated_at"),
                procedures_published=_newest_related(
                    Publication, "carrier", "published_at"
                ),
            )
            .values_list(
                "pk",
                "slug",
                "updated_at",
                "channels_changed",
                "procedures_published",
            )
        )
        return self._with_pages(rows, self.listing_counts["carrier"])

    @cached_property
    def card_types(self) -> list[Entry]:
        rows = (
            CardType.objects.order_by("sort_order", "slug")
            .annotate(
                procedures_published=_newest_related(
                    Publication, "card_type", "published_at"
                ),
            )
            .values_list("pk", "slug", "updated_at", "procedures_published")
        )
        return self._with_pages(rows, self.listing_counts["card_type"])

    @cached_property
    def listing_counts(self) -> dict[str, dict[int, dict[str, int]]]:
        """Return how many procedures each carrier and card type lists, per
        language (one query for both sections)."""
        return selectors.listing_counts(languages=list(self.languages))

    def _with_pages(self, rows, counts: dict[int, dict[str, int]]) -> list[Entry]:
        """Return an entry per listing, and one per further page of it, in
        the languages that list that many procedures."""
        size = selectors.LISTING_PAGE_SIZE
        entries = []
        for pk, slug, *dates in rows:
            lastmod = _newest(*dates)
            entries.append(Entry(slug, self.languages, lastmod))
            listed = counts.get(pk, {})
            for page in range(2, -(-max(listed.values(), default=0) // size) + 1):
                languages = tuple(
                    code
                    for code in self.languages
                    if listed.get(code, 0) > (page - 1) * size
                )
                entries.append(Entry(slug, languages, lastmod, page))
        return entries

    @cached_property
    def home(self) -> list[Entry]:
        """Return the home page, changed whenever anything it lists changed."""
        lastmod = _newest(
            self.tenant.updated_at,
            *(
                entry.lastmod
                for entry in (*self.carriers, *self.card_types, *self.procedures)
            ),
        )
        return [Entry("", self.languages, lastmod)]

    def path(self, name: str, language: str, slug: str, page: int = 1) -> str:
        """Return the path of the page ``name`` of ``slug`` in ``language``.

        A ``page`` past 1 is the listing's path followed by ``page/<n>/``
        (``guides.public.urls``; ``tests/public/test_pagination.py`` checks
        that every such address answers).

        ``reverse`` costs about 30 µs: once per URL, a tenant's 50,000 URLs
        would take seconds, and ``seo.localized_url``'s memo would drop
        every public page's entries for sitemap ones. So each page kind is
        reversed once per language, around a mark that stands for the slug.
        Slugs are ``[-a-zA-Z0-9_]``, which a URL keeps as they are.
        """
        if not slug:
            return seo.localized_url(name, language)
        try:
            head, tail = self._paths[name, language]
        except KeyError:
            reversed_ = seo.localized_url(name, language, slug=self._SLUG_MARK)
            head, _mark, tail = reversed_.rpartition(self._SLUG_MARK)
            self._paths[name, language] = head, tail
        if page > 1:
            return f"{head}{slug}{tail}page/{page}/"
        return f"{head}{slug}{tail}"


class TenantSitemap(Sitemap):
    """One page of a section of the current tenant's sitemap.

    A subclass names the ``Catalogue`` list it shows (``source``) and the
    URL of its pages (``url_name``). ``limit`` (a class attribute, as in
    contrib) is the most URLs one sitemap file holds; past it the tenant's
    ``/sitemap.xml`` becomes an index.
    """

    limit = 50_000
    i18n = True
    alternates = True
    source: str
    url_name: str

    def __init__(self, catalogue: Catalogue, *, page: int = 1) -> None:
        self.catalogue = catalogue
        self.page = page

    def items(self) -> list[Entry]:
        return getattr(self.catalogue, self.source)

    def get_languages_for_item(self, item: Entry) -> tuple[str, ...]:
        return item.languages

    def location(self, item: Entry) -> str:
        # contrib activates the language of the URL it asks for.
        return self.catalogue.path(
            self.url_name, translation.get_language(), item.slug, item.page
        )

    def _location(self, item: tuple[Entry, str], force_lang_code=None) -> str:
        # contrib's own activates the language around every call of
        # ``location``: most of the time spent on 50,000 URLs. The path
        # takes its language as an argument instead. (Should contrib stop calling this
        # hook, ``location`` above gives the same paths, only slower.)
        entry, language = item
        return self.catalogue.path(
            self.url_name, force_lang_code or language, entry.slug, entry.page
        )

    def lastmod(self, item: Entry) -> datetime | None:
        return item.lastmod

    def get_protocol(self, protocol: str | None = None) -> str:
        return self.catalogue.scheme

    def get_domain(self, site=None) -> str:
        return self.catalogue.host

    @cached_property
    def section_urls(self) -> list[tuple[Entry, str]]:
        """Return every ``(page, language)`` of the whole section, in order."""
        return [
            (item, language)
            for item in self.items()
            for language in self.get_languages_for_item(item)
        ]

    @property
    def page_count(self) -> int:
        return math.ceil(len(self.section_urls) / self.limit)

    @property
    def paginator(self) -> Paginator:
        """Return this page's share of the section as a one-page paginator.

        contrib's index view links ``?p=2`` for every page past the first
        of a paginator; one page each keeps its links in the path.
        """
        start = (self.page - 1) * self.limit
        return Paginator(self.section_urls[start : start + self.limit], self.limit)

    def get_latest_lastmod(self) -> datetime | None:
        """Return the newest ``lastmod`` of this page (contrib's reads the section)."""
        return _newest(*(item.lastmod for item, _language in self._page_urls()))

    def _page_urls(self) -> list[tuple[Entry, str]]:
        return self.paginator.page(1).object_list

    def get_urls(self, page=1, site=None, protocol=None) -> list[dict]:
        """Return contrib's URL entries with BCP 47 hreflangs and an ``x-default``.

        contrib writes Django's codes (``zh-hans``) and would point
        ``x-default`` at ``settings.LANGUAGE_CODE`` without its prefix; the
        tenant's default language (else the first it is listed in) is right.
        """
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        hreflangs = {code: seo.bcp47(code) for code in self.catalogue.languages}
        for url in urls:
            alternates = url["alternates"]
            default = next(
                (
                    a
                    for a in alternates
                    if a["lang_code"] == self.catalogue.default_language
                ),
                alternates[0] if alternates else None,
            )
            for alternate in alternates:
                alternate["lang_code"] = hreflangs[alternate["lang_code"]]
            if default is not None:
                alternates.append(
                    {"location": default["location"], "lang_code": "x-default"}
                )
        return urls


class HomeSitemap(TenantSitemap):
    source = "home"
    url_name = "guides:home"


class CarrierSitemap(TenantSitemap):
    source = "carriers"
    url_name = "guides:carrier_detail"


class CardTypeSitemap(TenantSitemap):
    source = "card_types"
    url_name = "guides:card_type_detail"


class ProcedureSitemap(TenantSitemap):
    source = "procedures"
    url_name = "guides:article_detail"


#: The sections by the name their pages carry (``/sitemap-<name>.xml``).
SECTIONS: dict[str, type[TenantSitemap]] = {
    "home": HomeSitemap,
    "carriers": CarrierSitemap,
    "cards": CardTypeSitemap,
    "procedures": ProcedureSitemap,
}

_SECTION_PAGE = re.compile(r"(?P<name>[a-z]+)(?:-(?P<page>[1-9][0-9]{0,5}))?")


def section_page_name(name: str, page: int) -> str:
    """Return the name of a section's page: ``procedures``, ``procedures-2``, ..."""
    return name if page == 1 else f"{name}-{page}"


@require_safe
@cached_page
def sitemap(request: HttpRequest) -> HttpResponse:
    """Answer ``/sitemap.xml``: every page of the tenant, or past the limit an index."""
    catalogue = Catalogue(request)
    sections = {name: section(catalogue) for name, section in SECTIONS.items()}
    if sum(len(s.section_urls) for s in sections.values()) <= TenantSitemap.limit:
        response = sitemap_views.sitemap(
            request, sections, template_name=TEMPLATE, content_type=CONTENT_TYPE
        )
        return _rendered(response, catalogue.tenant, catalogue.home[0].lastmod)
    pages = {}
    for name, first in sections.items():
        for page in range(1, first.page_count + 1):
            pages[section_page_name(name, page)] = (
                first if page == 1 else SECTIONS[name](catalogue, page=page)
            )
    response = sitemap_views.index(
        request, pages, content_type=CONTENT_TYPE, sitemap_url_name="sitemap_section"
    )
    # contrib names the section pages on the request's host; like every
    # other address they belong on the primary domain (and the page cache
    # shares one copy between the tenant's hosts).
    prefix = f"{request.scheme}://{request.get_host()}"
    for item in response.context_data["sitemaps"]:
        item.location = seo.site_url(request, item.location.removeprefix(prefix))
    return _rendered(response, catalogue.tenant, catalogue.home[0].lastmod)


@require_safe
@cached_page
def sitemap_section(request: HttpRequest, section: str) -> HttpResponse:
    """Answer ``/sitemap-<section>[-<page>].xml``: one page of one section."""
    match = _SECTION_PAGE.fullmatch(section)
    if match is None or match["name"] not in SECTIONS or match["page"] == "1":
        raise Http404(_("No such sitemap."))
    catalogue = Catalogue(request)
    page = int(match["page"] or 1)
    sitemap_ = SECTIONS[match["name"]](catalogue, page=page)
    if page > max(sitemap_.page_count, 1):
        raise Http404(_("No such sitemap."))
    response = sitemap_views.sitemap(
        request,
        {section: sitemap_},
        section=section,
        template_name=TEMPLATE,
        content_type=CONTENT_TYPE,
    )
    return _rendered(response, catalogue.tenant, sitemap_.get_latest_lastmod())


def _rendered(response, tenant, lastmod: datetime | None) -> HttpResponse:
    """Render ``response`` and date it from its content: ``lastmod``, or the
    tenant's settings (its domains and languages) when they changed later.
    Never the render time, so every worker sends the same validators."""
    # cached_page reads the body for its ETag, so the template renders here.
    response.render()
    response.last_modified = http.newest(lastmod, tenant.updated_at)
    # Outside the language prefixes, yet no reader's language changes it.
    return http.fixed_vary(response)


@require_safe
@cached_page
def robots(request: HttpRequest) -> HttpResponse:
    """Answer ``/robots.txt``: everything public may be crawled; point at the sitemap."""
    body = (
        "User-agent: *\n"
        "Disallow: /admin/\n"
        "Disallow: /*/search/\n"
        "Allow: /\n"
        f"Sitemap: {seo.site_url(request, reverse('sitemap'))}\n"
    )
    response = HttpResponse(body, content_type="text/plain; charset=utf-8")
    # Its one variable line names the primary domain: a tenant setting.
    response.last_modified = request.tenant.updated_at
    return http.fixed_vary(response)
