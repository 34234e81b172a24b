"""Build search documents from publications, and keep them in step.

A document is built from the article's **publication** (the snapshot
readers see), never from the working copy: a draft edit of a published
article changes nothing in search until it is published. One document per
(tenant, article, language) the publication holds and the tenant enables.

``index_article`` is called by the service hooks after publish, unpublish,
archive, revert, recover and delete (reversion's raw saves run no ``save()``
hook, so the services call it explicitly); ``index_tenant`` rebuilds a
tenant, for ``rebuild_search_index`` and tenant language changes.

The ``*_tokens`` columns hold *scoped* tokens (``t12enqcard``, see
``guides.search.backends``): ``document_fields`` analyses a snapshot and
``scoped_fields`` puts the document's tenant and language on every token.
"""

from __future__ import annotations

from django.db import transaction

from guides.models import Publication, SearchDocument, Tenant
from guides.publishing.snapshot import plain_text
from guides.search import analysis
from guides.search.backends import scope_prefix, scope_text
from guides.tenancy import tenant_context


def _join(parts, separator: str = " ") -> str:
    return separator.join(p.strip() for p in parts if p and p.strip())


def _channel_line(channel: dict) -> str:
    """Return a channel's label and value on one line, each once.

    ``label / value``: the snippets read `` / `` as a seam between pieces that
    may be in different languages (``China Telecom app / 中国电信 APP``).
    """
    label = (channel.get("label") or "").strip()
    value = (channel.get("value") or "").strip()
    if not value or value in label:
        return label
    if not label or label in value:
        return value
    return f"{label} / {value}"


def document_fields(content: dict) -> dict:
    """Return the display text and analysed tokens of one language's snapshot.

    Title weighs most, then the summary (with the carrier and card-type names,
    so ``中国移动 注销`` prefers that carrier's procedures), then the body
    (introduction, steps with their channels, requirements, tips, FAQs).
    The body keeps each piece on a line of its own, so snippets never run a
    step's title into its text (``guides.search.snippets``).
    """
    title = content.get("title") or ""
    summary = content.get("summary") or ""
    names = [
        (content.get(key) or {}).get("name", "") for key in ("carrier", "card_type")
    ]
    body_parts = [plain_text(content.get("introduction_html", ""))]
    for step in content.get("steps", []):
        body_parts.append(step.get("title", ""))
        body_parts.append(plain_text(step.get("body_html", "")))
        body_parts.append(_channel_line(step.get("channel") or {}))
    body_parts.extend(r.get("text", "") for r in content.get("requirements", []))
    body_parts.extend(t.get("text", "") for t in content.get("tips", []))
    for faq in content.get("faqs", []):
        body_parts.append(faq.get("question", ""))
        body_parts.append(plain_text(faq.get("answer_html", "")))
    body_parts.extend([content.get("estimated_time", ""), content.get("fee_note", "")])
    body = _join(body_parts, "\n")
    return {
        "title": title[:300],
        "summary": summary,
        "body": body,
        "title_tokens": " ".join(analysis.tokens(title)),
        "summary_tokens": " ".join(analysis.tokens(_join([summary, *names]))),
        "body_tokens": " ".join(analysis.tokens(body)),
    }


TOKEN_FIELDS = ("title_tokens", "summary_tokens", "body_tokens")


def scoped_fields(fields: dict, *, tenant_id: int, language: str) -> dict:
    """Return ``fields`` (``document_fields``) with scoped token columns."""
    prefix = scope_prefix(tenant_id, language)
    scoped = dict(fields)
    for name in TOKEN_FIELDS:
        scoped[name] = scope_text(prefix, fields.get(name, ""))
    return scoped


def documents_for(publication: Publication, languages) -> list[SearchDocument]:
    """Return unsaved documents for ``publication`` in the enabled ``languages``."""
    return [
        SearchDocument(
            tenant_id=publication.tenant_id,
            article_id=publication.article_id,
            language=language,
            slug=publication.slug,
            carrier_id=publication.carrier_id,
            card_type_id=publication.card_type_id,
            published_at=publication.published_at,
            **scoped_fields(
                document_fields(publication.content[language]),
                tenant_id=publication.tenant_id,
                language=language,
            ),
        )
        for language in publication.languages
        if language in languages and language in publication.content
    ]


def index_article(article) -> int:
    """Rebuild the article's documents from its publication; return how many.

    Without a publication (unpublished, archived, deleted, or a draft that
    never was published) the article's documents are removed.
    """
    tenant = Tenant.objects.get(pk=article.tenant_id)
    with tenant_context(tenant), transaction.atomic():
        publication = Publication.objects.filter(article_id=article.pk).first()
        SearchDocument.objects.filter(article_id=article.pk).delete()
        if publication is None:
            return 0
        documents = documents_for(publication, tenant.languages)
        SearchDocument.objects.bulk_create(documents)
    return len(documents)


def unindex_article(*, tenant_id: int, article_id: int) -> None:
    """Remove an article's documents (the article is gone)."""
    SearchDocument.unscoped.filter(tenant_id=tenant_id, article_id=article_id).delete()


def index_tenant(tenant: Tenant, *, batch_size: int = 500) -> int:
    """Rebuild every document of ``tenant`` from its publications; return how many."""
    count = 0
    with tenant_context(tenant), transaction.atomic():
        SearchDocument.objects.all().delete()
        batch: list[SearchDocument] = []
        for publication in Publication.objects.order_by("id").iterator(chunk_size=500):
            batch.extend(documents_for(publication, tenant.languages))
            if len(batch) >= batch_size:
                SearchDocument.objects.bulk_create(batch)
                count += len(batch)
                batch = []
        SearchDocument.objects.bulk_create(batch)
        count += len(batch)
    return count


def tenant_languages_changed(tenant: Tenant) -> None:
    """Follow a change of the tenant's enabled languages.

    Documents of a language the tenant no longer offers are removed; if a
    newly enabled language has publications, the tenant is re-indexed.
    """
    with tenant_context(tenant):
        indexed = set(
            SearchDocument.objects.values_list("language", flat=True).distinct()
        )
        enabled = set(tenant.languages or [])
        if indexed - enabled:
            SearchDocument.objects.exclude(language__in=enabled).delete()
        missing = enabled - indexed
        if missing and any(
            set(p.languages) & missing
            for p in Publication.objects.only("languages").iterator()
        ):
            index_tenant(tenant)
