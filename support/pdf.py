"""The pack and the visit report as PDFs: the same snapshot as the page that shows each, as
selectable text with full URLs.

Set in Roboto (a Unicode TTF that the `font-roboto` package installs from the lock file), so
curly quotes, dashes and accented names print as typed. Should the font be missing, the PDF
falls back to a core font and replaces what Latin-1 cannot hold, rather than fail.
"""

from __future__ import annotations

import datetime
import unicodedata
from pathlib import Path

from fpdf import FPDF

LATIN1_REPLACEMENTS = {
    "\u2018": "'",
    "\u2019": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u2013": "-",
    "\u2014": "-",
    "\u2026": "...",
    "\u00a0": " ",
    "\u2022": "-",
}


def roboto_paths() -> tuple[Path, Path] | None:
    try:  # optional: without the font package the PDF uses the built-in Helvetica
        import font_roboto
    except ImportError:
        return None
    folder = Path(font_roboto.__file__).parent / "files"
    regular, bold = folder / "Roboto-Regular.ttf", folder / "Roboto-Bold.ttf"
    return (regular, bold) if regular.is_file() and bold.is_file() else None


def to_latin1(text: str) -> str:
    text = "".join(LATIN1_REPLACEMENTS.get(ch, ch) for ch in text)
    out = []
    for ch in text:
        try:
            ch.encode("latin-1")
            out.append(ch)
        except UnicodeEncodeError:
            base = unicodedata.normalize("NFKD", ch).encode("latin-1", "ignore").decode()
            out.append(base or "?")
    return "".join(out)


BLUE = (0, 94, 184)
GREY = (75, 85, 90)


class PackPDF(FPDF):
    def __init__(self, title: str, fonts: tuple[Path, Path] | None):
        super().__init__(format="A4")
        self.pack_title = title
        self.set_margins(18, 18, 18)
        self.set_auto_page_break(True, margin=18)
        if fonts:
            self.add_font("Roboto", "", str(fonts[0]))
            self.add_font("Roboto", "B", str(fonts[1]))
            self.base_family = "Roboto"
            self.clean_text = str
        else:
            self.base_family = "Helvetica"
            self.clean_text = to_latin1
        self.set_title(self.clean_text(title))
        self.set_creator("Infant and maternal health inequalities knowledge base")

    def footer(self):
        self.set_y(-12)
        self.set_font(self.base_family, "", 8)
        self.set_text_color(90, 90, 90)
        self.cell(0, 6, self.clean_text(f"{self.pack_title} - page {self.page_no()}"), align="C")

    def text_block(self, text, size=10, style="", height=5, colour=(33, 43, 50), link=""):
        if not text:
            return
        self.set_font(self.base_family, style, size)
        self.set_text_color(*colour)
        self.multi_cell(0, height, self.clean_text(text), new_x="LMARGIN", new_y="NEXT", link=link)


def long_date(iso: str) -> str:
    """ "2026-03-02" as "2 March 2026" (empty for no date)."""
    if not iso:
        return ""
    day = datetime.date.fromisoformat(iso)
    return f"{day.day} {day:%B %Y}"


def pack_groups(pdf: PackPDF, groups, heading_size=14) -> None:
    """A pack's items under their topics: the share page's content, shared by both PDFs."""
    for group in groups:
        pdf.ln(4)
        pdf.text_block(group["topic"], size=heading_size, style="B", height=7, colour=BLUE)
        for item in group["items"]:
            pdf.ln(2)
            pdf.text_block(f"{item['title']} ({item['type']})", size=11, style="B")
            pdf.text_block(item["url"], size=9, colour=BLUE, link=item["url"])
            if item.get("note"):
                pdf.text_block(f"Why this matters for you: {item['note']}", size=10)
            elif item.get("summary"):
                pdf.text_block(item["summary"], size=10, colour=GREY)
            if item.get("recommendation"):
                pdf.text_block(
                    f"Supports the recommendation: {item['recommendation']}", size=10, colour=GREY
                )


def render_pack_pdf(snapshot: dict) -> bytes:
    pdf = PackPDF(snapshot.get("title", "Signposting pack"), roboto_paths())
    pdf.add_page()
    pdf.text_block(snapshot.get("title", ""), size=18, style="B", height=8)
    if snapshot.get("sent_on"):
        pdf.text_block(
            f"For {snapshot.get('area', '')}. Sent on {long_date(snapshot['sent_on'])} by "
            f"{snapshot.get('sender', '')}, national support team.",
            size=10,
            colour=GREY,
        )
    pdf.ln(3)
    pdf.text_block(snapshot.get("introduction", ""))
    pack_groups(pdf, snapshot.get("groups", []))
    return bytes(pdf.output())


def render_report_pdf(snapshot: dict) -> bytes:
    """The visit report (see support.visit_report for what the snapshot holds)."""
    pdf = PackPDF(snapshot.get("title", "Visit report"), roboto_paths())
    pdf.add_page()

    def heading(text):
        pdf.ln(5)
        pdf.text_block(text, size=14, style="B", height=7, colour=BLUE)

    pdf.text_block(snapshot.get("title", ""), size=18, style="B", height=8)
    pdf.text_block(
        f"Visit from {long_date(snapshot.get('start_date', ''))} to "
        f"{long_date(snapshot.get('end_date', ''))}. Prepared by {snapshot.get('sender', '')}, "
        f"national support team, on {long_date(snapshot.get('sent_on', ''))}.",
        size=10,
        colour=GREY,
    )
    heading("The visit")
    if snapshot.get("lead"):
        pdf.text_block(f"Led by {snapshot['lead']}.")
    if snapshot.get("team"):
        pdf.text_block(f"Visit team: {', '.join(snapshot['team'])}.")
    if snapshot.get("topics"):
        pdf.text_block(f"Topics discussed: {'; '.join(snapshot['topics'])}.")
    evaluation = snapshot.get("evaluation")
    if evaluation:
        pdf.text_block(
            f"End of visit evaluation: {evaluation['positive']} of {evaluation['participants']} "
            f"({evaluation['share']}%) said it gave a basis for further improvement."
        )
    heading("Who we saw")
    for person in snapshot.get("people_seen", []) or ["Not recorded."]:
        pdf.text_block(f"- {person}")
    heading("Strengths")
    pdf.text_block(snapshot.get("strengths") or "Not recorded.")
    heading("Recommendations")
    for number, recommendation in enumerate(snapshot.get("recommendations", []), start=1):
        pdf.ln(2)
        pdf.text_block(f"{number}. {recommendation['text']}", style="B")
        pdf.text_block(
            f"Priority: {recommendation['priority']}. Owned by: "
            f"{recommendation['owner_role'] or 'not assigned'}. {recommendation['theme']}: "
            f"{recommendation['category']}.",
            size=9,
            colour=GREY,
        )
        for title in recommendation.get("supported_by", []):
            pdf.text_block(f"In the pack: {title}", size=9, colour=GREY)
    if not snapshot.get("recommendations"):
        pdf.text_block("No recommendations recorded.")
    heading("Follow-up support")
    for follow_up in snapshot.get("follow_ups", []):
        pdf.ln(1)
        due = long_date(follow_up.get("due_date", "")) or "date to be agreed"
        owner = f", with {follow_up['owner']}" if follow_up.get("owner") else ""
        pdf.text_block(f"{follow_up['kind']}: {due}{owner}.", style="B")
        pdf.text_block(follow_up.get("notes", ""))
    for pack in snapshot.get("packs", []):
        heading(f"Signposting pack: {pack['title']}")
        pdf.text_block(pack.get("introduction", ""))
        pack_groups(pdf, pack.get("groups", []), heading_size=12)
    return bytes(pdf.output())
