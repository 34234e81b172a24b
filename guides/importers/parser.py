"""Find the procedures in a cleaned how-to article.

Articles copied from the web take a handful of shapes: a title as ``# heading``
or a bold first line; sections as ``##``-``####`` headings (or, in plain text,
bold or colon-terminated lines such as ``**注意事项**`` and ``常见问题：``);
steps as headings (``步骤一：…``, ``第一步：…``, ``Step 1: …``, ``1. …``) or as
numbered lists under a heading that names steps or a scenario. The parser
builds a heading tree, names each section's kind from its heading, and reads
steps, requirements, tips, FAQs and a closing summary out of it. A file with
several sections that each hold steps (one per card type, say) yields one
procedure per section.

The input is the output of ``hygiene.clean_text``: numbered lines with
promotional and unsafe content already removed.

Every walk of the tree goes from a node to its children, and the tree is at
most ``PSEUDO_LEVEL`` deep (a child's level is above its parent's), so no
input can make the parser recurse further than that. A question without an
answer is left out with a note for the report, as is anything else the
parser drops or shortens.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

PSEUDO_LEVEL = 7  # bold or colon lines act as headings below every real one

CN_NUM = "一二三四五六七八九十百零〇两"

HEADING_RE = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
BOLD_LINE_RE = re.compile(r"^\s*(?:\*\*|__)(.+?)(?:\*\*|__)\s*[：:]?\s*$")
FENCE_RE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
NUMBERED_RE = re.compile(
    r"^(?P<indent>\s*)(?:\d{1,3}[.)、](?!\d)|[（(]\d{1,3}[)）]|[①-⑳])\s*(?P<text>.*)$"
)
BULLET_RE = re.compile(r"^(?P<indent>\s*)[-*+•·]\s+(?P<text>.*)$")
STEP_RE = re.compile(
    rf"^(?:步骤\s*[{CN_NUM}\d]+|第\s*[{CN_NUM}\d]+\s*步|step\s*\d+|(?P<num>\d{{1,2}})\s*[.、)）](?!\d))"
    r"\s*[：:.、\-—–)）]?\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
# Section numbering that is not a step: "一、", "（二）", "1.1", "Part 2".
SECTION_NUMBER_RE = re.compile(
    rf"^(?:[{CN_NUM}]+\s*[、.．]|[（(][{CN_NUM}\d]+[)）]|\d+(?:\.\d+)+\s|part\s*\d+[:：.]?)\s*",
    re.IGNORECASE,
)
QUESTION_RE = re.compile(r"[?？]\s*$")

# Kinds, tried in this order; the first whose words appear in a heading wins.
KIND_PATTERNS = (
    ("faq", r"常见问题|问答|疑问|答疑|\bFAQs?\b|Q\s*&\s*A|frequently asked|questions"),
    ("summary", r"总结|小结|结语|写在最后|\bsummary\b|conclusion|wrap[- ]up|in short"),
    (
        "tips",
        (
            r"注意|小贴士|贴士|提示|提醒|温馨|警告|风险|\btips?\b|\bnotes?\b|warnings?|caution"
            r"|important|重要"
        ),
    ),
    (
        "documents",
        r"材料|证件|资料|所需信息|信息|documents?|what to bring|paperwork|\bID\b",
    ),
    (
        "prerequisites",
        (
            r"条件|准备|前提|资格|prerequisites?|requirements?|before you (?:start|begin)"
            r"|eligib"
        ),
    ),
    (
        "steps",
        (
            r"步骤|流程|操作|方法|教程|办理方式|如何|怎么|怎样|how to|\bsteps\b|procedure"
            r"|instructions|process"
        ),
    ),
    (
        "scenario",
        (
            rf"场景|情况|情形|方式\s*[{CN_NUM}\d]|途径|渠道|scenario|option\s*\d|method\s*\d"
            r"|case\s*\d"
        ),
    ),
)
KIND_RES = tuple(
    (kind, re.compile(pattern, re.IGNORECASE)) for kind, pattern in KIND_PATTERNS
)
# Kinds a numbered heading ("1. 准备材料") may turn out to be instead of a step.
SECTION_KINDS = ("faq", "summary", "tips", "documents", "prerequisites")
PART_KINDS = ("tips", "faq", "question", "documents", "prerequisites", "summary")
WARNING_RE = re.compile(
    r"谨防|诈骗|切勿|不要|请勿|务必|警惕|风险|小心|beware|never|do not|don't|warning"
    r"|caution|scam|fraud",
    re.IGNORECASE,
)
Q_PREFIX_RE = re.compile(
    r"^(?:Q\d*\s*[:：.]|问\s*[:：]|问题\s*\d*\s*[:：])\s*", re.IGNORECASE
)
A_PREFIX_RE = re.compile(
    r"^(?:A\d*\s*[:：.]|答\s*[:：]|回答\s*[:：])\s*", re.IGNORECASE
)
INLINE_LINK_RE = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
EMPHASIS_RE = re.compile(r"(\*\*|__|\*|`)")

TITLE_MAX = 200
STEP_TITLE_MAX = 300
REQUIREMENT_MAX = 500
QUESTION_MAX = 300
SUMMARY_MAX = 500  # Article.summary's limit


@dataclass
class ParsedStep:
    """One step: a short title and Markdown instructions."""

    title: str
    body: str = ""
    line: int = 0


@dataclass
class ParsedFAQ:
    """A question (plain text) and its answer (Markdown)."""

    question: str
    answer: str


@dataclass
class Procedure:
    """One article's worth of parsed content."""

    index: int
    title: str
    section: str = ""
    introduction: str = ""
    summary: str = ""
    steps: list[ParsedStep] = field(default_factory=list)
    requirements: list[tuple[str, str]] = field(default_factory=list)
    tips: list[tuple[str, str]] = field(default_factory=list)
    faqs: list[ParsedFAQ] = field(default_factory=list)
    text: str = ""  # everything the procedure says, for carrier detection
    notes: list[str] = field(default_factory=list)  # for the import report


@dataclass
class ParsedDocument:
    """The procedures of one file, and the notes the parser has for the report."""

    title: str
    procedures: list[Procedure]
    notes: list[str] = field(default_factory=list)
    title_from_name: bool = False


@dataclass
class Node:
    """A heading and what follows it up to the next heading of its level."""

    level: int
    heading: str
    line: int
    kind: str = "other"
    numbered: bool = False  # "1. …" rather than "步骤一" / "Step 1"
    lines: list[tuple[int, str]] = field(default_factory=list)
    children: list[Node] = field(default_factory=list)

    def all_text(self) -> str:
        parts = [self.heading, *(text for _n, text in self.lines)]
        parts += [child.all_text() for child in self.children]
        return "\n".join(parts)


# --- small text helpers -------------------------------------------------------


def plain(text: str) -> str:
    """Return Markdown inline text as plain text (links keep their words)."""
    text = INLINE_LINK_RE.sub(lambda m: m.group(1), text)
    text = EMPHASIS_RE.sub("", text)
    return " ".join(text.split())


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _strip_section_number(text: str) -> str:
    return SECTION_NUMBER_RE.sub("", text, count=1).strip()


def classify(heading: str) -> tuple[str, str]:
    """Return (kind, text) for a heading; ``text`` drops a step's prefix."""
    heading = plain(heading)
    step = STEP_RE.match(heading)
    if step:
        rest = step.group("rest").strip()
        if step.group("num") is not None:
            # "1. 准备材料" numbers a section rather than naming a step.
            sections = [(k, p) for k, p in KIND_RES if k in SECTION_KINDS]
            if any(pattern.match(rest) for _kind, pattern in sections):
                return next(k for k, p in sections if p.search(rest)), rest
        return "step", rest
    text = _strip_section_number(heading)
    if QUESTION_RE.search(text):
        return "question", text
    for kind, pattern in KIND_RES:
        if pattern.search(text):
            return kind, text
    return "other", text


def _pseudo_heading(line: str) -> str | None:
    """Return the heading a non-heading line stands for, if it stands for one."""
    bold = BOLD_LINE_RE.match(line)
    if bold:
        kind, _text = classify(bold.group(1))
        return bold.group(1).strip() if kind != "other" else None
    text = line.strip()
    if NUMBERED_RE.match(line) or BULLET_RE.match(line):
        return None
    step = STEP_RE.match(text)
    if step and step.group("num") is None:
        return text  # "步骤一：…" on a line of its own, as plain text files have
    if len(text) <= 24 and text.endswith(("：", ":")):
        kind, _text = classify(text.rstrip("：:"))
        if kind in ("faq", "summary", "tips", "documents", "prerequisites", "steps"):
            return text.rstrip("：:")
    return None


# --- the heading tree ---------------------------------------------------------


def _find_title(
    lines: list[tuple[int, str]], fallback: str
) -> tuple[str, list[tuple[int, str]], bool]:
    """Return (title, remaining lines, whether the file name was used)."""
    for position, (_number, line) in enumerate(lines):
        match = HEADING_RE.match(line)
        # A title of markup alone ("# **") is no title: it would be empty.
        if match and len(match.group(1)) == 1 and plain(match.group(2)):
            return (
                plain(match.group(2)),
                lines[:position] + lines[position + 1 :],
                False,
            )
    for position, (_number, line) in enumerate(lines):
        if not line.strip():
            continue
        candidate = None
        heading = HEADING_RE.match(line)
        bold = BOLD_LINE_RE.match(line)
        if heading:
            candidate = heading.group(2)
        elif bold:
            candidate = bold.group(1)
        elif (
            len(line.strip()) <= 60
            and not NUMBERED_RE.match(line)
            and not BULLET_RE.match(line)
            and not line.strip().endswith(("。", "：", ":", "."))
        ):
            candidate = line
        if (
            candidate is not None
            and plain(candidate)
            and classify(candidate)[0] in ("other", "steps")
        ):
            return plain(candidate), lines[:position] + lines[position + 1 :], False
        break
    return fallback, lines, True


def build_tree(lines: list[tuple[int, str]], title: str) -> Node:
    """Return the root node (the title) with the sections below it.

    A node's children have a higher level than the node (the stack is popped
    down to a lower level first), and levels run from 1 (the root) to
    ``PSEUDO_LEVEL``: the tree is at most that deep, whatever the input.
    """
    root = Node(level=1, heading=title, line=0, kind="root")
    stack = [root]
    fence = None
    for number, line in lines:
        fence_match = FENCE_RE.match(line)
        if fence is not None:
            stack[-1].lines.append((number, line))
            if fence_match and fence_match.group(1)[0] == fence[0]:
                fence = None
            continue
        if fence_match:
            fence = fence_match.group(1)
            stack[-1].lines.append((number, line))
            continue
        heading = HEADING_RE.match(line)
        if heading:
            level, text = max(2, len(heading.group(1))), heading.group(2)
        else:
            text = _pseudo_heading(line)
            level = PSEUDO_LEVEL
        if text is None or not plain(text):
            stack[-1].lines.append((number, line))
            continue
        while stack[-1].level >= level:
            stack.pop()
        kind, cleaned = classify(text)
        step = STEP_RE.match(plain(text))
        node = Node(
            level=level,
            heading=cleaned or plain(text),
            line=number,
            kind=kind,
            numbered=bool(step and step.group("num") is not None),
        )
        stack[-1].children.append(node)
        stack.append(node)
    return root


# --- blocks: lists and paragraphs --------------------------------------------


@dataclass
class Block:
    kind: str  # "numbered", "bullet" or "text"
    items: list[list[tuple[int, str]]]


def blocks(lines: list[tuple[int, str]]) -> list[Block]:
    """Split content lines into numbered lists, bullet lists and paragraphs."""
    out: list[Block] = []
    base_indent: int | None = None
    blank_before = False
    for number, line in lines:
        if not line.strip():
            blank_before = True
            continue
        numbered = NUMBERED_RE.match(line)
        bullet = None if numbered else BULLET_RE.match(line)
        marker = numbered or bullet
        indent = (
            len(marker.group("indent")) if marker else len(line) - len(line.lstrip())
        )
        current = out[-1] if out else None
        in_list = current is not None and current.kind != "text"
        if marker and (not in_list or indent <= (base_indent or 0) + 1):
            kind = "numbered" if numbered else "bullet"
            item = [(number, marker.group("text"))]
            if current is not None and current.kind == kind:
                current.items.append(item)
            else:
                out.append(Block(kind, [item]))
                base_indent = indent
        elif in_list and (indent > (base_indent or 0) or not blank_before):
            # A nested item, an indented continuation or a lazy continuation.
            current.items[-1].append((number, line))
        elif current is not None and current.kind == "text" and not blank_before:
            current.items[-1].append((number, line))
        else:
            out.append(Block("text", [[(number, line)]]))
        blank_before = False
    return out


def _item_markdown(item: list[tuple[int, str]]) -> str:
    first, *rest = [text for _n, text in item]
    if not rest:
        return first.strip()
    indent = min(len(t) - len(t.lstrip()) for t in rest if t.strip())
    return "\n".join([first.strip(), *(t[indent:] for t in rest)]).strip()


def _markdown(lines: list[tuple[int, str]]) -> str:
    return "\n".join(text for _n, text in lines).strip()


def _split_step_text(text: str) -> tuple[str, str]:
    """Return (title, body) for a list item or a heading without a title."""
    first, _sep, rest = text.partition("\n")
    bold = re.match(r"^\s*(?:\*\*|__)(.+?)(?:\*\*|__)\s*[：:]?\s*(.*)$", first)
    if bold and bold.group(1).strip():
        title, lead = bold.group(1), bold.group(2)
    else:
        head, colon, tail = _split_head(first)
        if colon and tail.strip() and len(plain(head)) <= 30:
            title, lead = head, tail
        elif len(plain(first)) <= 120:
            title, lead = first, ""
        else:
            sentence = re.match(r"^(.+?[。.!！])\s*(.*)$", first)
            title, lead = (
                (sentence.group(1), sentence.group(2)) if sentence else (first, "")
            )
    body = "\n".join(part for part in (lead.strip(), rest.strip()) if part)
    return clip(plain(title), STEP_TITLE_MAX), body


def _split_head(first: str) -> tuple[str, str, str]:
    parts = re.split(r"([：:]\s*)", first, maxsplit=1)
    return (parts[0], parts[1], parts[2]) if len(parts) == 3 else (first, "", "")


# --- reading parts out of sections --------------------------------------------


def _items(node: Node) -> list[str]:
    """Return a section's list items, or its paragraphs, and its sub-sections."""
    items = []
    for block in blocks(node.lines):
        if block.kind == "text":
            items += [_item_markdown(item) for item in block.items]
        else:
            items += [_item_markdown(item) for item in block.items]
    for child in node.children:
        if _named_step(child):
            continue  # read as a step by _Reader.read
        body = plain(_flatten(child, with_heading=False))
        items.append(f"{child.heading}：{body}" if body else child.heading)
    return [item for item in items if plain(item)]


def _flatten(node: Node, *, with_heading: bool = True) -> str:
    """Return a section and its sub-sections as one Markdown text."""
    parts = [f"**{node.heading}**"] if with_heading and node.heading else []
    if node.lines:
        parts.append(_markdown(node.lines))
    parts += [_flatten(child) for child in node.children]
    return "\n\n".join(part for part in parts if part.strip())


def _unanswered(question: str) -> str:
    return _("FAQ “%(question)s” has no answer and was left out.") % {
        "question": question
    }


def _faqs_from_lines(lines: list[tuple[int, str]], notes: list[str]) -> list[ParsedFAQ]:
    """Read "Q:/A:", "问：/答：" and question-line pairs; note unanswered ones."""
    faqs: list[ParsedFAQ] = []
    answer: list[str] = []
    question = None

    def flush():
        if question and "\n".join(answer).strip():
            faqs.append(ParsedFAQ(question, "\n".join(answer).strip()))
        elif question:
            notes.append(_unanswered(question))

    for _number, line in lines:
        text = re.sub(r"^\s*(?:[-*+]\s+|\d{1,2}[.、)]\s*)", "", line).strip()
        bare = plain(text)
        inline = re.match(r"^(.+?[?？])\s*(.+)$", bare)
        if Q_PREFIX_RE.match(bare) or QUESTION_RE.search(bare):
            flush()
            question, answer = clip(Q_PREFIX_RE.sub("", bare), QUESTION_MAX), []
        elif inline and not answer and not A_PREFIX_RE.match(bare):
            flush()
            question = clip(Q_PREFIX_RE.sub("", inline.group(1)), QUESTION_MAX)
            answer = [inline.group(2)]
        elif question is not None:
            if A_PREFIX_RE.match(bare):
                text = A_PREFIX_RE.sub("", bare)
            answer.append(text)
    flush()
    return faqs


class _Reader:
    """Collect one procedure's parts while walking its sections in order."""

    def __init__(self, procedure: Procedure, *, lists_are_steps: bool):
        self.procedure = procedure
        self.lists_are_steps = lists_are_steps
        self.intro: list[str] = []

    def steps_from_lines(self, lines: list[tuple[int, str]]) -> None:
        for block in blocks(lines):
            if block.kind == "numbered":
                for item in block.items:
                    title, body = _split_step_text(_item_markdown(item))
                    self.procedure.steps.append(ParsedStep(title, body, item[0][0]))
            else:
                self.text("\n".join(_item_markdown(item) for item in block.items))

    def text(self, markdown: str, heading: str = "") -> None:
        """Place free text: before the steps it introduces, after them it adds to the last."""
        if not plain(markdown):
            return
        if not self.procedure.steps:
            self.intro.append(f"**{heading}**\n\n{markdown}" if heading else markdown)
        else:
            step = self.procedure.steps[-1]
            step.body = "\n\n".join(part for part in (step.body, markdown) if part)

    def read(self, node: Node) -> None:
        kind = node.kind
        if kind == "step":
            body = "\n\n".join(
                part
                for part in [
                    _markdown(node.lines),
                    *(_flatten(c) for c in node.children),
                ]
                if part.strip()
            )
            title = node.heading
            if not title:
                title, body = _split_step_text(body)
            self.procedure.steps.append(
                ParsedStep(clip(title, STEP_TITLE_MAX), body, node.line)
            )
            return
        if kind in PART_KINDS:
            self.read_part(node)
            for child in node.children:
                if _named_step(child):
                    self.read(child)
            return
        self.read_section(node)

    def read_part(self, node: Node) -> None:
        kind = node.kind
        if kind == "tips":
            heading_warns = bool(
                WARNING_RE.search(node.heading) or "警告" in node.heading
            )
            for item in _items(node):
                warns = heading_warns or WARNING_RE.search(item)
                self.procedure.tips.append(("warning" if warns else "tip", plain(item)))
            return
        if kind in ("documents", "prerequisites"):
            req_kind = "document" if kind == "documents" else "prerequisite"
            for item in _items(node):
                self.procedure.requirements.append(
                    (req_kind, clip(plain(item), REQUIREMENT_MAX))
                )
            return
        if kind == "faq":
            self.procedure.faqs += _faqs_from_lines(node.lines, self.procedure.notes)
            for child in node.children:
                if not _named_step(child):
                    self.read_question(child)
            return
        if kind == "question":
            self.read_question(node)
            return
        if kind == "summary":
            summary = plain(_flatten(node, with_heading=False))
            self.procedure.summary = " ".join(
                filter(None, [self.procedure.summary, summary])
            )

    def read_section(self, node: Node) -> None:
        """Read a steps, scenario or other section (or the root)."""
        kind = node.kind
        if kind in ("steps", "scenario") or self.lists_are_steps:
            self.steps_from_lines(node.lines)
        else:
            self.text(
                _markdown(node.lines), "" if node.kind == "root" else node.heading
            )
        for child in node.children:
            self.read(child)

    def read_question(self, node: Node) -> None:
        """Read a heading below an FAQ heading, or a question heading.

        A question without an answer is noted and left out: an FAQ needs an
        answer, and handing the node back to ``read`` would bring it here
        again, without end.
        """
        answer = _flatten(node, with_heading=False)
        question = clip(plain(node.heading), QUESTION_MAX)
        if node.kind in ("question", "other") and plain(answer):
            self.procedure.faqs.append(ParsedFAQ(question, answer))
        elif node.kind == "question":
            self.procedure.notes.append(_unanswered(question))
        else:
            self.read(node)


def _named_step(node: Node) -> bool:
    """Return whether a section is a step by name ("步骤一", "Step 1"), not by a number.

    Such a heading is a step even when it sits below a requirements or tips
    heading, as when "### Step 1" follows "## Documents"; a bare "1." below
    one numbers that section's items instead.
    """
    return node.kind == "step" and not node.numbered


def _has_steps(node: Node) -> bool:
    """Return whether a section holds steps (headings, or a list under a steps heading)."""
    if node.kind == "step":
        return True
    if node.kind in PART_KINDS:
        return any(_named_step(child) for child in node.children)
    if node.kind in ("steps", "scenario", "other") and any(
        block.kind == "numbered" for block in blocks(node.lines)
    ):
        return True
    return any(_has_steps(child) for child in node.children)


def _explicit_steps(node: Node) -> bool:
    """Return whether steps are named as such (step headings or a steps/scenario list)."""
    if node.kind == "step":
        return True
    if node.kind in PART_KINDS:
        return any(_named_step(child) for child in node.children)
    if node.kind in ("steps", "scenario") and any(
        block.kind == "numbered" for block in blocks(node.lines)
    ):
        return True
    return any(_explicit_steps(child) for child in node.children)


def _procedure_sections(root: Node) -> tuple[list[Node], list[Node]]:
    """Return (procedure sections, shared sections) when a file holds several."""
    level = root
    for _depth in range(2):
        candidates = [
            child
            for child in level.children
            if child.kind not in ("step", *PART_KINDS) and _has_steps(child)
        ]
        direct_steps = any(child.kind == "step" for child in level.children)
        if len(candidates) >= 2 and not direct_steps:
            shared = [child for child in level.children if child.kind in PART_KINDS]
            return candidates, shared
        if len(candidates) == 1 and not direct_steps and level is root:
            level = candidates[0]
            continue
        break
    return [], []


def _finish(procedure: Procedure, reader: _Reader) -> Procedure:
    procedure.introduction = "\n\n".join(reader.intro).strip()
    if len(procedure.summary) > SUMMARY_MAX:
        procedure.summary = clip(procedure.summary, SUMMARY_MAX)
        procedure.notes.append(
            _("The summary was shortened to %(limit)d characters.")
            % {"limit": SUMMARY_MAX}
        )
    if not procedure.summary and procedure.introduction:
        first = plain(procedure.introduction.split("\n\n")[0])
        procedure.summary = first if len(first) <= 300 else ""
    return procedure


def parse_document(
    *, lines: list[tuple[int, str]], fallback_title: str
) -> ParsedDocument:
    """Return the procedures found in cleaned, numbered lines."""
    title, rest, from_name = _find_title(lines, fallback_title)
    title = clip(title, TITLE_MAX)
    root = build_tree(rest, title)
    sections, shared = _procedure_sections(root)
    procedures: list[Procedure] = []
    if not sections:
        procedure = Procedure(index=0, title=title, text=root.all_text())
        reader = _Reader(procedure, lists_are_steps=not _explicit_steps(root))
        reader.read(root)
        procedures.append(_finish(procedure, reader))
    else:
        intro = _markdown(root.lines)
        for index, section in enumerate(sections):
            procedure = Procedure(
                index=index,
                title=clip(f"{title} - {section.heading}", TITLE_MAX),
                section=section.heading,
                text=f"{title}\n{section.all_text()}",
            )
            reader = _Reader(procedure, lists_are_steps=not _explicit_steps(section))
            if intro:
                reader.intro.append(intro)
            reader.read(section)
            for node in shared:
                reader.read(node)
            procedures.append(_finish(procedure, reader))
    document = ParsedDocument(
        title=title, procedures=procedures, title_from_name=from_name
    )
    return document
