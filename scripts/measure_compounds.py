"""Swedish compounds in full-text search: a trigram index against decompounding, measured.

"budget" should find "investeringsbudget". Two ways to get there in SQLite FTS5:

- trigram: the `trigram` tokenizer indexes every three-character sequence, so any query of
  three or more characters matches inside words (a substring search, like Ctrl-F);
- decompounding: split each compound into its parts with a lexicon ("investeringsbudget" ->
  "investering" + "budget") and index the parts beside the word, with the word tokenizer.

Both are built over the decision texts and the full document texts of a minutes database, next
to the word index the project had (unicode61, prefix indexes), and compared on what each finds
for a set of query words, on index size and on query time.

    python scripts/measure_compounds.py minutes.db --lexicon /usr/share/hunspell/sv_SE.dic

The lexicon is Debian's hunspell-sv word list (stems only; affix flags are ignored).
"""

from __future__ import annotations

import argparse
import re
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

QUERIES = [
    "budget", "plan", "avtal", "skola", "taxa", "investering", "bygg", "ekonomi", "rapport",
    "styrelse", "val", "miljö", "trafik", "bostad", "vatten", "mark", "förslag", "yttrande",
]
WORD = re.compile(r"\w+")
LINKS = ("s", "e", "a", "u", "o", "")
ENDINGS = ("", "en", "et", "n", "t", "ar", "er", "or", "na", "arna", "erna", "orna", "ens",
           "ets", "s", "ns", "arnas", "ernas")
MIN_PART = 3


def load_lexicon(path: Path) -> set[str]:
    words = set()
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines()[1:]:
        stem = line.split("/", 1)[0].strip().casefold()
        if len(stem) >= MIN_PART and stem.isalpha():
            words.add(stem)
    return words


class Decompounder:
    """Greedy split into known parts, longest head first; parts of at least 3 letters."""

    def __init__(self, lexicon: set[str]):
        self.lexicon = lexicon
        self.cache: dict[str, list[str] | None] = {}

    def known(self, word: str) -> bool:
        return any(word.endswith(e) and word[:len(word) - len(e)] in self.lexicon
                   for e in ENDINGS if len(word) - len(e) >= MIN_PART)

    def split(self, word: str) -> list[str] | None:
        if word in self.cache:
            return self.cache[word]
        parts = None
        for i in range(MIN_PART, len(word) - MIN_PART + 1):
            head = word[i:]
            if not self.known(head):
                continue
            left = word[:i]
            for link in LINKS:
                if link and not left.endswith(link):
                    continue
                stem = left[:len(left) - len(link)] if link else left
                if len(stem) < MIN_PART:
                    continue
                if stem in self.lexicon:
                    parts = [stem, head]
                else:
                    sub = self.split(stem)
                    parts = sub + [head] if sub else None
                if parts:
                    break
            if parts:
                break
        self.cache[word] = parts
        return parts

    def expand(self, text: str) -> str:
        """The text followed by the parts of every compound in it."""
        extra = []
        for w in WORD.findall(text.casefold()):
            if len(w) >= 2 * MIN_PART and (parts := self.split(w)):
                extra += parts
        return text + ("\n" + " ".join(extra) if extra else "")


def build(path: Path, rows: list[tuple[int, str]], tokenize: str, prefix: str | None) -> int:
    """An FTS5 index of `rows` in its own file; returns the file's size in bytes."""
    db = sqlite3.connect(path)
    options = f", prefix='{prefix}'" if prefix else ""
    db.execute(f"create virtual table fts using fts5(text, tokenize='{tokenize}'{options})")
    db.executemany("insert into fts (rowid, text) values (?, ?)", rows)
    db.execute("insert into fts(fts) values ('optimize')")
    db.commit()
    db.execute("vacuum")
    db.close()
    return path.stat().st_size


def query(path: Path, match: str) -> tuple[set[int], float]:
    db = sqlite3.connect(path)
    sql = "select rowid from fts where fts match ?"
    found = {r[0] for r in db.execute(sql, [match])}
    times = []
    for _ in range(20):
        t = time.perf_counter()
        db.execute(sql, [match]).fetchall()
        times.append(time.perf_counter() - t)
    db.close()
    return found, statistics.median(times) * 1000


def words_found(rows: dict[int, str], ids: set[int], term: str) -> set[str]:
    """The words of the matched rows that contain `term`."""
    return {w for i in ids for w in WORD.findall(rows[i].casefold()) if term in w}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("db")
    ap.add_argument("--lexicon", type=Path, default=Path("/usr/share/hunspell/sv_SE.dic"))
    args = ap.parse_args()
    source = sqlite3.connect(args.db)
    lexicon = load_lexicon(args.lexicon)
    splitter = Decompounder(lexicon)
    print(f"lexicon: {len(lexicon)} stems from {args.lexicon}")
    for table, column in (("decisions", "text"), ("documents", "text")):
        rows = dict(source.execute(f"select rowid, {column} from {table}"))
        chars = sum(len(t or "") for t in rows.values())
        print(f"\n== {table}.{column}: {len(rows)} rows, {chars:,} characters")
        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            t = time.perf_counter()
            expanded = [(i, splitter.expand(x or "")) for i, x in rows.items()]
            split_seconds = time.perf_counter() - t
            plain = [(i, x or "") for i, x in rows.items()]
            variants = {
                "words": (plain, "unicode61 remove_diacritics 0", "2 3 4"),
                "decompound": (expanded, "unicode61 remove_diacritics 0", "2 3 4"),
                "trigram": (plain, "trigram", None),
            }
            sizes = {}
            for name, (data, tokenize, prefix) in variants.items():
                t = time.perf_counter()
                sizes[name] = build(tmp / f"{name}.db", data, tokenize, prefix)
                built = time.perf_counter() - t
                extra = f" + {split_seconds:.2f} s splitting" if name == "decompound" else ""
                print(f"index {name:11} {sizes[name] / 1024:8.0f} KiB  "
                      f"({sizes[name] / max(chars, 1):.2f} bytes per character of text), "
                      f"built in {built:.2f} s{extra}")
            print(f"\n{'query':12} {'word':>5} {'word*':>6} {'decomp':>7} {'decomp*':>8} "
                  f"{'trigram':>8}   median ms: word*, decomp*, trigram")
            for q in QUERIES:
                word, _ = query(tmp / "words.db", f'"{q}"')
                prefix, t_prefix = query(tmp / "words.db", f'"{q}"*')
                dec, _ = query(tmp / "decompound.db", f'"{q}"')
                dec_prefix, t_dec = query(tmp / "decompound.db", f'"{q}"*')
                tri, t_tri = query(tmp / "trigram.db", f'"{q}"')
                print(f"{q:12} {len(word):5} {len(prefix):6} {len(dec):7} {len(dec_prefix):8} "
                      f"{len(tri):8}   {t_prefix:.3f} {t_dec:.3f} {t_tri:.3f}")
                if table == "decisions":
                    only_tri = words_found(rows, tri - dec_prefix, q)
                    only_dec = dec_prefix - tri
                    if only_tri:
                        print(f"{'':12} trigram only: {', '.join(sorted(only_tri)[:8])}")
                    if only_dec:
                        print(f"{'':12} decompounding only: {len(only_dec)} rows")


if __name__ == "__main__":
    main()
