"""The pack as a PDF: the same snapshot as the share page, as selectable text with full URLs.

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


def render_pack_pdf(snapshot: dict) -> bytes:
    pdf = PackPDF(snapshot.get("title", "Signposting pack"), roboto_paths())
    pdf.add_page()
    pdf.text_block(snapshot.get("title", ""), size=18, style="B", height=8)
    sent_on = snapshot.get("sent_on")
    if sent_on:
        day = datetime.date.fromisoformat(sent_on)
        pdf.text_block(
            f"For {snapshot.get('area', '')}. Sent on {day.day} {day:%B %Y} by "
            f"{snapshot.get('sender', '')}, national support team.",
            size=10,
            colour=(75, 85, 90),
        )
    pdf.ln(3)
    pdf.text_block(snapshot.get("introduction", ""))
    for group in snapshot.get("groups", []):
        pdf.ln(4)
        pdf.text_block(group["topic"], size=14, style="B", height=7, colour=(0, 94, 184))
        for item in group["items"]:
            pdf.ln(2)
            pdf.text_block(f"{item['title']} ({item['type']})", size=11, style="B")
            pdf.text_block(item["url"], size=9, colour=(0, 94, 184), link=item["url"])
            if item.get("note"):
                pdf.text_block(f"Why this matters for you: {item['note']}", size=10)
            elif item.get("summary"):
                pdf.text_block(item["summary"], size=10, colour=(75, 85, 90))
    return bytes(pdf.output())
