"""The text of a Word file (.docx), read with python-docx, in reading order.

Paragraphs and headings give a line each (a line break inside a paragraph starts a new one);
a table gives a line per row with its cells in columns that line up (empty cells kept as
blanks), as the cells of a printed page stand, so that an attendance table reads as one on
every form. Automatic numbering, which
Word keeps out of the text ("1.", "a)", "§ 3" set by a list style), is written out, since
agenda items are often numbered that way. Deleted tracked changes, field codes and the
fallback copies of text boxes are left out. The header of the first page (where protocols
put the body and the meeting date) comes first, once; footers are page furniture and are
left out. A page break starts a new page.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

from . import layout, rules
from .text import Unreadable

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
PAGE_BREAK = "\f"
# Subtrees whose text is not the document's: deleted text, field instructions, and the
# duplicate that documents with text boxes keep for older readers.
_SKIPPED = {f"{W}del", f"{W}instrText", f"{W}delInstrText", _MC_FALLBACK, f"{W}pPr",
            f"{W}rPr", f"{W}txbxContent"}
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def read(data: bytes) -> tuple[list[str], dict]:
    """The text of each page of a .docx file and its document properties. Raises
    `Unreadable` with a short reason."""
    _check_package(data)
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - a damaged package raises many kinds of errors
        raise Unreadable(f"damaged DOCX ({type(exc).__name__}: {_short(exc)})") from None
    numbering = _Numbering(document)
    lines: list[str] = []
    if document.sections:
        section = document.sections[0]
        header = (section.first_page_header if section.different_first_page_header_footer
                  else section.header)
        if not header.is_linked_to_previous:
            lines += _lines(header._element, numbering)
    lines += _lines(document.element.body, numbering)
    pages = "\n".join(lines).split(PAGE_BREAK)
    return [p.strip("\n") for p in pages], _properties(document)


def _check_package(data: bytes) -> None:
    if data.startswith(_OLE_MAGIC):
        raise Unreadable("not a DOCX file (an encrypted Word file or an old binary .doc)")
    if not data.startswith(b"PK"):
        raise Unreadable("not a DOCX file (not a ZIP archive)")
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise Unreadable(f"damaged DOCX ({_short(exc)})") from None
    with package:
        if "word/document.xml" not in package.namelist():
            raise Unreadable("not a DOCX file (no word/document.xml)")
        limit = rules.load("ingest")["limits"]["docx_unpacked_max_megabytes"] * 1024 * 1024
        unpacked = sum(info.file_size for info in package.infolist())
        if unpacked > limit:
            raise Unreadable(f"DOCX too large unpacked ({unpacked / 1048576:.0f} MB, "
                             f"limit {limit // 1048576} MB)")


def _short(exc: Exception) -> str:
    return " ".join(str(exc).split())[:120] or "unknown error"


def _properties(document) -> dict:
    props = document.core_properties
    out = {}
    for name in ("title", "author", "subject"):
        value = getattr(props, name, None)
        if value and value.strip():
            out[name] = value.strip()
    if props.created:
        out["created"] = props.created.isoformat()
    return out


# ---------------------------------------------------------------------------------- blocks


def _lines(parent, numbering: _Numbering) -> list[str]:
    out: list[str] = []
    for element in _block_elements(parent):
        if element.tag == f"{W}p":
            out += _paragraph_lines(element, numbering)
        else:
            out += _table_lines(element, numbering)
    return out


def _block_elements(parent) -> Iterator:
    """Paragraphs and tables in document order, through content controls and custom XML."""
    for child in parent.iterchildren():
        if child.tag in (f"{W}p", f"{W}tbl"):
            yield child
        elif child.tag == f"{W}sdt":
            content = child.find(f"{W}sdtContent")
            if content is not None:
                yield from _block_elements(content)
        elif child.tag == f"{W}customXml":
            yield from _block_elements(child)


def _paragraph_lines(p, numbering: _Numbering) -> list[str]:
    text = numbering.label(p) + _paragraph_text(p)
    lines = text.split("\n")
    # Text boxes anchored in the paragraph follow it (a box inside a box comes with its own).
    for box in p.iter(f"{W}txbxContent"):
        outer = []
        for a in box.iterancestors():
            if a is p:
                break
            outer.append(a.tag)
        if _MC_FALLBACK not in outer and f"{W}txbxContent" not in outer:
            lines += _lines(box, numbering)
    return lines


def _paragraph_text(p) -> str:
    parts: list[str] = []

    def walk(element) -> None:
        for child in element.iterchildren():
            tag = child.tag
            if tag in _SKIPPED:
                continue
            if tag == f"{W}t":
                parts.append(child.text or "")
            elif tag == f"{W}tab":
                parts.append("\t")
            elif tag == f"{W}br":
                kind = child.get(f"{W}type")
                parts.append(PAGE_BREAK + "\n" if kind == "page" else
                             "" if kind == "column" else "\n")
            elif tag == f"{W}cr":
                parts.append("\n")
            elif tag == f"{W}noBreakHyphen":
                parts.append("-")
            elif tag == f"{W}sym":
                parts.append(" ")
            else:
                walk(child)

    walk(p)
    ppr = p.find(f"{W}pPr")
    before = ppr is not None and ppr.find(f"{W}pageBreakBefore") is not None
    return (PAGE_BREAK + "\n" if before else "") + "".join(parts)


def _table_lines(tbl, numbering: _Numbering) -> list[str]:
    out = []
    for tr in tbl.iter(f"{W}tr"):
        if next((a for a in tr.iterancestors(f"{W}tbl")), None) is not tbl:
            continue  # a row of a table nested in a cell: read with its cell
        cells = []
        for tc in tr.iterchildren(f"{W}tc", f"{W}sdt"):
            if tc.tag == f"{W}sdt":
                content = tc.find(f"{W}sdtContent")
                found = [] if content is None else list(content.iterchildren(f"{W}tc"))
            else:
                found = [tc]
            for cell in found:
                words = " ".join(" ".join(_lines(cell, numbering)).split())
                cells.append(words)
                cells += [""] * (_grid_span(cell) - 1)
        out.append(cells)
    return layout.table_text(out)


def _grid_span(tc) -> int:
    """How many grid columns a cell spans (merged cells), so later cells keep their column."""
    span = tc.find(f"{W}tcPr/{W}gridSpan")
    try:
        return max(1, min(int(_val(span) or 1), 50)) if span is not None else 1
    except ValueError:
        return 1


# ------------------------------------------------------------------------------- numbering


class _Numbering:
    """The labels Word's automatic numbering shows before list paragraphs."""

    def __init__(self, document):
        self.levels: dict[str, dict[int, tuple[int, str, str]]] = {}
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}
        self.counters: dict[str, list[int]] = {}
        self.started: set[str] = set()
        self.style_numbering: dict[str, tuple[str, int]] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            root = None
        if root is not None:
            self._read_numbering(root)
        self._read_styles(document)

    def _read_numbering(self, root) -> None:
        for abstract in root.iterchildren(f"{W}abstractNum"):
            levels = {}
            for lvl in abstract.iterchildren(f"{W}lvl"):
                levels[int(lvl.get(f"{W}ilvl", "0"))] = (
                    int(_val(lvl.find(f"{W}start")) or 1),
                    _val(lvl.find(f"{W}numFmt")) or "decimal",
                    _val(lvl.find(f"{W}lvlText")) or "",
                )
            self.levels[abstract.get(f"{W}abstractNumId")] = levels
        for num in root.iterchildren(f"{W}num"):
            overrides = {}
            for override in num.iterchildren(f"{W}lvlOverride"):
                start = _val(override.find(f"{W}startOverride"))
                if start is not None:
                    overrides[int(override.get(f"{W}ilvl", "0"))] = int(start)
            self.nums[num.get(f"{W}numId")] = (_val(num.find(f"{W}abstractNumId")), overrides)

    def _read_styles(self, document) -> None:
        try:
            styles = document.styles.element
        except (KeyError, AttributeError):
            return
        based_on, own = {}, {}
        for style in styles.iterchildren(f"{W}style"):
            sid = style.get(f"{W}styleId")
            based_on[sid] = _val(style.find(f"{W}basedOn"))
            numpr = style.find(f"{W}pPr/{W}numPr")
            if numpr is not None:
                own[sid] = (_val(numpr.find(f"{W}numId")), int(_val(numpr.find(f"{W}ilvl")) or 0))
        for sid in based_on:
            seen, at = set(), sid
            while at and at not in own and at not in seen:
                seen.add(at)
                at = based_on.get(at)
            if at in own:
                self.style_numbering[sid] = own[at]

    def label(self, p) -> str:
        ppr = p.find(f"{W}pPr")
        num_id, ilvl = None, 0
        if ppr is not None:
            numpr = ppr.find(f"{W}numPr")
            style = _val(ppr.find(f"{W}pStyle"))
            if style in self.style_numbering:
                num_id, ilvl = self.style_numbering[style]
            if numpr is not None:
                num_id = _val(numpr.find(f"{W}numId")) or num_id
                ilvl = int(_val(numpr.find(f"{W}ilvl")) or ilvl)
        if not num_id or num_id == "0" or num_id not in self.nums:
            return ""
        abstract, overrides = self.nums[num_id]
        levels = self.levels.get(abstract, {})
        if ilvl not in levels:
            return ""
        counters = self.counters.setdefault(abstract, [0] * 9)
        if num_id not in self.started:
            # A list instance that restarts numbering starts over at its own start.
            self.started.add(num_id)
            for level, start in overrides.items():
                if level < 9:
                    counters[level] = start - 1
        start = levels[ilvl][0]
        counters[ilvl] = max(counters[ilvl] + 1, start)
        for deeper in range(ilvl + 1, 9):
            counters[deeper] = 0
        _, fmt, text = levels[ilvl]
        if fmt == "bullet":
            return "- "
        if fmt == "none":
            return ""
        for level in range(ilvl + 1):
            level_fmt = levels.get(level, (1, "decimal", ""))[1]
            value = counters[level] or levels.get(level, (1,))[0]
            text = text.replace(f"%{level + 1}", _format(value, level_fmt))
        return text + " " if text else ""


def _val(element) -> str | None:
    return None if element is None else element.get(f"{W}val")


def _format(n: int, fmt: str) -> str:
    if fmt in ("lowerLetter", "upperLetter"):
        letters = ""
        while n > 0:
            n, r = divmod(n - 1, 26)
            letters = chr(ord("a") + r) + letters
        return letters.upper() if fmt == "upperLetter" else letters
    if fmt in ("lowerRoman", "upperRoman"):
        roman = _roman(n)
        return roman.lower() if fmt == "lowerRoman" else roman
    if fmt == "decimalZero":
        return f"{n:02d}"
    return str(n)


def _roman(n: int) -> str:
    out = ""
    for value, numeral in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"),
                           (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"),
                           (4, "IV"), (1, "I")):
        while n >= value:
            out += numeral
            n -= value
    return out
