"""What a write changes besides its rows: page generations and the search index.

The content generation that keys a tenant's cached pages is bumped inside
the write's own transaction (``guides.cache.generations``): the ``UPDATE``
commits or rolls back with the data, so no failure after the commit (a cache
or search fault, a crashed process) can leave old pages served, and a reader
rendering before the commit still reads the old generation, so it cannot
store the old page under the new key.

What talks to other systems (the search index) runs once the write commits,
through ``transaction.on_commit(..., robust=True)``: a fault there is logged
and never turns a committed write into an error.

The cache tier in front of the app (``guides.frontcache``) is purged by the
surrogate keys a write affects (``guides.cache.surrogate``): the purge is an
outbox row written in the write's transaction and sent once it commits.
"""

from __future__ import annotations

from functools import partial

from django.db import transaction

from guides.cache import surrogate
from guides.cache.generations import bump_content_generation
from guides.frontcache.backends import is_enabled
from guides.frontcache.outbox import enqueue
from guides.models import Article, CardType, Carrier, Channel


def content_changed(tenant_id: int) -> None:
    """Make the tenant's cached pages stale, in the current transaction."""
    bump_content_generation(tenant_id)


def publication_changed(article: Article) -> None:
    """Refresh what depends on an article's public state: pages and search.

    Call inside the write's transaction, after publish, unpublish and archive,
    and after a revert or a recover: reversion saves raw, so no ``save()``
    hook ran for those. The pages' generation moves with the transaction;
    the search index follows once it commits.
    """
    content_changed(article.tenant_id)
    article_purge(article)
    transaction.on_commit(partial(_index_article, article), robust=True)


def article_purge(article: Article, *, article_id: int | None = None) -> None:
    """Purge what an article's publication change affects from the cache tier.

    Its own pages, the pages of its carrier and card type (its procedures
    list it among their related ones), every listing, and the API. Pages
    that listed it under a carrier or card type it has since left are
    listings (``t-list``) or show it among related procedures of that old
    carrier or card type (kept until their ``max-age``: see docs/OPERATIONS.md).
    ``article_id`` names a deleted article (whose ``pk`` is None by then).
    """
    tenant_id = article.tenant_id
    frontend_purge(
        [
            *surrogate.publication_keys(
                tenant_id,
                article_id=article_id or article.pk,
                carrier_id=article.carrier_id,
                card_type_id=article.card_type_id,
            ),
            surrogate.listing_key(tenant_id),
            surrogate.api_key(tenant_id),
        ]
    )


def catalog_before_save(instance: Carrier | CardType) -> None:
    """Remember what listings show of a carrier or card type about to be saved.

    ``catalog_purge`` then purges the listings only when that changed (a
    carrier saved with its channels, its name unchanged, leaves them). One
    query per save, only while a front-end cache is configured.
    """
    if instance.pk is None or not is_enabled():
        return
    fields = _listed_fields(type(instance))
    instance._listed_before = (
        type(instance)._base_manager.filter(pk=instance.pk).values(*fields).first()
    )


def _listed_fields(model) -> list[str]:
    """The fields of a carrier or card type that listings show (names, order)."""
    return [
        field.attname
        for field in model._meta.concrete_fields
        if field.name in ("slug", "sort_order") or field.name.startswith("name")
    ]


def catalog_purge(instance: Carrier | Channel | CardType) -> None:
    """Purge the pages that show a carrier, a channel or a card type.

    Its own key (its page, its procedures), the API, the sitemaps (their
    last-modified dates follow the catalogue), and the listings when what
    they show of it changed (``catalog_before_save``).
    """
    tenant_id = instance.tenant_id
    if isinstance(instance, Channel):
        # Shown on its carrier's page and its procedures' steps only.
        keys = [surrogate.carrier_key(tenant_id, instance.carrier_id)]
    elif isinstance(instance, Carrier):
        keys = [surrogate.carrier_key(tenant_id, instance.pk)]
    else:
        keys = [surrogate.card_type_key(tenant_id, instance.pk)]
    before = getattr(instance, "_listed_before", None)
    if not isinstance(instance, Channel) and (
        before is None
        or before
        != {name: getattr(instance, name) for name in _listed_fields(type(instance))}
    ):
        keys.append(surrogate.listing_key(tenant_id))
    frontend_purge(
        [*keys, surrogate.sitemap_key(tenant_id), surrogate.api_key(tenant_id)]
    )


def tenant_purge(tenant_id: int) -> None:
    """Purge every page of a tenant (branding, languages, domains)."""
    frontend_purge([surrogate.tenant_key(tenant_id)])


def frontend_purge(keys: list[str]) -> None:
    """Owe a purge of ``keys`` to the cache tier, sent once the write commits."""
    enqueue(keys)


def _index_article(article: Article) -> None:
    from guides.search.indexing import index_article

    index_article(article)
