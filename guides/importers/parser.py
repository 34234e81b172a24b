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

from guides.importers.hygiene import clean_title

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
    (
        "background",
        r"^(?:为什么|为何|什么是|何为)|的(?:必要性|好处|原因|意义)|^背景|^why\b|^what is\b"
        r"|^what are\b|^reasons?\b",
    ),
    (
        "faq",
        r"常见问题|问答|疑问|答疑|问题|疑难|\bFAQs?\b|Q\s*&\s*A|frequently asked"
        r"|questions|problems|troubleshoot|\bissues\b",
    ),
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
# A numbered heading is such a section only when that is all it says: "5. 注意
# 收尾工作" and "5. Note what is left" are steps that start with those words.
SECTION_NAME_RE = re.compile(
    r"(?:(?:注意|提示|温馨提示|小贴士|贴士|提醒)(?:事项)?|常见问题(?:解答)?|问题解答|问答"
    r"|总结|小结|结语|(?:准备|所需|需要|必备)?(?:的)?(?:材料|证件|资料)"
    r"|(?:办理|申请|注销)?条件|前提(?:条件)?|准备工作|tips|notes|warnings?|faqs?"
    r"|summary|conclusion|(?:required )?documents|what to bring|requirements"
    r"|prerequisites|before you (?:start|begin))\s*[：:]?",
    re.IGNORECASE,
)
PART_KINDS = (
    "tips",
    "faq",
    "question",
    "documents",
    "prerequisites",
    "summary",
    "background",
)
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
            if QUESTION_RE.search(rest):
                return "question", rest  # "1. 服务密码忘了怎么办？"
            # "1. 准备材料" numbers a section rather than naming a step.
            if SECTION_NAME_RE.fullmatch(rest):
                sections = [(k, p) for k, p in KIND_RES if k in SECTION_KINDS]
                return next((k for k, p in sections if p.search(rest)), "tips"), rest
        return "step", rest
    text = _strip_section_number(heading)
    if QUESTION_RE.search(text):
        # "为什么要及时注销？" over numbered reasons is background, found later.
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


CLAUSE_END_RE = re.compile(r"^(.+?)(?:[：:，,；;。！？!?]|\.\s)\s*(.*)$")
STEP_TITLE_SHORT = 40


def mask_links(text: str) -> tuple[str, list[str]]:
    """Return ``text`` with each Markdown link replaced by a placeholder."""
    links: list[str] = []

    def mask(match: re.Match) -> str:
        links.append(match.group(0))
        return f"\x00{len(links) - 1}\x00"

    return INLINE_LINK_RE.sub(mask, text), links


def unmask_links(text: str, links: list[str]) -> str:
    return re.sub(r"\x00(\d+)\x00", lambda m: links[int(m.group(1))], text)


def _step_title(text: str) -> str:
    return clip(plain(text).rstrip("。.；;，,：: "), STEP_TITLE_MAX)


def _split_step_text(text: str) -> tuple[str, str]:
    """Return (title, body) for a list item or a heading without a title.

    A bold lead is the title and the rest the body; otherwise the first short
    clause is the title. Links are masked first, so no split falls inside
    one, and a title that holds a link leaves the whole line in the body,
    link included. The body is never empty when the item has text.
    """
    first, _sep, rest = text.partition("\n")
    bold = re.match(r"^\s*(?:\*\*|__)(.+?)(?:\*\*|__)\s*[：:]?\s*(.*)$", first)
    if bold and plain(bold.group(1)):
        title, lead = bold.group(1), bold.group(2)
    else:
        masked, links = mask_links(first.strip())
        clause = CLAUSE_END_RE.match(masked)
        head = unmask_links(clause.group(1), links) if clause else ""
        if clause and clause.group(2).strip() and len(plain(head)) <= STEP_TITLE_SHORT:
            title = head
            lead = (
                first.strip()
                if links and "\x00" in clause.group(1)
                else (unmask_links(clause.group(2), links))
            )
        else:
            title, lead = first, ""
    body = "\n".join(part for part in (lead.strip(), rest.strip()) if part)
    if not body and plain(text):
        body = text.strip()
    return _step_title(title), body


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
        if kind == "background":
            # "为什么要及时注销" and its numbered reasons: background for the
            # introduction, never steps.
            self.intro.append(_flatten(node))
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
        # Below an FAQ heading a numbered heading ("1. 密码忘了") is a question.
        if node.kind in ("question", "other") or (
            node.kind == "step" and node.numbered
        ):
            kind = "question"
        else:
            kind = node.kind
        if kind == "question" and plain(answer):
            self.procedure.faqs.append(ParsedFAQ(question, answer))
        elif kind == "question":
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


def _procedure_sections(root: Node) -> tuple[list[Node], list[Node], list[Node]]:
    """Return (procedure sections, shared sections, sections passed through).

    Several sections that hold steps are one procedure each; scenario
    sections ("场景一", "Case 2", "方式三") are, when there are two or more,
    the procedures, and the other sections around them are shared. The
    parts (FAQs, tips, summary, background) of every level passed through on
    the way down are shared by all the procedures.
    """
    level, shared, passed = root, [], []
    for _depth in range(3):
        candidates = [
            child
            for child in level.children
            if child.kind not in ("step", *PART_KINDS) and _has_steps(child)
        ]
        parts = [child for child in level.children if child.kind in PART_KINDS]
        scenarios = [child for child in candidates if child.kind == "scenario"]
        direct_steps = any(child.kind == "step" for child in level.children)
        if len(scenarios) >= 2:
            return scenarios, shared + parts, passed
        if len(candidates) >= 2 and not direct_steps:
            return candidates, shared + parts, passed
        if len(candidates) == 1 and not direct_steps:
            shared, passed = shared + parts, [*passed, level]
            level = candidates[0]
            continue
        break
    return [], [], []


SCENARIO_PREFIX_RE = re.compile(
    rf"^(?:场景|情况|情形|方式|方法|途径|渠道|scenario|case|option|method|way)"
    rf"\s*(?:[{CN_NUM}\d]{{1,3}}|[A-Z](?![a-z]))?\s*[：:、.．\-—–)）]?\s*",
    re.IGNORECASE,
)
HOW_RE = re.compile(
    r"怎么|怎样|如何|怎办|注销|销户|退|办理|挂失|解绑|取消|\?|？|\bhow\b|cancel|close"
    r"|deactivate|terminate|return|unlink|refund",
    re.IGNORECASE,
)
OBJECT_RE = re.compile(r"卡|号|账户|账号|套餐|sim|card|number|account|plan", re.I)
ZH_VERB_RE = re.compile(r"注销|销户|退卡|挂失|解绑|取消|办理")
EN_VERB_RE = re.compile(r"cancel|close|deactivate|terminate|unlink", re.I)


def section_title(heading: str, document_title: str) -> str:
    """Return a procedure's own title from its section heading.

    "场景一：地铁卡怎么退" gives "地铁卡怎么退"; a bare card ("Case 1: Transit
    card") gives "How to cancel a transit card", with the page's verb; a bare
    method ("方式二：线上办理") is named after the page ("…（线上办理）").
    """
    rest = clean_title(SCENARIO_PREFIX_RE.sub("", heading, count=1)) or clean_title(
        heading
    )
    chinese = bool(re.search(r"[\u3400-\u9fff]", rest + document_title))
    if HOW_RE.search(rest) and OBJECT_RE.search(rest):
        return rest
    if OBJECT_RE.search(rest) and len(rest) <= 40:
        if chinese:
            verb = ZH_VERB_RE.search(document_title)
            return f"如何{verb.group(0) if verb else '注销'}{rest}"
        verb = EN_VERB_RE.search(document_title)
        noun = rest[0].lower() + rest[1:] if rest[1:2].islower() else rest
        article = "an" if noun[:1].lower() in "aeiou" else "a"
        return f"How to {verb.group(0).lower() if verb else 'cancel'} {article} {noun}"
    # The page's question without its SEO tail ("…怎么注销？两种方式").
    base = re.split(r"[？?！!]", document_title)[0].strip() or document_title
    if chinese:
        return clip(f"{base}（{rest}）", TITLE_MAX)
    return clip(f"{base} ({rest})", TITLE_MAX)


def _settle(node: Node) -> None:
    """Name question headings over numbered reasons ("为什么要注销？") background."""
    background = dict(KIND_RES)["background"]
    for child in node.children:
        if (
            child.kind == "question"
            and background.search(child.heading)
            and any(grandchild.numbered for grandchild in child.children)
        ):
            child.kind = "background"
        _settle(child)


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
    title = clip(clean_title(title) or fallback_title, TITLE_MAX)
    root = build_tree(rest, title)
    _settle(root)
    sections, shared, passed = _procedure_sections(root)
    procedures: list[Procedure] = []
    if not sections:
        procedure = Procedure(index=0, title=title, text=root.all_text())
        reader = _Reader(procedure, lists_are_steps=not _explicit_steps(root))
        reader.read(root)
        procedures.append(_finish(procedure, reader))
    else:
        intro = [_markdown(node.lines) for node in passed]
        for index, section in enumerate(sections):
            procedure = Procedure(
                index=index,
                title=section_title(section.heading, title),
                section=section.heading,
                text=f"{section.heading}\n{section.all_text()}",
            )
            reader = _Reader(procedure, lists_are_steps=not _explicit_steps(section))
            reader.intro += [part for part in intro if plain(part)]
            for node in shared:
                if node.kind == "background":
                    reader.read(node)
            reader.read(section)
            for node in shared:
                if node.kind != "background":
                    reader.read(node)
            procedures.append(_finish(procedure, reader))
    return ParsedDocument(title=title, procedures=procedures, title_from_name=from_name)
