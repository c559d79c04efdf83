"""A web page (fetched or uploaded) as one page item, with beautifulsoup4 and nh3.

It never guesses: a field is filled only from a heading that names it (or the page's own title
and description); everything else is listed as left out, for the editor to place by hand.
Stored text is plain text: the page is first cleaned by nh3 (scripts, styles, navigation, forms
and every attribute but links dropped), then read with BeautifulSoup's get_text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import nh3
from bs4 import BeautifulSoup, NavigableString, Tag
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from ..heading_rules import load_rules
from ..suggest import NO_LOCAL_AREA, areas_named, organisations_named
from ..values import ContentError

# Tags kept for reading structure; everything else is unwrapped (its text kept) or, for the
# clean-content tags, removed with its text.
STRUCTURE_TAGS = {
    "p", "br", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "table", "thead", "tbody",
    "tfoot", "tr", "th", "td", "caption", "dl", "dt", "dd", "a", "strong", "b", "em", "i", "div",
    "section", "article", "main", "blockquote", "time", "address", "span", "header",
}  # fmt: skip
CHROME_TAGS = {
    "script", "style", "nav", "footer", "aside", "form", "noscript", "template", "button",
    "select", "textarea", "iframe", "object", "svg", "figure", "menu", "dialog", "title",
}  # fmt: skip
HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
PSEUDO_LEVEL = 7  # a bold-only line, a table header cell, a definition term
CONTAINER_TAGS = [
    *HEADINGS,
    "p",
    "ul",
    "ol",
    "table",
    "div",
    "dl",
    "section",
    "article",
    "blockquote",
]
INLINE_TAGS = {"a", "strong", "b", "em", "i", "span", "time", "br"}

EMAIL_RE = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
# UK numbers as printed: 01234 567890, 020 7946 0000, 0800 123 4567, +44 (0)113 123 4567.
PHONE_RE = re.compile(
    r"(?<![\d])(?:\+44\s?(?:\(0\)\s?)?|0)\d{2,4}[\s-]?\d{3,4}[\s-]?\d{3,4}(?![\d])"
)
MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
DATE_RE = re.compile(
    rf"\b(?:\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{MONTHS})\s+\d{{4}}|(?:{MONTHS})\s+\d{{4}}"
    rf"|\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}/\d{{1,2}}/\d{{4}})\b"
)
DATE_LINE_RE = re.compile(rf"^\W*(?:\w+\W+){{0,4}}?(?:{DATE_RE.pattern})\W*(?:\w+\W*){{0,5}}$")
LABEL_RE = re.compile(r"^([A-Z][\w ]{1,30}):\s+(\S.*)$")
YEAR_RE = re.compile(r"\b(19[5-9]\d|20\d\d)\b")

# Bounds on the work one page may cost (a crafted or runaway page must not hold a worker).
MAX_DEPTH = 200  # elements inside elements; real write-ups nest a few dozen deep
MAX_READ_CHARS = 400_000  # of cleaned markup read for structure; the rest is cut, and said so
HEAD_BYTES = 256 * 1024  # where the title, description and canonical address are looked for
TAG_RE = re.compile(rb"<(/?)([a-zA-Z][a-zA-Z0-9-]*)[^>]*?(/?)>")
# Elements that never hold others, or whose end tag HTML lets a page leave out: they do not
# count towards the depth, so a sloppy but ordinary page is never refused.
FLAT_TAGS = {
    b"area", b"base", b"br", b"col", b"embed", b"hr", b"img", b"input", b"link", b"meta",
    b"source", b"track", b"wbr", b"p", b"li", b"dt", b"dd", b"tr", b"td", b"th", b"option",
    b"thead", b"tbody", b"tfoot", b"colgroup", b"html", b"head", b"body", b"rb", b"rp", b"rt",
}  # fmt: skip


# Heading words -> the role a section plays, from importers/heading_rules.txt (the first match
# wins). A bad line there stops the import at start-up, naming the line.
ROLES = load_rules()
# Which page field each role fills, per page type. Outcomes and learning points have no text
# field of their own on a case study: they join the evaluation text under their own heading,
# and the editor adds any figures as outcome rows.
TARGETS = {
    "case_study": {
        "summary": "summary",
        "aims": "aims",
        "what_was_done": "what_was_done",
        "evaluation": "evaluation",
        "outcomes": "evaluation",
        "learning": "evaluation",
        "contacts": "contacts",
        "started": "started",
    },
    "resource": {
        "summary": "summary",
        "audience": "audience",
        "how_to_obtain": "how_to_obtain",
        "languages": "languages",
        "published": "year",
        "contacts": "contacts",
    },
}
ROLE_HEADINGS_KEPT = {"outcomes", "learning"}  # joined under another field: keep the heading


@dataclass
class Block:
    kind: str  # "heading" or "text"
    text: str
    level: int = 0
    table: list | None = None  # a results table's rows of cell texts, header first


@dataclass
class Section:
    heading: str
    level: int
    role: str | None
    paragraphs: list[str] = field(default_factory=list)
    tables: list[list] = field(default_factory=list)  # results tables met in this section

    @property
    def text(self):
        return "\n\n".join(self.paragraphs)


@dataclass
class Extraction:
    """What a page said, and where each part went (shown to the editor after an import)."""

    page_type: str
    title: str = ""
    fields: dict = field(default_factory=dict)
    contacts: list[dict] = field(default_factory=list)
    areas: list = field(default_factory=list)  # Area objects recognised by name
    organisations: list = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    dates: list[str] = field(default_factory=list)
    mapped: list[list] = field(default_factory=list)  # [field, from where, characters]
    left_out: list[list] = field(default_factory=list)  # [heading, characters]
    cut: list[str] = field(default_factory=list)  # what was shortened or not read, and why
    why: dict = field(default_factory=dict)  # kind -> {name: the words on the page that named it}
    outcomes: list[dict] = field(default_factory=list)  # rows read from results tables
    canonical_url: str = ""

    def map(self, name, where, value):
        self.mapped.append([name, where, len(str(value))])


def _clean_text(value: str) -> str:
    value = "".join(ch for ch in value if ch.isprintable() or ch in "\n\t")
    return " ".join(value.split())


def looks_like_html(raw: bytes) -> bool:
    head = raw[:4096].lstrip().lower()
    if not head or b"\x00" in raw[:4096] or head.startswith(b"%pdf"):
        return False
    return bool(re.search(rb"<(?:!doctype html|html|head|body|h[1-6]|p|div|title|article)\b", head))


def nesting_depth(raw: bytes, limit: int = MAX_DEPTH) -> int:
    """How deep the page's elements nest, counted from its tags without building a tree (a
    tree of 20,000 levels costs minutes to build and overflows Python's stack to read). Stops
    counting once past `limit`."""
    depth = deepest = 0
    for match in TAG_RE.finditer(raw):
        closing, name, self_closing = match.groups()
        name = name.lower()
        if name in FLAT_TAGS or self_closing:
            continue
        if closing:
            depth = max(depth - 1, 0)
        else:
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > limit:
                    break
    return deepest


def _head(raw: bytes) -> bytes:
    """The part of the page that holds its <head>: the title and meta tags are looked for there
    only, so a very large page is not parsed whole for them."""
    end = raw.find(b"</head>", 0, HEAD_BYTES)
    return raw[: end + 7] if end >= 0 else raw[:HEAD_BYTES]


def _cut_at_tag(cleaned: str, limit: int) -> str:
    """The cleaned markup's first `limit` characters, ending before a tag begins."""
    cut = cleaned.rfind("<", 0, limit)
    return cleaned[: cut if cut > 0 else limit]


def parse(raw: bytes, *, page_type: str, base_url: str = "", charset: str | None = None, taxonomy):
    """Read a page into an Extraction. Raises ContentError for an empty, untitled or
    unreadably nested page; reads at most MAX_READ_CHARS of it and says so in `cut`."""
    if not looks_like_html(raw):
        raise ContentError("not an HTML page")
    if nesting_depth(raw) > MAX_DEPTH:
        raise ContentError(
            f"the page nests its elements more than {MAX_DEPTH} deep, so it cannot be read as "
            "a write-up; save the text as a simpler page and import that"
        )
    document = BeautifulSoup(_head(raw), "html.parser", from_encoding=charset)
    extraction = Extraction(page_type=page_type)
    canonical = document.find("link", rel="canonical")
    if canonical and canonical.get("href"):
        href = urljoin(base_url, canonical["href"].strip())
        if urlsplit(href).scheme in ("http", "https"):
            extraction.canonical_url = href
    description = _meta(document, "description") or _meta(document, "og:description")
    page_title = _clean_text(document.title.get_text()) if document.title else ""
    og_title = _meta(document, "og:title")

    # nh3 (html5ever) reads the original markup, so badly nested tags are mended as a browser
    # would mend them, before anything is read for its structure.
    cleaned = nh3.clean(
        raw.decode(document.original_encoding or "utf-8", errors="replace"),
        tags=STRUCTURE_TAGS,
        clean_content_tags=CHROME_TAGS,
        attributes={"a": {"href"}, "time": {"datetime"}},
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel=None,
    )
    if len(cleaned) > MAX_READ_CHARS:
        kept = _cut_at_tag(cleaned, MAX_READ_CHARS)
        extraction.cut.append(
            f"the page is very long: only its first {len(kept):,} characters of cleaned markup "
            f"were read; the last {len(cleaned) - len(kept):,} were left out"
        )
        cleaned = kept
    content = BeautifulSoup(cleaned, "html.parser")
    root = content.find("main") or content.find("article") or content
    try:
        blocks = list(_blocks(root))
    except RecursionError:  # nesting the depth count let through (it counts few tags)
        raise ContentError(
            "the page nests its elements too deeply to be read as a write-up"
        ) from None
    if not any(block.text for block in blocks):
        raise ContentError("the page is empty")

    h1_index = next(
        (i for i, b in enumerate(blocks) if b.kind == "heading" and b.level == 1 and b.text), None
    )
    if h1_index is not None:
        extraction.title = blocks[h1_index].text
        title_from = "the page's main heading (h1)"
        blocks = blocks[h1_index + 1 :]
    elif og_title or page_title:
        extraction.title = og_title or page_title
        title_from = "the page's og:title" if og_title else "the page's <title>"
    else:
        raise ContentError("no recognisable title (no h1 heading and no <title>)")
    if len(extraction.title) > 255:
        raise ContentError("no recognisable title (the main heading is over 255 characters)")
    extraction.map("title", title_from, extraction.title)

    _links(root, base_url, extraction)
    sections = _sections(blocks)
    _apply_sections(sections, description, extraction)
    if page_type == "case_study":
        _outcomes(sections, extraction)
    text = " ".join(block.text for block in blocks)
    _contacts(sections, text, extraction)
    extraction.dates = list(dict.fromkeys(DATE_RE.findall(text)))
    _recognise(" ".join([extraction.title, description, text]), taxonomy, extraction)
    return extraction


def _meta(document, name):
    tag = document.find("meta", attrs={"name": name}) or document.find(
        "meta", attrs={"property": name}
    )
    return _clean_text(tag.get("content", "")) if tag else ""


def _inline_text(nodes) -> str:
    parts = []
    for node in nodes:
        parts.append(str(node) if isinstance(node, NavigableString) else node.get_text(" "))
    return _clean_text(" ".join(parts))


def _is_pseudo_heading(tag: Tag) -> bool:
    """A short paragraph that is bold throughout, as badly made pages use for headings."""
    text = _clean_text(tag.get_text(" "))
    if not text or len(text) > 80:
        return False
    for string in tag.find_all(string=True):
        if string.strip() and not any(
            parent.name in ("strong", "b") for parent in string.parents if parent is not tag
        ):
            return False
    return True


def _blocks(node):
    """The page as headings and paragraphs, in reading order."""
    inline: list = []
    for child in list(node.children):
        if isinstance(child, NavigableString):
            if child.strip():
                inline.append(child)
            continue
        if not isinstance(child, Tag):
            continue
        name = child.name
        if name in INLINE_TAGS and not child.find(CONTAINER_TAGS):
            inline.append(child)
            continue
        if inline:
            yield Block("text", _inline_text(inline))
            inline = []
        if name in HEADINGS:
            yield Block("heading", _clean_text(child.get_text(" ")), HEADINGS[name])
        elif name in INLINE_TAGS:  # an inline tag wrapped around blocks (badly nested)
            yield from _blocks(child)
        elif name == "p":
            if _is_pseudo_heading(child):
                yield Block("heading", _clean_text(child.get_text(" ")), PSEUDO_LEVEL)
            else:
                yield from _mixed(child)
        elif name in ("ul", "ol"):
            for item in child.find_all("li", recursive=False):
                text = _clean_text(item.get_text(" "))
                if text:
                    yield Block("text", f"• {text}")
        elif name == "table":
            rows = _results_table(child)
            if rows:
                yield Block("text", "\n".join(" | ".join(row) for row in rows), table=rows)
            else:
                yield from _table(child)
        elif name == "dl":
            for term in child.find_all(["dt", "dd"]):
                kind = "heading" if term.name == "dt" else "text"
                yield Block(kind, _clean_text(term.get_text(" ")), PSEUDO_LEVEL)
        else:
            yield from _blocks(child)
    if inline:
        yield Block("text", _inline_text(inline))


def _mixed(tag):
    """A paragraph, or (badly nested) a paragraph holding blocks: split at the blocks."""
    if tag.find(CONTAINER_TAGS):
        yield from _blocks(tag)
    else:
        text = _clean_text(tag.get_text(" "))
        if text:
            yield Block("text", text)


def _table(table):
    """Rows as heading and text when a row is "label | value"; other rows as lines of text."""
    for row in table.find_all("tr"):
        cells = row.find_all(["th", "td"], recursive=False)
        texts = [_clean_text(c.get_text(" ")) for c in cells]
        if not any(texts):
            continue
        first = cells[0]
        label = first.name == "th" or _is_pseudo_heading(first) or first.find(["strong", "b"])
        if len(cells) == 2 and label and len(texts[0]) <= 80:
            yield Block("heading", texts[0].rstrip(":"), PSEUDO_LEVEL)
            if texts[1]:
                nested = cells[1].find(["p", "ul", "ol"])
                yield from (_blocks(cells[1]) if nested else [Block("text", texts[1])])
        elif len(cells) == 1 and first.name == "th":
            yield Block("heading", texts[0], PSEUDO_LEVEL)
        elif any(cell.find(CONTAINER_TAGS) for cell in cells):  # a layout table
            for cell in cells:
                yield from _blocks(cell)
        else:
            yield Block("text", " | ".join(t for t in texts if t))


NUMBER_RE = re.compile(r"^[<>~≈]?\s*(-?\d[\d,]*(?:\.\d+)?)\s*(%|per ?cent)?$", re.IGNORECASE)
# Column headings that say "the figure" rather than when it was measured.
VALUE_HEADINGS = {"value", "values", "result", "results", "number", "figure", "figures", "n", ""}


def _number(text):
    """(value, unit) of a cell that holds one figure ("15%", "1,204", "3.5"), else None."""
    match = NUMBER_RE.match(text.strip())
    if not match:
        return None
    return match.group(1).replace(",", ""), "%" if match.group(2) else ""


def _results_table(table):
    """A results table's rows (header first) when it is one: a header row, then rows each
    naming a measure in the first cell with only figures (or nothing) in the others."""
    rows = []
    for row in table.find_all("tr"):
        cells = [_clean_text(c.get_text(" ")) for c in row.find_all(["th", "td"], recursive=False)]
        if any(cells):
            rows.append(cells)
    if len(rows) < 2 or len(rows[0]) < 2 or any(len(r) != len(rows[0]) for r in rows):
        return None
    for cells in rows[1:]:
        figures = [_number(cell) for cell in cells[1:] if cell]
        if not cells[0] or _number(cells[0]) or not figures or None in figures:
            return None
    return rows


def outcome_rows(table):
    """Outcome rows from a results table: one per figure, the column heading as the period
    ("Before", "2008/09") unless it only says "Value"."""
    header, *body = table
    rows = []
    for cells in body:
        for heading, cell in zip(header[1:], cells[1:], strict=True):
            figure = _number(cell) if cell else None
            if figure is None:
                continue
            period = "" if heading.lower() in VALUE_HEADINGS else heading
            rows.append(
                {
                    "measure": cells[0][:255],
                    "value": figure[0],
                    "unit": figure[1],
                    "period": period[:60],
                }
            )
    return rows


def role_of(heading: str) -> str | None:
    for role, pattern in ROLES:
        if pattern.search(heading):
            return role
    return None


def _sections(blocks):
    """Group paragraphs under headings. A heading no role matches, deeper than the section it
    sits in, stays in that section as a line of text (e.g. an h3 inside "What was done")."""
    sections = [Section("", 0, "intro")]
    for block in blocks:
        if not block.text:
            continue
        current = sections[-1]
        if block.kind == "heading":
            role = role_of(block.text)
            nested = current.role not in (None, "intro") and block.level > current.level
            if role is None and nested:
                current.paragraphs.append(block.text)
                continue
            sections.append(Section(block.text, block.level, role))
        elif block.table:
            current.paragraphs.append(block.text)
            current.tables.append(block.table)
        else:
            labelled = LABEL_RE.match(block.text)
            role = role_of(labelled.group(1)) if labelled else None
            if role is not None:  # "Contact: ..." as one line
                sections.append(Section(labelled.group(1), PSEUDO_LEVEL, role))
                sections[-1].paragraphs.append(labelled.group(2))
            else:
                current.paragraphs.append(block.text)
    return sections


def _apply_sections(sections, description, extraction):
    targets = TARGETS[extraction.page_type]
    gathered: dict[str, list[Section]] = {}
    for section in sections:
        target = targets.get(section.role)
        if section.role == "intro" or not section.paragraphs:
            continue
        if target is None:
            extraction.left_out.append([section.heading, len(section.text)])
            continue
        gathered.setdefault(target, []).append(section)
    intro = sections[0]
    for target, found in gathered.items():
        if target == "contacts":
            continue  # read for emails and phone numbers below
        if target == "started":
            value = found[0].paragraphs[0]
            if len(value) > 60:
                extraction.left_out.append([found[0].heading, len(found[0].text)])
                continue
            extraction.fields["started"] = value
            extraction.map("started", f"“{found[0].heading}”", value)
            years = set(YEAR_RE.findall(value))
            if len(years) == 1:
                extraction.fields["start_year"] = int(years.pop())
                extraction.map("start_year", f"the year in “{found[0].heading}”", value)
            continue
        if target == "year":
            years = set(YEAR_RE.findall(found[0].text))
            if len(years) == 1:
                extraction.fields["year"] = int(years.pop())
                extraction.map("year", f"“{found[0].heading}”", found[0].text)
            else:
                extraction.left_out.append([found[0].heading, len(found[0].text)])
            continue
        keep_headings = len(found) > 1 or any(s.role in ROLE_HEADINGS_KEPT for s in found)
        parts = []
        for section in found:
            if keep_headings:
                parts.append(section.heading)
            parts.append(section.text)
        value = "\n\n".join(parts)
        if target == "languages":
            value = ", ".join(p.lstrip("• ") for s in found for p in s.paragraphs)
            if len(value) > 500:
                extraction.left_out.append([found[0].heading, len(value)])
                continue
        if target == "audience" and len(value) > 255:
            extraction.left_out.append([found[0].heading, len(value)])
            continue
        extraction.fields[target] = value
        extraction.map(target, ", ".join(f"“{s.heading}”" for s in found), value)
    if "summary" not in extraction.fields:
        if description:
            extraction.fields["summary"] = description
            extraction.map("summary", "the page's description", description)
        else:
            # The first paragraph under the title that is a sentence, not a date or a link.
            lead = next((p for p in intro.paragraphs if _is_lead(p)), None)
            if lead:
                extraction.fields["summary"] = lead
                extraction.map("summary", "the first paragraph under the title", lead)
                intro = Section("", 0, "intro", [p for p in intro.paragraphs if p is not lead])
    if intro.paragraphs:
        extraction.left_out.append(["(text under the title, before any heading)", len(intro.text)])


def _outcomes(sections, extraction):
    """Results tables become outcome rows; the table's text stays where its section went, for
    the editor to check the rows against."""
    targets = TARGETS[extraction.page_type]
    for section in sections:
        for table in section.tables:
            rows = outcome_rows(table)
            if not rows:
                continue
            extraction.outcomes.extend(rows)
            kept = targets.get(section.role)
            where = f"the table under “{section.heading or 'the title'}”"
            extraction.map(
                "outcomes",
                f"{where} ({len(rows)} rows; its text is kept in "
                f"{kept.replace('_', ' ') if kept else 'the left-out part'} to check)",
                rows,
            )


LEAD_MIN_WORDS = 8  # a shorter line that is no sentence is a byline or a left-over link ("Home")


def _is_lead(paragraph):
    sentence = paragraph.rstrip().endswith((".", "!", "?"))
    long_enough = sentence or len(paragraph.split()) >= LEAD_MIN_WORDS
    return long_enough and not DATE_LINE_RE.match(paragraph)


def _links(root, base_url, extraction):
    for anchor in root.find_all("a", href=True):
        href = anchor["href"].strip()
        if href.lower().startswith("mailto:"):
            address = href[7:].split("?", 1)[0]
            if address:
                extraction.emails.append(address)
            continue
        absolute = urljoin(base_url, href) if base_url else href
        if urlsplit(absolute).scheme in ("http", "https"):
            extraction.links.append(absolute.split("#", 1)[0])
    extraction.links = list(dict.fromkeys(extraction.links))


def _valid_email(address):
    try:
        validate_email(address)
    except ValidationError:
        return False
    return True


def _contacts(sections, text, extraction):
    """Each email address and phone number as a contact; names are never guessed."""
    contact_text = " ".join(s.text for s in sections if s.role == "contacts")
    emails = list(dict.fromkeys(EMAIL_RE.findall(contact_text + " " + text) + extraction.emails))
    emails = [e.rstrip(".") for e in emails if _valid_email(e.rstrip("."))]
    extraction.emails = list(dict.fromkeys(emails))
    phones = list(dict.fromkeys(_clean_text(p) for p in PHONE_RE.findall(contact_text or text)))
    if extraction.page_type == "resource":
        if phones and len(phones[0]) <= 60:
            extraction.fields["phone"] = phones[0]
            extraction.map("phone", "the first phone number on the page", phones[0])
        return
    count = max(len(extraction.emails), len(phones))
    for index in range(count):
        contact = {
            "email": extraction.emails[index] if index < len(extraction.emails) else "",
            "phone": phones[index] if index < len(phones) else "",
        }
        extraction.contacts.append(contact)
    if extraction.contacts:
        extraction.map(
            "contacts",
            "email addresses and phone numbers on the page (names left for the editor)",
            extraction.contacts,
        )


def _recognise(text, taxonomy, extraction):
    """Areas and organisations the page names, by their names in the taxonomy. Areas follow the
    suggestions' rule (importers.suggest.areas_named): whole place names, the most specific,
    national only when no local area is named."""
    by_pk = {area.pk: area for area in taxonomy["areas"]}
    named = [s for s in areas_named(text, taxonomy["areas"]) if s.why != NO_LOCAL_AREA]
    extraction.areas = [by_pk[s.pk] for s in named]
    extraction.why["areas"] = {s.name: s.why for s in named}
    by_pk = {obj.pk: obj for obj in taxonomy["organisations"]}
    named = organisations_named(text, taxonomy["organisations"])
    extraction.organisations = [by_pk[s.pk] for s in named]
    extraction.why["organisations"] = {s.name: s.why for s in named}
    for kind in ("areas", "organisations"):
        if getattr(extraction, kind) and extraction.page_type == "case_study":
            extraction.map(
                kind, "names from the taxonomy found on the page", getattr(extraction, kind)
            )
