"""The editor API: drafts, their history and the workflow, with a user's token.

Every write calls the same service as the admin (``guides.services``), so it
records the same tenant-tagged revision and schedules the same effects after
commit; roles are checked there. A change names the version it was based on
with ``If-Match: <ETag>`` (the article's edit version): a stale one answers
412 and changes nothing.
"""

from __future__ import annotations

from datetime import timedelta

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from modeltranslation.utils import build_localized_fieldname
from ninja import Path, Query, Router, Status
from ninja.decorators import decorate_view

from guides import services
from guides.api import schemas
from guides.api.auth import TokenAuth
from guides.api.errors import Problem
from guides.api.http import editor_call
from guides.api.pagination import CURSOR_PATTERN, DEFAULT_LIMIT, MAX_LIMIT, page
from guides.models import PART_MODELS, Article, CardType, Carrier, Channel
from guides.models.tenants import language_codes
from guides.services.articles import PART_FIELDS

router = Router(tags=["editor"], auth=TokenAuth())

ERRORS = {
    400: schemas.ProblemOut,
    401: schemas.ProblemOut,
    403: schemas.ProblemOut,
    404: schemas.ProblemOut,
    422: schemas.ProblemOut,
    429: schemas.ProblemOut,
}
WRITE_ERRORS = {**ERRORS, 412: schemas.ProblemOut, 428: schemas.ProblemOut}

ArticleId = Path(..., ge=1, le=2**63 - 1, description="The article's id.")
TEXT_FIELDS = ("title", "summary", "introduction", "estimated_time", "fee_note")


def article_etag(article: Article) -> str:
    """Return the ETag of an article's working copy: its id and edit version."""
    return f'"{article.pk}-{article.lock_version}"'


def _get_article(article_id: int, *, parts: bool = False) -> Article:
    queryset = Article.objects.select_related("publication")
    if parts:
        queryset = queryset.with_parts()
    article = queryset.filter(pk=article_id).first()
    if article is None:
        raise Problem(404, _("No such procedure in this help center."))
    return article


def _check_if_match(request: HttpRequest, article: Article, *, required: bool):
    """Refuse a change based on another version than the current one."""
    header = request.headers.get("If-Match")
    if header is None:
        if required:
            raise Problem(
                428,
                _("Send If-Match with the ETag of the version you changed."),
            )
        return None
    tags = [tag.strip().removeprefix("W/") for tag in header.split(",")]
    if "*" in tags:
        return None
    if article_etag(article) not in tags:
        raise Problem(
            412,
            _(
                "The procedure changed since you read it (now %(etag)s); read it "
                "again and reapply your change."
            )
            % {"etag": article_etag(article)},
        )
    return article.lock_version


def _texts(obj, field: str, languages) -> dict[str, str]:
    return {
        code: getattr(obj, build_localized_fieldname(field, code), "") or ""
        for code in languages
    }


def _summary(article: Article, languages) -> dict:
    return {
        "id": article.pk,
        "slug": article.slug,
        "title": _texts(article, "title", languages),
        "status": article.status,
        "lock_version": article.lock_version,
        "updated_at": article.updated_at,
        "etag": article_etag(article),
    }


def _draft(article: Article, languages) -> dict:
    publication = getattr(article, "publication", None)
    return {
        **_summary(article, languages),
        "carrier": article.carrier.slug if article.carrier else None,
        "card_type": article.card_type.slug if article.card_type else None,
        **{
            field: _texts(article, field, languages)
            for field in TEXT_FIELDS
            if field != "title"
        },
        "steps": [
            {
                "id": step.pk,
                "title": _texts(step, "title", languages),
                "body": _texts(step, "body", languages),
                "channel_id": step.channel_id,
                "duration_seconds": int(step.duration.total_seconds())
                if step.duration is not None
                else None,
            }
            for step in article.steps.all()
        ],
        "requirements": [
            {"id": r.pk, "kind": r.kind, "text": _texts(r, "text", languages)}
            for r in article.requirements.all()
        ],
        "tips": [
            {"id": t.pk, "kind": t.kind, "text": _texts(t, "text", languages)}
            for t in article.tips.all()
        ],
        "faqs": [
            {
                "id": f.pk,
                "question": _texts(f, "question", languages),
                "answer": _texts(f, "answer", languages),
            }
            for f in article.faqs.all()
        ],
        "published_at": publication.published_at if publication else None,
    }


def _draft_response(
    request: HttpRequest, response: HttpResponse, article_id: int
) -> dict:
    article = _get_article(article_id, parts=True)
    response["ETag"] = article_etag(article)
    return _draft(article, request.tenant.ordered_languages())


def _localized_fields(field: str, texts: dict[str, str]) -> dict[str, str]:
    codes = language_codes()
    unknown = sorted(code for code in texts if code not in codes)
    if unknown:
        raise Problem(
            422,
            _("Unknown language code(s): %(codes)s.") % {"codes": ", ".join(unknown)},
        )
    return {
        build_localized_fieldname(field, code): text for code, text in texts.items()
    }


def _part_rows(kind: str, items: list) -> list[dict]:
    rows = []
    for item in items:
        row: dict = {}
        if item.id is not None:
            row["id"] = item.id
        for field in PART_FIELDS[kind]:
            row.update(_localized_fields(field, getattr(item, field) or {}))
        if kind in ("requirements", "tips"):
            row["kind"] = item.kind
        if kind == "steps":
            row["duration"] = (
                timedelta(seconds=item.duration_seconds)
                if item.duration_seconds is not None
                else None
            )
            channel = None
            if item.channel_id is not None:
                channel = Channel.objects.filter(pk=item.channel_id).first()
                if channel is None:
                    raise Problem(
                        422,
                        _("No channel with id %(id)s in this help center.")
                        % {"id": item.channel_id},
                    )
            row["channel"] = channel
        rows.append(row)
    return rows


def _catalogue(model, slug: str | None):
    if slug is None:
        return None
    obj = model.objects.filter(slug=slug).first()
    if obj is None:
        raise Problem(
            422,
            _("No %(kind)s “%(slug)s” in this help center.")
            % {"kind": model._meta.verbose_name, "slug": slug},
        )
    return obj


def _change_arguments(change: schemas.ProcedureChange) -> dict:
    """Return the service's keyword arguments for the fields a change names."""
    given = change.model_fields_set
    arguments: dict = {}
    if "slug" in given and change.slug is not None:
        arguments["slug"] = change.slug
    if "carrier" in given:
        arguments["carrier"] = _catalogue(Carrier, change.carrier)
    if "card_type" in given:
        arguments["card_type"] = _catalogue(CardType, change.card_type)
    for field in TEXT_FIELDS:
        texts = getattr(change, field)
        if texts is not None:
            arguments.update(_localized_fields(field, texts))
    parts = {
        kind: _part_rows(kind, getattr(change, kind))
        for kind in PART_MODELS
        if getattr(change, kind) is not None
    }
    if parts:
        arguments["parts"] = parts
    return arguments


@router.get(
    "/procedures",
    response={200: schemas.DraftPage, **ERRORS},
    url_name="editor_procedure_list",
    summary="Working copies (drafts included)",
)
@decorate_view(editor_call)
def procedure_list(
    request: HttpRequest,
    status: str | None = Query(None, pattern=r"^(draft|review|published|archived)$"),
    cursor: str | None = Query(None, pattern=CURSOR_PATTERN),
    limit: int = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT),
):
    """List the help center's articles, last edited first."""
    languages = request.tenant.ordered_languages()
    queryset = Article.objects.only(
        "id",
        "slug",
        "status",
        "lock_version",
        "updated_at",
        *(build_localized_fieldname("title", code) for code in languages),
    )
    if status:
        queryset = queryset.filter(status=status)
    rows, next_cursor = page(queryset, field="updated_at", cursor=cursor, limit=limit)
    return {
        "items": [_summary(article, languages) for article in rows],
        "next_cursor": next_cursor,
    }


@router.post(
    "/procedures",
    response={201: schemas.Draft, **ERRORS},
    url_name="editor_procedure_create",
    summary="Create a draft procedure",
)
@decorate_view(editor_call)
def procedure_create(
    request: HttpRequest, response: HttpResponse, payload: schemas.ProcedureCreate
):
    """Create a draft with its parts (``services.article_create``)."""
    arguments = _change_arguments(payload)
    slug = arguments.pop("slug")
    article = services.article_create(
        user=request.user, slug=slug, comment=payload.comment, **arguments
    )
    return Status(201, _draft_response(request, response, article.pk))


@router.get(
    "/procedures/{article_id}",
    response={200: schemas.Draft, **ERRORS},
    url_name="editor_procedure_detail",
    summary="A working copy with its parts",
)
@decorate_view(editor_call)
def procedure_detail(
    request: HttpRequest, response: HttpResponse, article_id: int = ArticleId
):
    """Return the article as editors see it: every language, every part, its ETag."""
    return _draft_response(request, response, article_id)


@router.patch(
    "/procedures/{article_id}",
    response={200: schemas.Draft, **WRITE_ERRORS},
    url_name="editor_procedure_update",
    summary="Change a procedure (If-Match required)",
)
@decorate_view(editor_call)
def procedure_update(
    request: HttpRequest,
    response: HttpResponse,
    payload: schemas.ProcedureChange,
    article_id: int = ArticleId,
):
    """Change fields and parts (``services.article_update``); a published
    procedure stays as readers saw it until it is published again."""
    article = _get_article(article_id)
    expected = _check_if_match(request, article, required=True)
    services.article_update(
        article=article,
        user=request.user,
        comment=payload.comment,
        expected_version=expected,
        **_change_arguments(payload),
    )
    return _draft_response(request, response, article.pk)


@router.get(
    "/procedures/{article_id}/revisions",
    response={200: schemas.RevisionList, **ERRORS},
    url_name="editor_procedure_revisions",
    summary="The procedure's history",
)
@decorate_view(editor_call)
def procedure_revisions(
    request: HttpRequest,
    article_id: int = ArticleId,
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
):
    """List the article's revisions, newest first (who, when, what)."""
    article = _get_article(article_id)
    revisions = services.article_revisions(article=article)[:limit]
    return {
        "items": [
            {
                "id": revision.pk,
                "created_at": revision.date_created,
                "user": revision.user.get_username() if revision.user else None,
                "comment": revision.comment,
                "action": getattr(getattr(revision, "meta", None), "action", None),
            }
            for revision in revisions
        ]
    }


def _workflow(name: str, summary: str, service):
    @router.post(
        f"/procedures/{{article_id}}/{name}",
        response={200: schemas.Draft, **WRITE_ERRORS},
        url_name=f"editor_procedure_{name}",
        summary=summary,
        operation_id=f"editor_procedure_{name}",
    )
    @decorate_view(editor_call)
    def operation(
        request: HttpRequest,
        response: HttpResponse,
        payload: schemas.WorkflowIn | None = None,
        article_id: int = ArticleId,
    ):
        article = _get_article(article_id)
        _check_if_match(request, article, required=False)
        service(
            article=article,
            user=request.user,
            comment=payload.comment if payload else "",
        )
        return _draft_response(request, response, article.pk)

    operation.__doc__ = (
        f"{summary} (``services.{service.__name__}``); If-Match is optional."
    )
    return operation


submit = _workflow("submit", "Submit for review", services.article_submit)
publish = _workflow("publish", "Publish (reviewers)", services.article_publish)
unpublish = _workflow("unpublish", "Unpublish (reviewers)", services.article_unpublish)
