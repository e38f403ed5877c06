"""The main text of a saved web page (.html) holding a protocol, without the site around it.

The page is parsed with lxml. What is not content goes first: scripts, forms and the like,
hidden elements, and the site's chrome (navigation, banners, sidebars, footers, cookie
notices), known by their element (`nav`, `aside`; `header` and `footer` outside the main
content), their ARIA role or a class or id word (rules/ingest.toml, [html]). The content is
then the page's `main` (or its one `article`); a page that marks neither keeps its body less
blocks that are mostly links (menus without markup). An element that is chrome by its class
or id alone but holds most of the page's text stays: it is the content, whatever its name.

Blocks give lines: paragraphs and headings a line each, a table a line per row with its
cells in columns that line up (as the cells of a printed page stand), an ordered list its numbers
("1. ", or the list's own start and type), other lists "- " bullets.
"""

from __future__ import annotations

import codecs
import functools
import re

from . import layout, rules
from .text import Unreadable, decode

_BLOCKS = frozenset(
    "address article aside blockquote body center dd details dialog div dl dt fieldset "
    "figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr legend li main nav "
    "ol p pre section summary table tbody thead tfoot tr ul caption".split())
# Blocks after which a blank line stands, as between paragraphs of plain text.
_SPACED = frozenset("p h1 h2 h3 h4 h5 h6 table ul ol pre blockquote dl section article".split())
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]+)""", re.IGNORECASE)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


@functools.cache
def _rules() -> dict:
    return rules.load("ingest")["html"]


def read(data: bytes) -> tuple[str, dict]:
    """The main text of a web page and what it says of itself (title, encoding). Raises
    `Unreadable` with a short reason."""
    import lxml.etree
    import lxml.html

    markup, encoding = _decode(data)
    try:
        root = lxml.html.document_fromstring(_XML_DECLARATION.sub("", markup))
    except (lxml.etree.ParserError, ValueError) as exc:
        raise Unreadable(f"not a web page ({' '.join(str(exc).split())[:80] or 'no markup'})") from None
    metadata: dict = {"encoding": encoding}
    title = root.findtext(".//title")
    if title and title.strip():
        metadata["title"] = " ".join(title.split())
    body = root.find("body")
    if body is None:
        body = root
    _drop_chrome(body)
    content, marked = _content(body)
    if not marked:
        _drop_link_lists(content)
    return _render(content), metadata


def _decode(data: bytes) -> tuple[str, str]:
    declared = _CHARSET.search(data[:4096])
    if declared:
        name = declared.group(1).decode("ascii").lower()
        try:
            codecs.lookup(name)
        except LookupError:
            name = ""
        if name:
            try:
                return data.decode(name), name
            except UnicodeDecodeError:
                pass  # a wrong declaration: decode as any text file is
    return decode(data)


# ---------------------------------------------------------------------------------- chrome


def _words(element) -> set[str]:
    value = f"{element.get('class', '')} {element.get('id', '')}".lower()
    return set(re.split(r"[^a-z0-9]+", value)) - {""}


def _text_length(element) -> int:
    return len("".join(element.itertext()).split()) if element is not None else 0


def _drop_chrome(body) -> None:
    settings = _rules()
    total = _text_length(body) or 1
    drop_tags = set(settings["drop_elements"])
    chrome_tags = set(settings["chrome_elements"])
    roles = set(settings["chrome_roles"])
    words = set(settings["chrome_class_words"])
    doomed = []
    for element in body.iter():
        if not isinstance(element.tag, str):
            doomed.append(element)  # comments, processing instructions
            continue
        tag = element.tag.lower()
        hidden = (element.get("hidden") is not None or element.get("aria-hidden") == "true"
                  or re.search(r"display\s*:\s*none", element.get("style", "")))
        if tag in drop_tags or hidden:
            doomed.append(element)
        elif tag in chrome_tags or element.get("role", "").lower() in roles:
            if not _inside_content(element):
                doomed.append(element)
        elif _words(element) & words and not _inside_content(element):
            # A class name is a weaker sign than an element or role: one that holds most
            # of the page's text is its content, whatever it is called.
            if _text_length(element) < 0.5 * total:
                doomed.append(element)
    for element in doomed:
        if element.getparent() is not None:
            _remove(element)


def _inside_content(element) -> bool:
    return any(a.tag in ("main", "article") or a.get("role") == "main"
               for a in element.iterancestors())


def _remove(element) -> None:
    """Drop an element but keep the text that follows it inside its parent."""
    parent = element.getparent()
    tail = element.tail
    if tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(element)


def _content(body):
    """The main content and whether the page marks it (`main`, role=main or `article`)."""
    for path in (".//main", ".//*[@role='main']", ".//article"):
        found = [e for e in body.iterfind(path) if _text_length(e)]
        if found:
            return max(found, key=_text_length), True
    return body, False


def _drop_link_lists(content) -> None:
    """Blocks that are mostly links: menus and link lists of a page without markup for them."""
    settings = _rules()
    doomed = []
    for element in content.iter("ul", "ol", "div", "table", "p", "section"):
        links = element.findall(".//a")
        if len(links) < settings["link_list_min_links"]:
            continue
        words = _text_length(element)
        linked = sum(_text_length(a) for a in links)
        if words and linked / words >= settings["link_list_min_share"]:
            doomed.append(element)
    for element in doomed:
        if element.getparent() is not None and not any(a in doomed for a in element.iterancestors()):
            _remove(element)


# ---------------------------------------------------------------------------------- render


def _render(content) -> str:
    lines: list[str] = []
    buffer: list[str] = []

    def flush() -> None:
        line = " ".join("".join(buffer).split())
        buffer.clear()
        if line:
            lines.append(line)

    def blank() -> None:
        flush()
        if lines and lines[-1] != "":
            lines.append("")

    def walk(element, prefix: str = "") -> None:
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        if tag == "br":
            flush()
        elif tag == "table":
            flush()
            lines.extend(_table_lines(element))
            blank()
        elif tag == "pre":
            flush()
            lines.extend(x.rstrip() for x in "".join(element.itertext()).split("\n"))
            blank()
        elif tag in ("ol", "ul"):
            flush()
            for child, label in _list_items(element):
                walk(child, label)
                flush()
            blank()
        else:
            block = tag in _BLOCKS
            if block:
                flush()
            buffer.append(prefix)
            buffer.append(element.text or "")
            for child in element:
                walk(child)
                buffer.append(child.tail or "")
            if tag in _SPACED:
                blank()
            elif block:
                flush()

    walk(content)
    flush()
    while lines and lines[-1] == "":
        lines.pop()
    return "\n".join(lines)


def _table_lines(table) -> list[str]:
    rows = []
    for row in table.iter("tr"):
        if next(row.iterancestors("table"), None) is not table:
            continue  # a row of a table nested in a cell: read with its cell
        cells = []
        for cell in row:
            if isinstance(cell.tag, str) and cell.tag in ("td", "th"):
                cells.append(" ".join("".join(cell.itertext()).split()))
                cells += [""] * (_span(cell.get("colspan")) - 1)
        rows.append(cells)
    return layout.table_text(rows)


def _span(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), 50))
    except ValueError:
        return 1


def _list_items(element):
    """(item, label) of a list: "- " for bullets, the number as the list counts for `ol`."""
    ordered = element.tag == "ol"
    try:
        n = int(element.get("start", "1"))
    except ValueError:
        n = 1
    kind = element.get("type", "1")
    for child in element:
        if not isinstance(child.tag, str):
            continue
        if child.tag != "li":
            yield child, ""
            continue
        if ordered:
            try:
                n = int(child.get("value", n))
            except ValueError:
                pass
            yield child, f"{_ordinal(n, kind)}. "
            n += 1
        else:
            yield child, "- "


def _ordinal(n: int, kind: str) -> str:
    if kind in ("a", "A") and n > 0:
        letters = ""
        while n > 0:
            n, r = divmod(n - 1, 26)
            letters = chr(ord("a") + r) + letters
        return letters.upper() if kind == "A" else letters
    if kind in ("i", "I"):
        from .wordfile import _roman

        roman = _roman(n)
        return roman if kind == "I" else roman.lower()
    return str(n)
