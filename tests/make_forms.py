"""Corpus documents in the other forms minutes come in: scans, Word files and saved web pages.

Used by the tests, and as a script to write a folder of variants with their answer keys
(each key's `source` renamed), so that `minutes-extract evaluate` scores them beside the
originals:

    .venv/bin/python tests/make_forms.py scans OUT      # image-only PDFs of the corpus PDFs
    .venv/bin/minutes-extract evaluate OUT --gold OUT/gold -v

With --compare, the script scores each variant and its original against the same key and
prints the F1 of items, decisions and attendees of both, and their difference.

Scans: each page rendered to an image and written back as an image-only PDF (JPEG, as
scanners write them), at a resolution between 150 and 300 dpi, some with noise (grain and
specks) and some turned by a slight skew; the settings of each document are fixed below, so
every run writes the same files.
"""

from __future__ import annotations

import argparse
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
        stem = Path(doc.source).stem.rsplit("-", 1)[0]
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
    ap.add_argument("form", choices=["scans"])
    ap.add_argument("folder", type=Path)
    ap.add_argument("--compare", action="store_true",
                    help="score each variant and its original against the same key")
    args = ap.parse_args()
    if args.folder.exists():
        shutil.rmtree(args.folder)
    write_scans(args.folder)
    if args.compare:
        compare(args.folder)


if __name__ == "__main__":
    main()
