"""Plain text and Markdown: decoding, cleaning, page splitting, and the page-level clean-up
(headers, footers, hyphenation) that PDF text shares."""

from __future__ import annotations

import codecs
import functools
import html
import math
import re
import tomllib
import unicodedata
from collections import Counter

from . import rules


class _Limits(rules.Rules):
    text_max_megabytes: float
    docx_unpacked_max_megabytes: float


class _PdfRules(rules.Rules):
    x_tolerance_ratio: float
    max_unmapped_share: float


class _OcrRules(rules.Rules):
    below_chars: int
    min_picture_share: float
    dpi: int
    min_word_confidence: float
    despeckle: int
    despeckle_above: float
    stand_alone: list[str]
    page_seconds: float


class _HtmlRules(rules.Rules):
    drop_elements: list[str]
    chrome_elements: list[str]
    chrome_roles: list[str]
    chrome_class_words: list[str]
    link_list_min_links: int
    link_list_min_share: float


class _Furniture(rules.Rules):
    edge_lines_top: int
    edge_lines_bottom: int
    min_share: float
    patterns: list[rules.PatternText]
    protect: list[rules.PatternText]


class _Hyphenation(rules.Rules):
    keep_before: list[str]


class _PageMarkers(rules.Rules):
    markers: list[rules.PatternText]


class _Transcript(rules.Rules):
    long_line: int
    boilerplate: list[rules.PatternText]
    preface_end: rules.PatternText
    page_head: rules.PatternText
    labels: list[str]
    numbered_body_chars: int
    contents_labels: list[str]
    role_labels: list[str]
    section_reference_words: list[str]


class _MarkdownRules(rules.Rules):
    dropped_lines: list[rules.PatternText]


@rules.schema("ingest")
class IngestRules(rules.Rules):
    """rules/ingest.toml: limits and what reading each kind of file keeps or drops."""

    limits: _Limits
    pdf: _PdfRules
    ocr: _OcrRules
    html: _HtmlRules
    chars: dict[str, str]
    furniture: _Furniture
    hyphenation: _Hyphenation
    pages: _PageMarkers
    transcript: _Transcript
    markdown: _MarkdownRules


class Unreadable(Exception):
    """Content that cannot be turned into text; str() is the short reason."""


@functools.cache
def _rules() -> dict:
    return rules.load("ingest")


# ---------------------------------------------------------------------------------- decoding

# Bytes cp1252 leaves undefined; their presence means the file is not cp1252 text.
_CP1252_UNDEFINED = frozenset(b"\x81\x8d\x8f\x90\x9d")
_TEXT_CONTROLS = frozenset("\t\n\r\f\v")


def decode(data: bytes) -> tuple[str, str]:
    """Decode file bytes; returns (text, encoding name). Raises Unreadable for binary data."""
    for bom, name in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return _checked(data.decode(name)), name
            except UnicodeDecodeError:
                raise Unreadable(f"not text: invalid {name} despite its byte-order mark") from None
    if b"\x00" in data:
        # UTF-16 without a byte-order mark puts a zero beside every ASCII character.
        odd, even = data[1::2].count(0), data[0::2].count(0)
        half = len(data) // 2 or 1
        for name, zeros, other in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
            if zeros > 0.3 * half and other < 0.05 * half:
                try:
                    return _checked(data.decode(name)), name
                except UnicodeDecodeError:
                    break
        raise Unreadable("not text: binary content")
    try:
        return _checked(data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError:
        pass
    if _CP1252_UNDEFINED.isdisjoint(data):
        return _checked(data.decode("cp1252")), "cp1252"
    # latin-1 maps every byte; accept it only when the result reads as text.
    return _checked(data.decode("latin-1")), "latin-1"


# A run of one repeated punctuation mark, optionally spaced: ". . . .", "……", "____".
_LEADER = re.compile(r"([.\-_·…=*])(?:[ \t]?\1){2,}")


def _checked(text: str) -> str:
    """Reject decoded text that is mostly control characters or letterless junk."""
    sample = text[:200_000]
    if not sample:
        return text
    controls = sum(
        1 for ch in sample if unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn")
        and ch not in _TEXT_CONTROLS
    )
    letters = sum(1 for ch in sample if ch.isalpha())
    # Dotted leaders of a contents list ("Val av justerare ........ 3") are typography, not
    # junk: they do not count against the share of letters.
    visible = sum(1 for ch in _LEADER.sub("", sample) if not ch.isspace())
    if controls > 0.01 * len(sample) or letters < 0.3 * visible:
        raise Unreadable("not text: binary content")
    return text


# ----------------------------------------------------------------------------- normalising

@functools.cache
def _char_table() -> dict[int, str]:
    return {ord(k): v for k, v in _rules()["chars"].items()}


def normalise(text: str) -> str:
    """Unicode NFC, unified line ends, odd spaces/dashes/ligatures replaced, no spaces at line ends."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # str.rstrip per line, not a regex: "[ \t]+$" retries every space of a long run of
    # spaces inside a line, which is quadratic in the run.
    return "\n".join(line.rstrip(" \t") for line in normalise_chars(text).split("\n"))


def normalise_chars(text: str) -> str:
    """Unicode NFC with odd spaces, dashes and ligatures replaced (a word's characters)."""
    return unicodedata.normalize("NFC", text).translate(_char_table())


def drop_soft_hyphens(text: str) -> str:
    """In typed text a soft hyphen is invisible: remove it."""
    return text.replace("\u00ad", "")


_ACRONYM_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZÅÄÖ0123456789")


def _word_before_hyphen(line: str) -> str | None:
    r"""The word a line ends in when a hyphen follows it ("kommun-" -> "kommun"), else None.

    Read backwards from the end: a pattern such as ".*?(\w+)-$" tries every start in the
    line and is quadratic in a long line."""
    if not line.endswith("-"):
        return None
    end = len(line) - 1
    start = end
    while start > 0 and (line[start - 1].isalnum() or line[start - 1] == "_"):
        start -= 1
    return line[start:end] or None


def join_hyphenated(text: str) -> str:
    """Join words split by a hyphen at a line end: "kommun-" / "styrelsen" -> "kommunstyrelsen".

    The rest of the word moves up to the first line, so lines keep their order. The hyphen
    stays when it belongs to the word ("MLR-" / "kommunerna", "offentligt-näringsliv-" /
    "idéburet") and the break stays before a
    conjunction ("miljö-" / "och") or a capital ("Stockholm-" / "Uppsala").
    """
    keep_before = {w.lower() for w in _rules()["hyphenation"]["keep_before"]}
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        word = _word_before_hyphen(line)
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        first = nxt.lstrip().split(" ", 1)[0] if nxt.strip() else ""
        if (
            word
            and first
            and first[0].islower()
            and not word[-1].isdigit()
            and first.rstrip(".,;:").lower() not in keep_before
        ):
            # An acronym ("MLR-") or a hyphen chain ("offentligt-näringsliv-") keeps its hyphen.
            token = line.rsplit(None, 1)[-1]
            acronym = len(word) >= 2 and set(word[-2:]) <= _ACRONYM_CHARS
            joiner = "-" if acronym or "-" in token[:-1] else ""
            word_tail, _, rest = nxt.lstrip().partition(" ")
            out.append(line[:-1] + joiner + word_tail)
            rest = rest.lstrip()
            if rest:
                lines[i + 1] = rest
                i += 1
            else:
                i += 2
            continue
        out.append(line)
        i += 1
    return "\n".join(out)


# -------------------------------------------------------------------------- page furniture

@functools.cache
def _furniture_rules():
    f = _rules()["furniture"]
    patterns = [re.compile(p, re.IGNORECASE) for p in f["patterns"]]
    protect = [re.compile(p) for p in f["protect"]]
    return f, patterns, protect


def _shape(line: str) -> str:
    """A line's identity across pages: case, spacing and the value of numbers ignored."""
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", line.lower()))


def strip_furniture(pages: list[str]) -> list[str]:
    """Remove running page headers and footers.

    Lines are peeled off each page's top and bottom while they are furniture: a shape that
    recurs at that edge on most pages, or a page-number/signature-box line. The first page
    keeps its recurring lines, because there they are the cover stating body, date and title
    once; only its page-number-like lines go.
    """
    f, patterns, protect = _furniture_rules()
    split = [p.split("\n") for p in pages]
    with_text = sum(1 for p in pages if p.strip())
    top: Counter[str] = Counter()
    bottom: Counter[str] = Counter()
    for lines in split:
        content = [ln for ln in lines if ln.strip()]
        top.update({_shape(ln) for ln in content[: f["edge_lines_top"]]})
        bottom.update({_shape(ln) for ln in content[-f["edge_lines_bottom"]:]})
    need = max(2, math.ceil(f["min_share"] * with_text))

    def kind(line: str, counts: Counter[str], page: int) -> str | None:
        """"pattern" (always furniture), "repeated" (a running head/foot) or None."""
        s = line.strip()
        if any(p.search(s) for p in protect):
            return None
        if s.isdigit() and (abs(int(s) - page) > 2 or page in numbered):
            # A bare number that is not this page's, or on a page whose running head already
            # gives its number ("5 (10)"): an item number ("5" / title), not a page number.
            return None
        if any(p.search(s) for p in patterns):
            return "pattern"
        if with_text >= 2 and counts[_shape(s)] >= need:
            return "repeated"
        return None

    def edge(lines: list[str], order: range, counts: Counter[str], limit: int, first: bool,
             page: int):
        """Indices to drop, walking inwards from one edge while lines are furniture."""
        drop, seen = [], 0
        for i in order:
            if not lines[i].strip():
                drop.append(i)
                continue
            found = kind(lines[i], counts, page)
            if found is None or seen >= limit:
                break
            seen += 1
            if not first or found == "pattern":
                drop.append(i)
        return drop

    # Pages whose edges state their own number in a running head ("Sida 5 av 10", "5 (10)").
    numbered = {n + 1 for n, lines in enumerate(split)
                if any(re.search(rf"(?<!\d){n + 1}\s*\(\s*\d+\s*\)|(?i:sida)\s+{n + 1}\b", ln)
                       for ln in [x for x in lines if x.strip()][:f["edge_lines_top"]]
                       + [x for x in lines if x.strip()][-f["edge_lines_bottom"]:])}
    out = []
    for n, lines in enumerate(split):
        first = n == 0
        drop = set(edge(lines, range(len(lines)), top, f["edge_lines_top"], first, n + 1))
        drop |= set(edge(lines, range(len(lines) - 1, -1, -1), bottom, f["edge_lines_bottom"],
                         first, n + 1))
        out.append("\n".join(line for i, line in enumerate(lines) if i not in drop))
    return out


# ------------------------------------------------------------------------------- page splits

@functools.cache
def _page_markers() -> list[re.Pattern]:
    return [re.compile(p, re.IGNORECASE | re.MULTILINE) for p in _rules()["pages"]["markers"]]


def split_pages(text: str) -> list[str] | None:
    """Pages marked by form feeds or converter comments; None when the text has no marks."""
    if "\f" in text:
        pages = text.split("\f")
        if pages and not pages[-1].strip():
            pages.pop()
        return pages
    for marker in _page_markers():
        found = list(marker.finditer(text))
        if found:
            head = text[: found[0].start()]
            pages = [
                text[m.end(): found[k + 1].start() if k + 1 < len(found) else len(text)]
                for k, m in enumerate(found)
            ]
            # Anything before the first marker (front matter) belongs with page 1.
            pages[0] = head + pages[0]
            return pages
    return None


# ------------------------------------------------------------------------ web transcripts

@functools.cache
def _transcript_rules():
    t = _rules()["transcript"]
    boiler = [re.compile(p) for p in t["boilerplate"]]
    labels = sorted(t["labels"], key=len, reverse=True)
    label_re = re.compile(
        r"(?<![ \t])[ \t]+(?=(?:" + "|".join(re.escape(lb) for lb in labels) + r")(?![\w/]))"
    )
    return t, boiler, re.compile(t["preface_end"]), re.compile(t["page_head"]), label_re


_PAGE_START = re.compile(r"^(\d{1,4})(?=[\s(]|$)")
_QUOTED_TITLE = re.compile(r'^(?:Download|Ladda ner)\s+"(.+)"$')


def transcript_pages(text: str) -> tuple[list[str], dict] | None:
    """Split a web transcript of a PDF into pages, or None when the text is not one.

    A transcript has pages flattened into long lines, each starting with its page number
    (1, 2, 3, ...), often below a site preface ending in "Transkript".
    """
    t, boiler, preface_end, page_head, _ = _transcript_rules()
    lines = text.split("\n")
    metadata: dict = {}
    for k, line in enumerate(lines):
        if preface_end.match(line.strip()):
            # The download link quotes the document's first line in full; the page title
            # above it is often cut short.
            quoted = next((m.group(1) for ln in lines[:k]
                           if (m := _QUOTED_TITLE.match(ln.strip()))), "")
            title = quoted or next((ln.strip() for ln in lines[:k] if ln.strip()), "")
            if title and not any(b.match(title) for b in boiler) or quoted:
                metadata["title"] = title
            lines = lines[k + 1:]
            break
    lines = [ln for ln in lines if not any(b.match(ln.strip()) for b in boiler)]
    content = [ln for ln in lines if ln.strip()]
    if not content or max(len(ln) for ln in content) < t["long_line"]:
        return None
    pages: list[str] = []
    for line in content:
        m = _PAGE_START.match(line)
        if m and int(m.group(1)) == len(pages) + 1:
            pages.append(line)
        elif pages:
            pages[-1] += "\n" + line
        else:
            return None
    long_share = sum(len(p) for p in pages if len(p) >= t["long_line"]) / sum(map(len, pages))
    if long_share < 0.5:
        return None
    out = []
    for n, page in enumerate(pages, 1):
        # The transcript's own page number, then the PDF's running head "1 (39)".
        # (Unless the number is the running head itself: "1 (4) ...".)
        page = re.sub(r"^\d{1,4}[ \t]+", "", page) if not re.match(rf"{n}[ \t]?\(\d", page) else page
        page = page.strip()
        head = page_head.match(page)
        if head and int(head.group("n")) == n:
            page = page[head.end():].lstrip()
        else:
            # A bare running page number ("3 Innehållsförteckning"), not an item ("3. ...").
            page = re.sub(rf"^{n}(?:\s+|$)", "", page)
        out.append(_drop_inline_page_heads(page, n))
    return out, metadata


def _drop_inline_page_heads(page: str, n: int) -> str:
    """Remove this page's own "N(M)" or "Sida N av M" head where it stands inside the
    flattened line."""
    return re.sub(rf"(?<!\S)(?:(?:Sida\s+)?{n}\s?\(\d{{1,4}}\)|Sida\s+{n}\s+av\s+\d{{1,4}})(?!\S)[ \t]*",
                  "", page)


def unflatten(pages: list[str]) -> list[str]:
    """Put line breaks back into flattened pages at points the segmenter relies on:
    header labels, "§ 12" paragraph starts and runs of numbered items 1., 2., 3."""
    pages = [_break_labels(p) for p in pages]
    pages = [_break_sections(p) for p in pages]
    pages = [_break_contents(p) for p in pages]
    return _break_numbered(pages)


def _break_labels(page: str) -> str:
    t, *_, label_re = _transcript_rules()
    roles = tuple(t["role_labels"])

    def repl(m: re.Match) -> str:
        before = page[: m.start()].rstrip()
        if page.startswith(roles, m.end()) and before.endswith((")", ",")):
            return m.group()
        return "\n"

    return label_re.sub(repl, page)


_SECTION = re.compile(
    r"(?<![ \t])[ \t]+(?=(?:[A-ZÅÄÖ]{1,4}[ \t]+)?§[ \t]*\d+(?:[ \t]?[a-z])?(?:[ \t]+[A-ZÅÄÖ\d\"”]|[ \t]*$))",
    re.MULTILINE,
)


def _break_sections(page: str) -> str:
    refs = {w.lower() for w in _transcript_rules()[0]["section_reference_words"]}

    def repl(m: re.Match) -> str:
        words = page[: m.start()].split()
        if words and words[-1].lower() in refs:
            return m.group()
        return "\n"

    return _SECTION.sub(repl, page)


_CONTENTS_ENTRY = re.compile(r"(?<=\s)(\d{1,3})[ \t]+(?=Dnr\b|[A-ZÅÄÖ][a-zåäö])")


def _break_contents(page: str) -> str:
    """Break a flattened table of contents ("Ärendelista 26 Dnr KS 2018/14 Information... 3
    27 Dnr ...") before each entry number. Entry numbers rise by one or two; page numbers
    between them do not fit that run and stay where they are."""
    labels = _transcript_rules()[0]["contents_labels"]
    out = []
    for line in page.split("\n"):
        if not line.lstrip().startswith(tuple(labels)):
            out.append(line)
            continue
        cuts, last = [], None
        for m in _CONTENTS_ENTRY.finditer(line):
            n = int(m.group(1))
            if last is None or 1 <= n - last <= 2:
                cuts.append(m.start())
                last = n
        # Fewer than three entries in a run is not a contents list.
        if len(cuts) >= 3:
            for pos in reversed(cuts):
                line = line[:pos].rstrip(" \t") + "\n" + line[pos:]
        out.append(line)
    return "\n".join(out)


_NUMBERED = re.compile(r"(?:(?<=\s)|^)(\d{1,2})\.[ \t]+(?=[A-ZÅÄÖ])", re.MULTILINE)
_SENTENCE_END = re.compile(r"[.!?:]\s*$")
_INLINE_LABEL = re.compile(r"(?<=\s)[A-ZÅÄÖ][a-zåäö]+(?:\s[a-zåäö]+){0,2}:(?=\s)")
_HEADING_CHARS = 120


def _break_numbered(pages: list[str]) -> list[str]:
    """Break before numbered items that form a run 1., 2., 3. (a run may cross pages).

    Minutes whose first point is not numbered ("Mötet öppnas" before "2. Föregående möte")
    have a run that starts later; such a run counts only where it holds the items' text: each
    of its numbers stands after a finished sentence (or opens the page) and is followed by
    a body, not a short list entry, before the next one."""
    found = [(p, m.start(), int(m.group(1))) for p, page in enumerate(pages)
             for m in _NUMBERED.finditer(page)]
    runs: list[list[tuple[int, int]]] = []
    in_run: set[tuple[int, int]] = set()
    last = 0
    for p, pos, value in found:
        if value == 1:
            runs.append([(p, pos)])
            last = 1
        elif runs and value == last + 1:
            runs[-1].append((p, pos))
            last = value
    cuts: dict[int, list[int]] = {}
    confirmed = False
    for run in runs:
        # A lone "1." counts once a full run has shown that this document numbers its items.
        if len(run) >= 2 or confirmed:
            confirmed = True
            for p, pos in run:
                cuts.setdefault(p, []).append(pos)
                in_run.add((p, pos))
    for run in _later_runs(pages, [f for f in found if (f[0], f[1]) not in in_run]):
        for p, pos in run:
            cuts.setdefault(p, []).append(pos)
            # The heading ends where a label of the item's text opens ("2. Föregående möte
            # Bilagor: ...", "3. Info Föredragande: ...").
            label = _INLINE_LABEL.search(pages[p], pos, pos + _HEADING_CHARS)
            if label:
                cuts[p].append(label.start())
    out = []
    for p, page in enumerate(pages):
        for pos in sorted(cuts.get(p, []), reverse=True):
            if pos > 0:
                page = page[:pos].rstrip(" \t") + "\n" + page[pos:]
        out.append(page)
    return out


def _later_runs(pages: list[str], found: list[tuple[int, int, int]]) -> list[list[tuple[int, int]]]:
    """Runs of consecutive numbers that start above 1, each number after a finished sentence
    and followed by an item's text (at least `numbered_body_chars` before the next)."""
    min_body = _transcript_rules()[0]["numbered_body_chars"]

    def opens(p: int, pos: int) -> bool:
        before = pages[p][:pos]
        return not before.strip() or bool(_SENTENCE_END.search(before))

    runs: list[list[tuple[int, int, int]]] = []
    for f in found:
        if runs and f[2] == runs[-1][-1][2] + 1:
            runs[-1].append(f)
        else:
            runs.append([f])
    out = []
    for run in runs:
        if len(run) < 2 or not all(opens(p, pos) for p, pos, _ in run):
            continue
        bodies = [(b[1] - a[1]) if a[0] == b[0] else min_body for a, b in zip(run, run[1:])]
        if all(n >= min_body for n in bodies):
            out.append([(p, pos) for p, pos, _ in run])
    return out


# ---------------------------------------------------------------------------------- Markdown

_YAML_FRONT = re.compile(r"\A\s*---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_TOML_FRONT = re.compile(r"\A\s*\+\+\+[ \t]*\n(.*?)\n\+\+\+[ \t]*(?:\n|\Z)", re.DOTALL)

_META_LINE = re.compile(r"\s*(?:\.\.\s*)?([\w-]++)\s*[:=](.*)")


def _meta_pairs(block: str) -> dict:
    """Simple `key: value` (or `.. key: value`, `key = value`) lines; other lines ignored."""
    out = {}
    for line in block.split("\n"):
        m = _META_LINE.match(line.strip())
        if m and m.group(2).strip():
            out[m.group(1)] = m.group(2).strip().strip("'\"")
    return out


def front_matter(text: str) -> tuple[str, dict]:
    """Remove YAML/TOML front matter or a pandoc `%` title block; return the rest of the
    text and the metadata it held."""
    metadata: dict = {}
    m = _YAML_FRONT.match(text)
    if m:
        metadata.update(_meta_pairs(m.group(1)))
        text = text[m.end():]
    else:
        m = _TOML_FRONT.match(text)
        if m:
            try:
                metadata.update(tomllib.loads(m.group(1)))
            except tomllib.TOMLDecodeError:
                metadata.update(_meta_pairs(m.group(1)))
            text = text[m.end():]
    text, pandoc = _pandoc_title(text)
    metadata.update(pandoc)
    return text, metadata


def strip_comments(text: str, metadata: dict) -> str:
    """Remove HTML comments; `key: value` lines in them (Nikola's `.. title: x`) go to
    `metadata`."""

    # str.find rather than a regex "<!--(.*?)-->": with many unclosed "<!--" the regex
    # scans to the end of the text from each of them.
    out, pos = [], 0
    while (start := text.find("<!--", pos)) != -1:
        end = text.find("-->", start + 4)
        if end == -1:
            break
        for key, value in _meta_pairs(text[start + 4:end]).items():
            metadata.setdefault(key, value)
        out.append(text[pos:start])
        pos = end + 3
    out.append(text[pos:])
    return "".join(out)


def _pandoc_title(text: str) -> tuple[str, dict]:
    lines = text.lstrip("\n").split("\n")
    if not lines or not lines[0].startswith("%"):
        return text, {}
    fields: list[str] = []
    k = 0
    while k < len(lines) and (lines[k].startswith("%") or (fields and lines[k][:1] in (" ", "\t"))):
        if lines[k].startswith("%"):
            fields.append(lines[k][1:].strip())
        else:
            fields[-1] += " " + lines[k].strip()
        k += 1
    # "\" is pandoc's line break inside a field.
    parts = [[p.strip() for p in re.split(r"\s*\\\s*", f) if p.strip()] for f in fields]
    meta = {key: " ".join(p) for key, p in zip(("title", "author", "date"), parts) if p}
    # Pandoc prints this block as the document's title lines, so its lines stay in the text.
    shown = [line for p in parts for line in p]
    return "\n".join(shown + lines[k:]), meta


_FENCE = re.compile(r"^\s*(```|~~~)")
_ATX = re.compile(r"^\s{0,3}#{1,6}(?!#)(.*)$")
_SETEXT = re.compile(r"^\s{0,3}(=+|-{2,})\s*$")
_RULE = re.compile(r"^\s{0,3}(?:(?:\*\s*){3,}|(?:-\s*){3,}|(?:_\s*){3,})$")
_BULLET = re.compile(r"^(\s*)[-*+][ \t]+(.*)$")
_QUOTE = re.compile(r"^\s*>[ \t]?")
_TABLE_SEP = re.compile(r"^\s*+\|?\s*+:?-{2,}+:?\s*+(?:\|\s*+:?-{2,}+:?\s*+)*+\|?\s*+$")
_REF_DEF = re.compile(r"^\s{0,3}\[[^\]]+\]:\s+\S+")


def _atx_text(rest: str) -> str:
    """A heading's text without its closing hashes ("## Beslut ##" -> "Beslut")."""
    rest = rest.strip()
    bare = rest.rstrip("#")
    if bare != rest and (not bare or bare[-1].isspace()):
        rest = bare.rstrip()
    return rest


def markdown_to_text(text: str) -> str:
    """Markdown as plain lines: headings, bullets ("- "), table rows ("a | b") and
    paragraphs keep their own lines; markup characters go."""
    dropped = [re.compile(p, re.IGNORECASE) for p in _rules()["markdown"]["dropped_lines"]]
    lines = text.split("\n")
    out: list[str] = []
    in_fence = False
    for k, line in enumerate(lines):
        if _FENCE.match(line):
            in_fence = not in_fence
            continue
        if in_fence:
            out.append(line)
            continue
        stripped = line.strip()
        if any(d.match(stripped) for d in dropped) or _REF_DEF.match(line):
            continue
        if _SETEXT.match(line) and out and out[-1].strip() and k > 0 and lines[k - 1].strip():
            continue  # underline of the heading above
        if _RULE.match(line):
            out.append("")
            continue
        line = _QUOTE.sub("", line)
        if stripped.startswith("|"):
            if _TABLE_SEP.match(stripped):
                continue
            cells = [_inline(c.replace("<br>", " ")).strip() for c in stripped.strip("|").split("|")]
            # Empty cells between filled ones stay: in a voting table the column of an "X"
            # is the vote. Empty cells at either end go, as before.
            filled = [k for k, c in enumerate(cells) if c]
            out.append(" | ".join(cells[filled[0]:filled[-1] + 1]) if filled else "")
            continue
        m = _ATX.match(line)
        if m and line.lstrip().startswith("#"):
            out.append(re.sub(r"\s+", " ", _inline(_atx_text(m.group(1)))).strip())
            continue
        m = _BULLET.match(line)
        if m:
            out.append(m.group(1) + "- " + _inline(m.group(2)))
            continue
        out.append(_inline(line))
    return _SPANNING_EMPHASIS.sub(r"\2", "\n".join(out))


# Emphasis that a paragraph carries over a line break (single breaks only).
_SPANNING_EMPHASIS = re.compile(r"(?<![\w*])(\*\*|\*|__)(?=\S)((?:(?!\n\s*\n)[^*])+?)(?<=\S)\1(?![\w*])")


# Bracket contents stop at the next opening bracket too, so a line of many unclosed "["
# or "(" is read in linear time rather than rescanned from each of them.
_IMAGE = re.compile(r"!\[([^\]\[]*)\]\((?:[^()]|\([^()]*\))*\)")
_LINK = re.compile(r"\[([^\]\[]+)\]\((?:[^()]|\([^()]*\))*\)")
_REF_LINK = re.compile(r"\[([^\]\[]+)\]\[[^\]\[]*\]")
_AUTOLINK = re.compile(r"<((?:https?|mailto|ftp):[^<>\s]+)>")
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_EM_STAR = re.compile(r"(?<![\w*\\])\*(?=[^\s*])(.+?)(?<=[^\s*\\])\*(?![\w*])")
_EM_UNDER = re.compile(r"(?<![\w\\])_(?=[^\s_])(.+?)(?<=[^\s_\\])_(?!\w)")
_STRIKE = re.compile(r"~~(.+?)~~")
_CODE = re.compile(r"`([^`]*)`")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~<])")


def _inline(s: str) -> str:
    s = _IMAGE.sub(r"\1", s)
    s = _LINK.sub(r"\1", s)
    s = _REF_LINK.sub(r"\1", s)
    s = _AUTOLINK.sub(r"\1", s)
    s = _CODE.sub(r"\1", s)
    s = _BR.sub("\n", s)
    s = _TAG.sub("", s)
    s = _STRONG.sub(r"\2", s)
    s = _STRONG.sub(r"\2", s)
    s = _EM_STAR.sub(r"\1", s)
    s = _EM_UNDER.sub(r"\1", s)
    s = _STRIKE.sub(r"\1", s)
    s = re.sub(r"\s\\$", "", s)  # pandoc hard line break
    s = _ESCAPE.sub(r"\1", s)
    return html.unescape(s)


_MD_HEADING_LINE = re.compile(r"^#{1,6}\s*\S", re.MULTILINE)


def looks_like_markdown(text: str) -> bool:
    """Markdown saved under a plain-text name: several ATX headings or front matter."""
    return len(_MD_HEADING_LINE.findall(text)) >= 2 or bool(
        _YAML_FRONT.match(text) or _TOML_FRONT.match(text)
    )
