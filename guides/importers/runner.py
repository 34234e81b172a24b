"""Import files as articles: one transaction per file, one report for the batch.

Each file is decoded (``sources``), cleaned (``hygiene``), parsed into
procedures (``parser``) and each procedure is matched to a carrier and card
type (``detection``). Articles are written through ``guides.services`` like
any other edit, so every change is one revision tagged with the tenant.

Re-importing is idempotent: ``Article.source_key`` (file name and procedure
index) finds the article written last time; nothing is saved when the text
is the same, and one revision records a change. Only the import language's
columns are written, and parts are updated in place by position, so the
other languages' translations of the same parts survive a re-import.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from modeltranslation.utils import build_localized_fieldname

from guides import permissions, services
from guides.importers import detection as detecting
from guides.importers.hygiene import Removal, allowed_hosts, clean_text
from guides.importers.parser import ParsedDocument, Procedure, parse_document
from guides.importers.sources import Source, SourceError, decode, source_key
from guides.models import Article, CardType, Carrier, Publication, Tenant
from guides.tenancy import tenant_context

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"
SLUG_MAX = 120


@dataclass
class ArticleOutcome:
    """What happened to one procedure of a file."""

    key: str
    procedure: Procedure
    action: str  # created, updated or unchanged (what would happen, in a dry run)
    article_id: int | None = None
    slug: str = ""
    carrier: str = ""
    card_type: str = ""
    published: bool = False
    notes: list[str] = field(default_factory=list)


@dataclass
class FileOutcome:
    """One file's result: its articles, its removals, or why it failed."""

    name: str
    encoding: str = ""
    error: str = ""
    removals: list[Removal] = field(default_factory=list)
    articles: list[ArticleOutcome] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.error


@dataclass
class ImportReport:
    """The outcome of a batch, for the command's output and the admin page."""

    dry_run: bool
    files: list[FileOutcome] = field(default_factory=list)

    @property
    def failed(self) -> list[FileOutcome]:
        return [f for f in self.files if not f.ok]

    def count(self, action: str) -> int:
        return sum(1 for f in self.files for a in f.articles if a.action == action)

    def summary(self) -> str:
        """Return the one-line total."""
        return _(
            "%(files)d file(s): %(ok)d imported, %(failed)d failed; articles "
            "%(created)d created, %(updated)d updated, %(unchanged)d unchanged."
        ) % {
            "files": len(self.files),
            "ok": len(self.files) - len(self.failed),
            "failed": len(self.failed),
            "created": self.count(CREATED),
            "updated": self.count(UPDATED),
            "unchanged": self.count(UNCHANGED),
        }

    def lines(self, *, structure: bool | None = None) -> list[str]:
        """Return the report as text lines; ``structure`` lists each part found.

        The structure is shown by default in a dry run, where it is the point.
        """
        structure = self.dry_run if structure is None else structure
        out: list[str] = []
        for outcome in self.files:
            if not outcome.ok:
                out.append(
                    _("%(name)s: FAILED: %(error)s")
                    % {"name": outcome.name, "error": outcome.error}
                )
            else:
                out.append(
                    _("%(name)s: %(count)d article(s) (%(encoding)s)")
                    % {
                        "name": outcome.name,
                        "count": len(outcome.articles),
                        "encoding": outcome.encoding,
                    }
                )
            label = pgettext("import report", "note")
            out += [f"  {label}: {note}" for note in outcome.notes]
            for article in outcome.articles:
                out += _article_lines(
                    article, dry_run=self.dry_run, structure=structure
                )
            for removal in sorted(outcome.removals, key=lambda r: r.line):
                out.append(
                    _("  removed (line %(line)d): %(what)s (%(why)s)")
                    % {"line": removal.line, "what": removal.what, "why": removal.why}
                )
        out.append(self.summary())
        return out


def _article_lines(
    article: ArticleOutcome, *, dry_run: bool, structure: bool
) -> list[str]:
    verbs = {
        CREATED: _("would create") if dry_run else pgettext("import report", "created"),
        UPDATED: _("would update") if dry_run else pgettext("import report", "updated"),
        UNCHANGED: _("unchanged"),
    }
    state = (
        pgettext("import report", "published")
        if article.published
        else pgettext("import report", "draft")
    )
    out = [
        _(
            "  %(verb)s: %(title)s [%(slug)s, %(state)s; carrier: %(carrier)s; card type: %(card)s]"
        )
        % {
            "verb": verbs[article.action],
            "title": article.procedure.title,
            "slug": article.slug or "-",
            "state": state,
            "carrier": article.carrier or "-",
            "card": article.card_type or "-",
        }
    ]
    label = pgettext("import report", "note")
    out += [f"    {label}: {note}" for note in article.notes]
    if structure:
        procedure = article.procedure
        for number, step in enumerate(procedure.steps, start=1):
            out.append(
                _("    step %(n)d: %(title)s") % {"n": number, "title": step.title}
            )
        for kind, text in procedure.requirements:
            label = _("document") if kind == "document" else _("prerequisite")
            out.append(f"    {label}: {text}")
        for kind, text in procedure.tips:
            label = _("warning") if kind == "warning" else _("tip")
            out.append(f"    {label}: {text}")
        for faq in procedure.faqs:
            out.append(_("    FAQ: %(question)s") % {"question": faq.question})
        if procedure.summary:
            out.append(_("    summary: %(text)s") % {"text": procedure.summary[:120]})
    return out


# --- writing -------------------------------------------------------------------


def _loc(field_name: str, language: str) -> str:
    return build_localized_fieldname(field_name, language)


def _article_fields(procedure: Procedure, language: str) -> dict[str, str]:
    return {
        _loc("title", language): procedure.title,
        _loc("summary", language): procedure.summary,
        _loc("introduction", language): procedure.introduction,
    }


def _parts(procedure: Procedure, language: str) -> dict[str, list[dict]]:
    return {
        "steps": [
            {_loc("title", language): s.title, _loc("body", language): s.body}
            for s in procedure.steps
        ],
        "requirements": [
            {"kind": kind, _loc("text", language): text}
            for kind, text in procedure.requirements
        ],
        "tips": [
            {"kind": kind, _loc("text", language): text}
            for kind, text in procedure.tips
        ],
        "faqs": [
            {_loc("question", language): f.question, _loc("answer", language): f.answer}
            for f in procedure.faqs
        ],
    }


def _merge_parts(article: Article, parts: dict[str, list[dict]]) -> tuple[dict, bool]:
    """Return the parts keyed to existing rows by position, and whether any differ."""
    changed = False
    merged: dict[str, list[dict]] = {}
    for kind, items in parts.items():
        existing = list(getattr(article, kind).all())
        if len(existing) != len(items):
            changed = True
        merged[kind] = []
        for position, item in enumerate(items):
            if position < len(existing):
                part = existing[position]
                if any(
                    (getattr(part, name) or "") != value for name, value in item.items()
                ):
                    changed = True
                item = {"id": part.pk, **item}
            merged[kind].append(item)
    return merged, changed


def _unique_slug(*, title: str, key: str, carrier, card_type) -> str:
    """Return a slug free in this tenant: from a Latin title, else from the key."""
    base = "" if re.search(r"[\u3400-\u9fff]", title) else slugify(title)
    if len(base) < 3:
        words = [obj.slug for obj in (carrier, card_type) if obj is not None]
        base = "-".join(
            [*words, "guide", key.rsplit(":", 2)[-2][:6], key.rsplit(":", 1)[-1]]
        )
    base = base[: SLUG_MAX - 4].strip("-")
    slug, suffix = base, 2
    while Article.objects.filter(slug=slug).exists():
        slug, suffix = f"{base}-{suffix}", suffix + 1
    return slug


@dataclass
class _Options:
    tenant: Tenant
    user: object
    language: str
    carrier: Carrier | None
    card_type: CardType | None
    publish: bool
    dry_run: bool
    carriers: list = field(default_factory=list)
    card_types: list = field(default_factory=list)


def _import_procedure(
    procedure: Procedure, *, document: ParsedDocument, source: Source, options: _Options
) -> ArticleOutcome:
    key = source_key(source.name, procedure.index)
    found = detecting.detect(
        title=procedure.title,
        text=procedure.text,
        fallback_text=""
        if len(document.procedures) == 1
        else "\n".join(p.text for p in document.procedures),
        carriers=[] if options.carrier else options.carriers,
        card_types=[] if options.card_type else options.card_types,
    )
    carrier = options.carrier or found.carrier
    card_type = options.card_type or found.card_type
    outcome = ArticleOutcome(
        key=key,
        procedure=procedure,
        action=CREATED,
        notes=[*procedure.notes, *found.notes],
    )
    if not procedure.steps:
        # In a file of several procedures, one without steps is not an article.
        raise ValidationError(
            _("No recognisable steps in “%(title)s”.") % {"title": procedure.title}
        )

    fields = _article_fields(procedure, options.language)
    parts = _parts(procedure, options.language)
    article = Article.objects.filter(source_key=key).first()
    comment = _("Imported from %(name)s") % {"name": source.name}
    if outcome.notes:
        comment += ": " + " ".join(outcome.notes)

    if article is None:
        outcome.slug = _unique_slug(
            title=procedure.title, key=key, carrier=carrier, card_type=card_type
        )
        if not options.dry_run:
            article = services.article_create(
                user=options.user,
                slug=outcome.slug,
                carrier=carrier,
                card_type=card_type,
                parts=parts,
                comment=comment,
                source_key=key,
                **fields,
            )
    else:
        outcome.slug = article.slug
        # Never clear what an editor chose: only a detected or given value wins.
        carrier = carrier or article.carrier
        card_type = card_type or article.card_type
        merged, parts_changed = _merge_parts(article, parts)
        changed = (
            parts_changed
            or any(
                (getattr(article, name) or "") != value
                for name, value in fields.items()
            )
            or article.carrier_id != (carrier.pk if carrier else None)
            or article.card_type_id != (card_type.pk if card_type else None)
        )
        outcome.action = UPDATED if changed else UNCHANGED
        if changed and not options.dry_run:
            article = services.article_update(
                article=article,
                user=options.user,
                comment=comment,
                parts=merged,
                carrier=carrier,
                card_type=card_type,
                **fields,
            )
    outcome.carrier = str(carrier) if carrier else ""
    outcome.card_type = str(card_type) if card_type else ""
    if article is not None:
        outcome.article_id = article.pk
        outcome.published = (
            article.status == Article.Status.PUBLISHED
            and Publication.objects.filter(article=article).exists()
        )
    if options.publish and not outcome.published:
        if found.unsure:
            outcome.notes.append(_("Left as a draft because of the notes above."))
        elif not options.dry_run:
            services.article_publish(
                article=article, user=options.user, comment=comment
            )
            outcome.published = True
    return outcome


def _import_file(
    source: Source, *, options: _Options, allowed: set[str]
) -> FileOutcome:
    outcome = FileOutcome(name=source.name)
    try:
        text, encoding = decode(source)
        outcome.encoding = "UTF-8" if encoding.startswith("utf") else "GBK/GB18030"
        if encoding == "gb18030":
            outcome.notes.append(_("Read as GBK/GB18030 and stored as UTF-8."))
        lines, outcome.removals = clean_text(text, allowed)
        stem = posixpath.splitext(posixpath.basename(source.name.replace("\\", "/")))[0]
        document = parse_document(lines=lines, fallback_title=stem)
        if document.title_from_name:
            outcome.notes.append(
                _("No title found; the file name is used as the title.")
            )
        if not any(procedure.steps for procedure in document.procedures):
            raise SourceError(
                _(
                    "No recognisable steps: use headings such as “步骤一：…” or “Step 1: …”, "
                    "or a numbered list under a heading such as “操作步骤” or “Steps”."
                )
            )
        procedures = [p for p in document.procedures if p.steps]
        # One transaction per file: a failure leaves nothing of this file behind.
        with transaction.atomic():
            for procedure in procedures:
                outcome.articles.append(
                    _import_procedure(
                        procedure, document=document, source=source, options=options
                    )
                )
    except SourceError as exc:
        outcome.error, outcome.articles = str(exc), []
    except ValidationError as exc:
        outcome.error, outcome.articles = " ".join(exc.messages), []
    except IntegrityError:
        # Another import of the same file committed first (unique source_key).
        outcome.error, outcome.articles = (
            _("The file was being imported at the same time; import it again."),
            [],
        )
    except OSError as exc:
        outcome.error = _("The file cannot be read: %(error)s") % {
            "error": exc.strerror or exc
        }
    return outcome


def import_sources(
    *,
    tenant: Tenant,
    sources: Iterable[Source],
    user=None,
    carrier: Carrier | None = None,
    card_type: CardType | None = None,
    language: str | None = None,
    publish: bool = False,
    dry_run: bool = False,
) -> ImportReport:
    """Import each source as one article per procedure; report every file.

    ``user=None`` is the system (the management command); a user must be a
    manager of ``tenant``. A file that fails is rolled back and reported;
    the rest of the batch still imports.
    """
    permissions.require_role(tenant=tenant, user=user, role=permissions.MANAGER)
    language = language or tenant.default_language
    if language not in tenant.languages:
        raise ValidationError(
            _("This help center does not use the language %(lang)s.")
            % {"lang": language}
        )
    for obj in (carrier, card_type):
        if obj is not None and obj.tenant_id != tenant.pk:
            raise PermissionDenied(_("That belongs to another help center."))
    report = ImportReport(dry_run=dry_run)
    with tenant_context(tenant):
        options = _Options(
            tenant=tenant,
            user=user,
            language=language,
            carrier=carrier,
            card_type=card_type,
            publish=publish,
            dry_run=dry_run,
            carriers=detecting.carrier_candidates(),
            card_types=detecting.card_type_candidates(),
        )
        allowed = allowed_hosts(tenant)
        for source in sources:
            report.files.append(_import_file(source, options=options, allowed=allowed))
    return report
