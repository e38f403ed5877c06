"""Corpus documents in the other forms minutes come in: scans, Word files and saved web pages.

Used by the tests, and as a script to write a folder of variants with their answer keys
(each key's `source` renamed), so that `minutes-extract evaluate` scores them beside the
originals:

    .venv/bin/python tests/make_forms.py scans OUT      # image-only PDFs of the corpus PDFs
    .venv/bin/python tests/make_forms.py docx OUT       # Word files of FORM_SOURCES
    .venv/bin/python tests/make_forms.py html OUT       # saved web pages of FORM_SOURCES
    .venv/bin/minutes-extract evaluate OUT --gold OUT/gold -v

With --compare, the script scores each variant and its original against the same key and
prints the F1 of items, decisions and attendees of both, and their difference.

Scans: each page rendered to an image and written back as an image-only PDF (JPEG, as
scanners write them), at a resolution between 150 and 300 dpi, some with noise (grain and
specks) and some turned by a slight skew; the settings of each document are fixed below, so
every run writes the same files.

Word files and web pages are written from the text the tool reads out of the original, page
by page: a run of lines with cells (tab-separated) becomes a table, the line that opens an
agenda item a heading, and the other lines paragraphs, as the blank lines of the text divide
them (the lines of a paragraph kept apart by line breaks; in Word a blank line is an empty
paragraph); pages are separated by page breaks in Word. The web page wraps the text in a site's chrome: a header with a logo and menu, a search
form, breadcrumbs, a sidebar of related links, a footer with address and cookie notice; one
template marks its content with `main`, the other is an older site's nested `div`s whose
menus are lists of links.
"""

from __future__ import annotations

import argparse
import html
import io
import json
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
GOLD = CORPUS / "gold"

# (dpi, noise, skew in degrees) per rasterised document, cycled over the corpus PDFs.
SCAN_SETTINGS = [
    (300, 0.0, 0.0),
    (200, 0.06, 0.0),
    (150, 0.0, 0.0),
    (200, 0.0, 0.8),
    (300, 0.04, -0.5),
    (200, 0.08, 1.0),
    (150, 0.03, -0.4),
]


def rasterise(src: Path, dst: Path, *, dpi: int = 200, noise: float = 0.0, skew: float = 0.0,
              pages: set[int] | None = None, seed: int = 0) -> Path:
    """Write `src` as an image-only PDF to `dst`: every page (or those numbered from 0 in
    `pages`, the others kept as they are) rendered at `dpi`, with grain and specks of
    strength `noise` (0-1) and turned by `skew` degrees."""
    import numpy as np
    import pypdfium2
    from PIL import Image

    rng = np.random.default_rng(seed)
    original = pypdfium2.PdfDocument(src)
    out = pypdfium2.PdfDocument.new()
    for n in range(len(original)):
        if pages is not None and n not in pages:
            out.import_pages(original, [n])
            continue
        page = original[n]
        picture = page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
        width, height = page.get_size()
        page.close()
        if skew:
            picture = picture.rotate(skew, resample=Image.Resampling.BICUBIC, fillcolor=255)
        if noise:
            pixels = np.asarray(picture, dtype=np.float32)
            pixels += rng.normal(0, 255 * noise, pixels.shape)
            specks = rng.random(pixels.shape) < noise / 20
            pixels[specks] = 0
            picture = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
        if (picture.size[0] > picture.size[1]) != (width > height):
            width, height = height, width  # a page turned by /Rotate renders turned
        new = out.new_page(width, height)
        _add_picture(out, new, picture, width, height)
        new.gen_content()
        new.close()
    out.save(dst)
    out.close()
    original.close()
    return dst


def text_pdf(dst: Path, pages: list[list[str]], *, size: float = 11.0) -> Path:
    """A born-digital PDF of A4 pages, each line set in Helvetica from the top left."""
    import pypdfium2

    doc = pypdfium2.PdfDocument.new()
    for lines in pages:
        page = doc.new_page(595, 842)
        _add_lines(doc, page, lines, size)
        page.gen_content()
        page.close()
    doc.save(dst)
    doc.close()
    return dst


def header_over_picture(dst: Path, header: list[str], body: list[str], *,
                        dpi: int = 200, size: float = 11.0) -> Path:
    """One page: a picture of the `header` and `body` lines, with the header lines also in
    the text layer where the picture shows them (a scan stamped with a typed header)."""
    import pypdfium2

    picture_of = text_pdf(dst.with_suffix(".text.pdf"), [header + body], size=size)
    original = pypdfium2.PdfDocument(picture_of)
    picture = original[0].render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
    original.close()
    doc = pypdfium2.PdfDocument.new()
    page = doc.new_page(595, 842)
    _add_picture(doc, page, picture, 595, 842)
    _add_lines(doc, page, header, size)
    page.gen_content()
    page.close()
    doc.save(dst)
    doc.close()
    picture_of.unlink()
    return dst


def _add_lines(doc, page, lines: list[str], size: float) -> None:
    import ctypes

    import pypdfium2.raw as pdfium_c

    font = pdfium_c.FPDFText_LoadStandardFont(doc.raw, b"Helvetica")
    for k, line in enumerate(lines):
        if not line:
            continue
        obj = pdfium_c.FPDFPageObj_CreateTextObj(doc.raw, font, size)
        wide = ctypes.create_string_buffer((line + "\0").encode("utf-16-le"))
        pdfium_c.FPDFText_SetText(obj, ctypes.cast(wide, pdfium_c.FPDF_WIDESTRING))
        pdfium_c.FPDFPageObj_Transform(obj, 1, 0, 0, 1, 56, 780 - k * 1.4 * size)
        pdfium_c.FPDFPage_InsertObject(page.raw, obj)


def _add_picture(doc, page, picture, width: float, height: float) -> None:
    """`picture` (a PIL image) as a JPEG covering the page, as scanners write them."""
    import pypdfium2

    jpeg = io.BytesIO()
    picture.save(jpeg, format="JPEG", quality=75)
    jpeg.seek(0)
    image = pypdfium2.PdfImage.new(doc)
    image.load_jpeg(jpeg, inline=False)
    image.set_matrix(pypdfium2.PdfMatrix().scale(width, height))
    page.insert_obj(image)


def scan_sources() -> list[Path]:
    """Corpus PDFs with an answer key and a text layer: the originals of the scans."""
    out = []
    for key in sorted(GOLD.glob("*.json")):
        gold = json.loads(key.read_text(encoding="utf-8"))
        if gold["source"].endswith(".pdf") and "transcript" not in gold:
            out.append(CORPUS / gold["source"])
    return out


def write_scans(folder: Path) -> list[Path]:
    """Every scan source rasterised into `folder`, with its key in `folder`/gold."""
    (folder / "gold").mkdir(parents=True, exist_ok=True)
    written = []
    for k, src in enumerate(scan_sources()):
        dpi, noise, skew = SCAN_SETTINGS[k % len(SCAN_SETTINGS)]
        dst = folder / f"{src.stem}-scan.pdf"
        rasterise(src, dst, dpi=dpi, noise=noise, skew=skew, seed=k)
        _copy_key(src, dst, folder / "gold")
        written.append(dst)
        print(f"{dst.name}: {dpi} dpi, noise {noise}, skew {skew}°", file=sys.stderr)
    return written


# Corpus documents of several families written as Word files and web pages.
FORM_SOURCES = ["mlr-kdm-2019-01-29.txt", "hogsby-ks-2007-01-08.pdf",
                "lithekod-styrelsemote-2013-10-09.pdf", "kungsbacka-ksau-2025-01-14.md"]


def _blocks(src: Path) -> list[list[tuple[str, object]]]:
    """The original's text per page as blocks: ("heading", line), ("paragraph", lines) or
    ("table", rows of cells)."""
    from minutes_extract.ingest import load
    from minutes_extract.pipeline import build_record

    source = load(src)
    record = build_record(source)
    heads = {it.span.start for it in record.items if it.span}
    pages = []
    for page in source.pages:
        blocks: list[tuple[str, object]] = []
        pos = page.start
        for line in source.text[page.start:page.end].rstrip("\n").split("\n"):
            start, pos = pos, pos + len(line) + 1
            if "\t" in line:
                if blocks and blocks[-1][0] == "table":
                    blocks[-1][1].append(line.split("\t"))
                else:
                    blocks.append(("table", [line.split("\t")]))
            elif any(start <= h < start + max(1, len(line)) for h in heads):
                blocks.append(("heading", line))
            elif not line.strip():
                blocks.append(("paragraph", []))
            elif blocks and blocks[-1][0] == "paragraph":
                blocks[-1][1].append(line)
            else:
                blocks.append(("paragraph", [line]))
        pages.append(blocks)
    return pages


def to_docx(src: Path, dst: Path) -> Path:
    """The corpus document `src` as a Word file."""
    import docx

    document = docx.Document()
    for k, blocks in enumerate(_blocks(src)):
        if k:
            document.add_page_break()
        for kind, content in blocks:
            if kind == "heading":
                document.add_heading(content, level=2)
            elif kind == "paragraph":
                # A blank line of the text is an empty paragraph, as typed in Word.
                paragraph = document.add_paragraph()
                for k, line in enumerate(content):
                    run = paragraph.add_run(line)
                    if k < len(content) - 1:
                        run.add_break()
            elif kind == "table":
                width = max(len(row) for row in content)
                table = document.add_table(rows=len(content), cols=width)
                table.style = "Table Grid"
                for row, cells in zip(table.rows, content):
                    for cell, value in zip(row.cells, cells):
                        cell.text = value
    document.save(dst)
    return dst


_MODERN_PAGE = """<!DOCTYPE html>
<html lang="sv">
<head><meta charset="utf-8"><title>{title} - Exempelbygdens kommun</title>
<style>body {{ font-family: sans-serif; }} .hidden {{ display: none; }}</style>
<script>window.dataLayer = [{{"page": "protokoll"}}];</script></head>
<body>
<a class="skip-link" href="#innehall">Gå direkt till innehållet</a>
<header class="site-header"><a href="/"><img src="logo.svg" alt="Exempelbygdens kommun"></a>
<nav aria-label="Huvudmeny"><ul><li><a href="/omsorg">Omsorg och stöd</a></li>
<li><a href="/skola">Förskola och skola</a></li><li><a href="/politik">Kommun och politik</a></li>
<li><a href="/kontakt">Kontakta oss</a></li></ul></nav>
<form role="search" action="/sok"><label>Sök <input name="q"></label><button>Sök</button></form>
</header>
<div class="breadcrumbs"><a href="/">Startsida</a> / <a href="/politik">Kommun och politik</a>
/ <a href="/politik/protokoll">Protokoll</a></div>
<main id="innehall"><article>
{content}
</article></main>
<aside><h2>Relaterade sidor</h2><ul><li><a href="/politik/sammantraden">Sammanträdesdagar</a></li>
<li><a href="/politik/arkiv">Äldre protokoll</a></li></ul></aside>
<footer><p>Exempelbygdens kommun, 123 45 Exempelby. Telefon 0123-456 00.</p>
<div class="cookie-banner"><p>Vi använder kakor för att förbättra webbplatsen.</p>
<button>Godkänn</button></div></footer>
</body></html>
"""

_PLAIN_PAGE = """<html>
<head><meta http-equiv="Content-Type" content="text/html; charset=windows-1252">
<title>{title}</title></head>
<body>
<div id="wrapper">
<div id="top"><img src="logga.gif" alt="Föreningen"> Föreningen Exempel</div>
<div id="meny"><ul><li><a href="index.html">Hem</a></li><li><a href="styrelsen.html">Styrelsen</a></li>
<li><a href="protokoll.html">Protokoll</a></li><li><a href="stadgar.html">Stadgar</a></li>
<li><a href="kontakt.html">Kontakt</a></li></ul></div>
<div id="innehall">
{content}
</div>
<div id="fot">Senast uppdaterad 2020-01-01 | <a href="mailto:info@example.org">info@example.org</a>
| <a href="karta.html">Webbkarta</a> | <a href="om.html">Om webbplatsen</a></div>
</div>
</body></html>
"""


def to_html(src: Path, dst: Path, *, template: str = "modern") -> Path:
    """The corpus document `src` as a saved web page in a site's chrome."""
    parts = []
    for blocks in _blocks(src):
        for kind, content in blocks:
            if kind == "heading":
                parts.append(f"<h2>{html.escape(content)}</h2>")
            elif kind == "paragraph" and content:
                parts.append("<p>" + "<br>\n".join(html.escape(x) for x in content) + "</p>")
            elif kind == "table":
                rows = "\n".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row)
                                 + "</tr>" for row in content)
                parts.append(f"<table>\n{rows}\n</table>")
    page = _MODERN_PAGE if template == "modern" else _PLAIN_PAGE
    text = page.format(title=html.escape(src.stem), content="\n".join(p for p in parts if p))
    dst.write_bytes(text.encode("utf-8" if template == "modern" else "cp1252"))
    return dst


def write_forms(folder: Path, form: str) -> list[Path]:
    """Every FORM_SOURCES document as a Word file or web page in `folder`, keys in gold/."""
    (folder / "gold").mkdir(parents=True, exist_ok=True)
    written = []
    for k, name in enumerate(FORM_SOURCES):
        src = CORPUS / name
        dst = folder / f"{src.stem}.{form}"
        if form == "docx":
            to_docx(src, dst)
        else:
            to_html(src, dst, template="modern" if k % 2 == 0 else "plain")
        if (GOLD / f"{src.stem}.json").exists():
            _copy_key(src, dst, folder / "gold")
        written.append(dst)
    return written


def _copy_key(src: Path, dst: Path, gold_folder: Path) -> None:
    key = json.loads((GOLD / f"{src.stem}.json").read_text(encoding="utf-8"))
    key["source"] = dst.name
    (gold_folder / f"{dst.stem}.json").write_text(
        json.dumps(key, ensure_ascii=False, indent=1), encoding="utf-8")


COMPARED = ("items", "decisions", "attendees")


def compare(folder: Path) -> None:
    """Print, per variant in `folder`, the F1 of its original and of itself for COMPARED."""
    from minutes_extract.evaluate import evaluate_dir

    variants = evaluate_dir(folder, folder / "gold", verbose=True).documents
    originals = {d.source: d for d in evaluate_dir(CORPUS, GOLD, scanned=False).documents}
    print("document | " + " | ".join(f"{f} original / variant / difference" for f in COMPARED))
    worst = 0.0
    for doc in variants:
        stem = Path(doc.source).stem.removesuffix("-scan")
        original = next(o for name, o in originals.items() if Path(name).stem == stem)
        cells = []
        for f in COMPARED:
            a, b = original.fields[f].f1, doc.fields[f].f1
            worst = max(worst, a - b)
            cells.append(f"{a:.3f} / {b:.3f} / {b - a:+.3f}")
        print(f"{doc.source} | " + " | ".join(cells) + (f" | {doc.error}" if doc.error else ""))
    print(f"largest loss: {worst:.3f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("form", choices=["scans", "docx", "html"])
    ap.add_argument("folder", type=Path)
    ap.add_argument("--compare", action="store_true",
                    help="score each variant and its original against the same key")
    args = ap.parse_args()
    if args.folder.exists():
        shutil.rmtree(args.folder)
    if args.form == "scans":
        write_scans(args.folder)
    else:
        write_forms(args.folder, args.form)
    if args.compare:
        compare(args.folder)


if __name__ == "__main__":
    main()
