"""The API's request and response bodies (Pydantic, through django-ninja).

The OpenAPI schema at ``/api/v1/openapi.json`` is generated from these.
Input text may not hold a NUL or an unpaired surrogate: no field of the
help center stores one, and databases refuse them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import AfterValidator, Field, StringConstraints, model_validator

#: A slug in a path or filter (``[-a-zA-Z0-9_]``, as Django's SlugField).
SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"
#: A language code of the installation (``zh-hans``, ``en``).
LANGUAGE_PATTERN = r"^[a-z]{2,3}(-[a-z]{2,4})?$"

LanguageCode = Annotated[str, StringConstraints(pattern=LANGUAGE_PATTERN)]


def _storable(value: str) -> str:
    if "\x00" in value:
        raise ValueError("Text may not contain a NUL character.")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("Text must be valid Unicode.") from None
    return value


Text = Annotated[str, AfterValidator(_storable)]
#: A text per language: ``{"zh-hans": "注销 eSIM", "en": "Cancel an eSIM"}``.
Translations = dict[LanguageCode, Text]


# --- problems --------------------------------------------------------------------


class ProblemOut(Schema):
    """An RFC 9457 problem detail (``application/problem+json``)."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str = ""


# --- public ---------------------------------------------------------------------


class NamedRef(Schema):
    """A carrier or card type as a procedure names it."""

    slug: str
    name: str


class ChannelOut(Schema):
    """A contact point: hotline, app, website, store or SMS."""

    kind: str
    label: str
    value: str
    href: str = Field(description="tel:, sms: or https: link, or empty.")
    opening_hours: str = ""


class CarrierOut(Schema):
    slug: str
    name: str
    description: str
    website: str
    channels: list[ChannelOut]


class CarrierList(Schema):
    items: list[CarrierOut]


class CardTypeOut(Schema):
    slug: str
    name: str
    description: str


class CardTypeList(Schema):
    items: list[CardTypeOut]


class ProcedureSummary(Schema):
    """A procedure as a list shows it."""

    slug: str
    language: str
    title: str
    summary: str
    published_at: datetime
    carrier: NamedRef | None
    card_type: NamedRef | None
    url: str = Field(description="The public page of the procedure.")
    api_url: str = Field(description="This procedure in the API.")


class ProcedurePage(Schema):
    """One page of procedures; pass ``next_cursor`` as ``cursor`` for the next."""

    items: list[ProcedureSummary]
    next_cursor: str | None


class StepOut(Schema):
    position: int
    title: str
    body_html: str
    body_text: str
    channel: ChannelOut | None
    duration_seconds: int | None
    duration_iso: str | None


class RequirementOut(Schema):
    kind: Literal["prerequisite", "document"]
    text: str


class TipOut(Schema):
    kind: Literal["tip", "warning"]
    text: str


class FaqOut(Schema):
    question: str
    answer_html: str
    answer_text: str


class ProcedureOut(Schema):
    """A published procedure in one language, as its page shows it."""

    slug: str
    language: str
    languages: list[str] = Field(description="Languages it is published in.")
    title: str
    summary: str
    introduction_html: str
    estimated_time: str
    fee_note: str
    published_at: datetime
    url: str
    carrier: NamedRef | None
    card_type: NamedRef | None
    steps: list[StepOut]
    total_time_iso: str | None
    requirements: list[RequirementOut]
    tips: list[TipOut]
    faqs: list[FaqOut]
    channels: list[ChannelOut] = Field(description="The carrier's contact points.")
    fallback_fields: list[str] = Field(
        description="Parts shown in the default language (not yet translated)."
    )
    json_ld: list[dict[str, Any]] = Field(
        description="The schema.org data of the page (HowTo, FAQPage, Breadcrumbs)."
    )


class FacetOut(Schema):
    slug: str
    name: str
    count: int


class SearchResultOut(Schema):
    slug: str
    title: str
    title_html: str
    snippet_html: str
    published_at: datetime | None
    carrier: NamedRef | None
    card_type: NamedRef | None
    url: str
    api_url: str


class SearchOut(Schema):
    query: str
    language: str
    total: int
    page: int
    num_pages: int
    partial: bool
    corrected: str
    results: list[SearchResultOut]
    carriers: list[FacetOut]
    card_types: list[FacetOut]


# --- editor ---------------------------------------------------------------------


class StepIn(Schema):
    id: int | None = Field(None, ge=1, le=2**63 - 1)
    title: Translations
    body: Translations = {}
    channel_id: int | None = Field(None, ge=1, le=2**63 - 1)
    duration_seconds: int | None = Field(None, ge=0, le=10**8)


class RequirementIn(Schema):
    id: int | None = Field(None, ge=1, le=2**63 - 1)
    kind: Literal["prerequisite", "document"] = "prerequisite"
    text: Translations


class TipIn(Schema):
    id: int | None = Field(None, ge=1, le=2**63 - 1)
    kind: Literal["tip", "warning"] = "tip"
    text: Translations


class FaqIn(Schema):
    id: int | None = Field(None, ge=1, le=2**63 - 1)
    question: Translations
    answer: Translations


class ProcedureChange(Schema):
    """Fields to change; a list of parts given replaces that kind of part.

    A part with an ``id`` keeps its row (and is updated); one without is new;
    rows left out are deleted. Texts are per language.
    """

    slug: (
        Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=120)] | None
    ) = None
    carrier: Annotated[str, StringConstraints(pattern=SLUG_PATTERN)] | None = None
    card_type: Annotated[str, StringConstraints(pattern=SLUG_PATTERN)] | None = None
    title: Translations | None = None
    summary: Translations | None = None
    introduction: Translations | None = None
    estimated_time: Translations | None = None
    fee_note: Translations | None = None
    steps: list[StepIn] | None = Field(None, max_length=200)
    requirements: list[RequirementIn] | None = Field(None, max_length=200)
    tips: list[TipIn] | None = Field(None, max_length=200)
    faqs: list[FaqIn] | None = Field(None, max_length=200)
    comment: Annotated[Text, StringConstraints(max_length=500)] = ""


class ProcedureCreate(ProcedureChange):
    """A new draft procedure: a slug and a title at least."""

    slug: Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=120)]
    title: Translations

    @model_validator(mode="after")
    def _titled(self):
        if not any(value.strip() for value in self.title.values()):
            raise ValueError("Give the procedure a title in at least one language.")
        return self


class WorkflowIn(Schema):
    comment: Annotated[Text, StringConstraints(max_length=500)] = ""


class StepDraft(Schema):
    id: int
    title: dict[str, str]
    body: dict[str, str]
    channel_id: int | None
    duration_seconds: int | None


class RequirementDraft(Schema):
    id: int
    kind: str
    text: dict[str, str]


class TipDraft(Schema):
    id: int
    kind: str
    text: dict[str, str]


class FaqDraft(Schema):
    id: int
    question: dict[str, str]
    answer: dict[str, str]


class DraftSummary(Schema):
    id: int
    slug: str
    title: dict[str, str]
    status: Literal["draft", "review", "published", "archived"]
    lock_version: int
    updated_at: datetime
    etag: str


class DraftPage(Schema):
    items: list[DraftSummary]
    next_cursor: str | None


class Draft(DraftSummary):
    """An article's working copy, every language, with its parts."""

    carrier: str | None
    card_type: str | None
    summary: dict[str, str]
    introduction: dict[str, str]
    estimated_time: dict[str, str]
    fee_note: dict[str, str]
    steps: list[StepDraft]
    requirements: list[RequirementDraft]
    tips: list[TipDraft]
    faqs: list[FaqDraft]
    published_at: datetime | None = Field(description="Its live publication, if any.")


class RevisionOut(Schema):
    id: int
    created_at: datetime
    user: str | None
    comment: str
    action: str | None


class RevisionList(Schema):
    items: list[RevisionOut]
