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
from urllib.parse import urlsplit

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from modeltranslation.utils import build_localized_fieldname

from guides import permissions, services
from guides.importers import detection as detecting
from guides.importers.hygiene import Removal, allowed_hosts, clean_text
from guides.importers.parser import (
    ParsedDocument,
    Procedure,
    mask_links,
    parse_document,
    unmask_links,
)
from guides.importers.sources import Source, SourceError, decode, source_key
from guides.models import (
    Article,
    CardType,
    Carrier,
    Channel,
    Publication,
    RevisionMeta,
    Tenant,
)
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
    link: str = ""  # the admin page, set by the admin upload view


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


def _digits(value: str) -> str:
    return re.sub(r"\D", "", value or "")


def link_numbers(markdown: str, numbers: dict[str, str]) -> str:
    """Return ``markdown`` with each channel number linked ("[10086](tel:10086)").

    Existing links are left alone, and a number inside a longer one is not
    a match.
    """
    if not numbers or not markdown:
        return markdown
    masked, links = mask_links(markdown)
    pattern = re.compile(
        r"(?<![\d\w.])("
        + "|".join(re.escape(n) for n in sorted(numbers, key=len, reverse=True))
        + r")(?![\d\w])"
    )
    masked = pattern.sub(lambda m: f"[{m.group(1)}]({numbers[m.group(1)]})", masked)
    return unmask_links(masked, links)


def _step_channel(text: str, channels: list[Channel], carrier) -> Channel | None:
    """Return the carrier's channel a step names: its number, site or app."""
    if carrier is None:
        return None
    lowered = text.lower()
    for channel in channels:
        if channel.carrier_id != carrier.pk:
            continue
        if channel.kind in (Channel.Kind.HOTLINE, Channel.Kind.SMS):
            digits = _digits(channel.value)
            if len(digits) >= 4 and re.search(rf"(?<!\d){digits}(?!\d)", text):
                return channel
        elif channel.kind == Channel.Kind.WEBSITE:
            host = urlsplit(channel.value).hostname or ""
            if host and host.removeprefix("www.") in lowered:
                return channel
        elif channel.kind == Channel.Kind.APP:
            name = (channel.value or "").strip().lower()
            if len(name) >= 3 and name in lowered:
                return channel
    return None


def _article_fields(procedure: Procedure, language: str, numbers) -> dict[str, str]:
    return {
        _loc("title", language): procedure.title,
        _loc("summary", language): procedure.summary,
        _loc("introduction", language): link_numbers(procedure.introduction, numbers),
    }


def _parts(
    procedure: Procedure, language: str, *, numbers, channels, carrier
) -> dict[str, list[dict]]:
    steps = []
    for step in procedure.steps:
        channel = _step_channel(f"{step.title}\n{step.body}", channels, carrier)
        steps.append(
            {
                _loc("title", language): step.title,
                _loc("body", language): link_numbers(step.body, numbers),
                "channel_id": channel.pk if channel else None,
            }
        )
    return {
        "steps": steps,
        "requirements": [
            {"kind": kind, _loc("text", language): text}
            for kind, text in procedure.requirements
        ],
        "tips": [
            {"kind": kind, _loc("text", language): text}
            for kind, text in procedure.tips
        ],
        "faqs": [
            {
                _loc("question", language): f.question,
                _loc("answer", language): link_numbers(f.answer, numbers),
            }
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
                    (getattr(part, name) or "") != (value or "")
                    for name, value in item.items()
                ):
                    changed = True
                item = {"id": part.pk, **item}
            merged[kind].append(item)
    return merged, changed


def _edited_since_import(article: Article, source: Source) -> RevisionMeta | None:
    """Return the latest content revision when someone other than the importer made it.

    The importer's revisions carry the file name in their comment; any
    other edit, revert or recover since is an editor's work.
    """
    meta = (
        RevisionMeta.objects.filter(
            article_id=article.pk,
            action__in=(
                RevisionMeta.Action.CREATE,
                RevisionMeta.Action.EDIT,
                RevisionMeta.Action.REVERT,
                RevisionMeta.Action.RECOVER,
            ),
        )
        .select_related("revision__user")
        .order_by("-revision_id")
        .first()
    )
    name = posixpath.basename(source.name.replace("\\", "/")).lower()
    if meta is None or name in (meta.revision.comment or "").lower():
        return None
    return meta


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
    channels: list = field(default_factory=list)
    numbers: dict = field(default_factory=dict)  # channel number -> tel:/sms: link
    # Card types created (or, in a dry run, to be created) by this batch.
    new_card_types: dict = field(default_factory=dict)


def _card_type_for(
    found: detecting.Detection, procedure: Procedure, options: _Options
) -> tuple[CardType | None, str]:
    """Return the card type to use and a report note when one is (to be) created."""
    new = found.new_card_type
    if new is None:
        return found.card_type, ""
    chinese = bool(re.search(r"[\u3400-\u9fff]", procedure.title))
    if new.slug in options.new_card_types:
        return options.new_card_types[new.slug], ""
    if options.dry_run:
        options.new_card_types[new.slug] = None
        return None, _("would create the card type “%(name)s”") % {
            "name": new.name(chinese)
        }
    card_type = services.card_type_save(
        card_type=CardType(
            tenant=options.tenant,
            slug=new.slug,
            **{_loc("name", "zh-hans"): new.name_zh, _loc("name", "en"): new.name_en},
        ),
        user=options.user,
        comment=_("Created by an import"),
    )
    options.new_card_types[new.slug] = card_type
    options.card_types.append(
        detecting.Candidate(card_type, detecting.card_type_terms(card_type))
    )
    return card_type, _("created the card type “%(name)s”") % {
        "name": new.name(chinese)
    }


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
        carriers=options.carriers,
        card_types=options.card_types,
        detect_carrier=options.carrier is None,
        detect_card_type=options.card_type is None,
    )
    carrier = options.carrier or found.carrier
    outcome = ArticleOutcome(
        key=key,
        procedure=procedure,
        action=CREATED,
        notes=[*procedure.notes, *found.notes],
    )
    if options.card_type is not None:
        card_type = options.card_type
    else:
        card_type, created_note = _card_type_for(found, procedure, options)
        if created_note:
            outcome.notes.append(created_note)
    if not procedure.steps:
        # In a file of several procedures, one without steps is not an article.
        raise ValidationError(
            _("No recognisable steps in “%(title)s”.") % {"title": procedure.title}
        )

    article = Article.objects.filter(source_key=key).first()
    comment = _("Imported from %(name)s") % {"name": source.name}
    if outcome.notes:
        comment += ": " + " ".join(outcome.notes)

    if article is None:
        fields = _article_fields(procedure, options.language, options.numbers)
        parts = _parts(
            procedure,
            options.language,
            numbers=options.numbers,
            channels=options.channels,
            carrier=carrier,
        )
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
        fields = _article_fields(procedure, options.language, options.numbers)
        parts = _parts(
            procedure,
            options.language,
            numbers=options.numbers,
            channels=options.channels,
            carrier=carrier,
        )
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
        edited = _edited_since_import(article, source) if changed else None
        if edited is not None:
            outcome.notes.append(_overwrite_note(edited, dry_run=options.dry_run))
            comment += " " + outcome.notes[-1]
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
    if options.publish and not outcome.published and not options.dry_run:
        try:
            # Ticking "publish" on the import form is the manager's
            # confirmation: imports skip review (managers only import).
            services.article_publish(
                article=article,
                user=options.user,
                comment=comment,
                skip_review=True,
                outdated_confirmed=True,
            )
        except ValidationError as exc:
            outcome.notes.append(
                _("Left as a draft: %(why)s") % {"why": " ".join(exc.messages)}
            )
        else:
            outcome.published = True
    return outcome


def _overwrite_note(meta: RevisionMeta, *, dry_run: bool) -> str:
    who = str(meta.revision.user) if meta.revision.user else _("someone")
    when = meta.revision.date_created.strftime("%Y-%m-%d %H:%M")
    values = {"user": who, "date": when}
    if dry_run:
        return (
            _(
                "Edited in the admin by %(user)s on %(date)s after the last import; "
                "importing would overwrite those edits (the history keeps them)."
            )
            % values
        )
    return (
        _(
            "Edited in the admin by %(user)s on %(date)s after the last import; "
            "this import overwrote those edits. Restore them from the history."
        )
        % values
    )


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
            channels=list(Channel.objects.order_by("carrier", "sort_order", "id")),
        )
        for channel in options.channels:
            digits = _digits(channel.value)
            if channel.kind in (Channel.Kind.HOTLINE, Channel.Kind.SMS) and (
                len(digits) >= 5
            ):
                options.numbers.setdefault(digits, channel.href)
        allowed = allowed_hosts(tenant)
        for source in sources:
            report.files.append(_import_file(source, options=options, allowed=allowed))
    return report
