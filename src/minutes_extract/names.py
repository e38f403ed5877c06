"""Person names: the one vocabulary and the one name finder of the project.

The vocabulary is SCB's first names and surnames with their numbers of bearers, ordinary
Swedish words (rules/names/), and the word lists of rules/names.toml (role words, party
codes, words that are never part of a name). The finder reads it two ways:

- in running text (`find_persons`) a name needs evidence: a listed first name, then middle
  names or initials, then a surname that is listed or at least no ordinary word; an
  ambiguous first name ("Per", "Dag") needs a listed surname or a role or party beside it;
- in an attendance list (`find_listed`) the label has said that names follow, so any run of
  two to four capitalised words is a name unless the vocabulary says it is something else:
  a municipality, an ordinary word opening it ("Stadshuset Huskvarna"), a role or body word.

Entities (spaCy) and the segmenter both call this module; it imports neither.
"""

from __future__ import annotations

import csv
import functools
import gzip
import re
from dataclasses import dataclass

from . import rules
from .gazetteer import lookup_municipality, municipalities

_LOWER = "a-zåäöéèüßøæáíóúñçëï'’"
_UPPER = "A-ZÅÄÖÉÜØÆÈÁÍÓÚŠŽČĆ"
# A capitalised name word, hyphenated parts included: "Anna", "Ann-Marie", "Banheden".
NAME_WORD = re.compile(rf"^[{_UPPER}][{_LOWER}šžčćđ]+(?:-[{_UPPER}][{_LOWER}šžčćđ]+)*$")
INITIAL = re.compile(rf"^[{_UPPER}]\.?$")
_TOKEN = re.compile(rf"[{_UPPER}]\.(?=\s|$)|[^\W\d_]+(?:[-'’][^\W\d_]+)*|\d+|\S")


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    start: int
    end: int


def tokens(text: str) -> list[Token]:
    """Words, numbers and single punctuation marks with their offsets."""
    return [Token(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]


# ------------------------------------------------------------------------------ vocabulary


class RoleWords(rules.Rules):
    words: list[str]
    endings: list[str]


@rules.schema("names")
class NameRules(rules.Rules):
    """rules/names.toml"""

    min_first_name_bearers: int
    min_surname_bearers: int
    common_surname_bearers: int
    common_first_name_bearers: int
    ambiguous_first_names: list[str]
    not_name_words: list[str]
    not_surname_endings: list[str]
    org_suffixes: list[str]
    parties: list[str]
    roles: RoleWords


def _counts(filename: str) -> dict[str, int]:
    with gzip.open(rules.rules_dir() / "names" / filename, "rt", encoding="utf-8") as fh:
        return {r["name"]: int(r["persons"]) for r in csv.DictReader(fh)}


@functools.cache
def first_names() -> dict[str, int]:
    return _counts("first-names.csv.gz")


@functools.cache
def surnames() -> dict[str, int]:
    return _counts("surnames.csv.gz")


@functools.cache
def common_words() -> frozenset[str]:
    """Lower-case words of running text and function words (rules/names/)."""
    words: set[str] = set()
    for name in ("common-words.txt.gz", "stop-words.txt.gz"):
        with gzip.open(rules.rules_dir() / "names" / name, "rt", encoding="utf-8") as fh:
            words |= {line.strip() for line in fh if line.strip()}
    return frozenset(words)


class Vocabulary:
    """What the name lists and word lists say about one word."""

    def __init__(self) -> None:
        cfg = rules.get("names")
        self.cfg = cfg
        self.first = first_names()
        self.last = surnames()
        self.common = common_words()
        self.stop = frozenset(cfg.not_name_words)
        self.ambiguous = frozenset(cfg.ambiguous_first_names)
        self.role_words = frozenset(w.casefold() for w in cfg.roles.words)
        self.role_endings = tuple(cfg.roles.endings)
        self.parties = frozenset(p.casefold() for p in cfg.parties)
        self.place = frozenset(m.name for m in municipalities())
        self.counties = frozenset(m.county.removesuffix(" län").removesuffix("s")
                                  for m in municipalities())

    @classmethod
    @functools.cache
    def get(cls) -> Vocabulary:
        return cls()

    def is_first(self, text: str) -> bool:
        return text not in self.stop and all(
            self.first.get(p, 0) >= self.cfg.min_first_name_bearers for p in text.split("-"))

    def first_not_last(self, text: str) -> bool:
        """Clearly a first name: listed as one and at least as often as a surname."""
        return self.is_first(text) and self.first.get(text, 0) >= self.last.get(text, 0)

    def common_first(self, text: str) -> bool:
        return self.first.get(text, 0) >= self.cfg.common_first_name_bearers

    def known_last(self, text: str) -> bool:
        return all(self.last.get(p, 0) >= self.cfg.min_surname_bearers for p in text.split("-"))

    def is_last(self, text: str) -> bool:
        """A surname: listed, or name-shaped and not an ordinary word or a place/body word."""
        if not NAME_WORD.match(text) or text in self.stop or \
                text in self.place and self.last.get(text, 0) < self.cfg.common_surname_bearers:
            return False
        if self.known_last(text):
            return (self.last.get(text, 0) >= self.cfg.common_surname_bearers
                    or text.lower() not in self.common)
        return all(p.lower() not in self.common for p in text.split("-"))

    def compound(self, text: str) -> bool:
        """An ordinary compound written with a capital: "Protokollmall", "Dahlbergsgymnasiets"."""
        low = text.lower().removesuffix("s")
        if low.endswith(tuple(self.cfg.not_surname_endings)):
            return True
        return any(low[:k] in self.common or low[-k:] in self.common
                   for k in range(6, len(low) - 2)) and not self.known_last(text)

    def surname(self, text: str) -> bool:
        return self.is_last(text) and not self.compound(text)

    def is_role(self, word: str) -> bool:
        """A title or role ("ordförande", "kommunsekreterare", "IT-strateg")."""
        w = word.casefold().strip(",.:;()")
        if w in self.role_words:
            return True
        w = w.rsplit("-", 1)[-1]
        return bool(w) and w.endswith(self.role_endings)

    def is_party(self, word: str) -> bool:
        return word.casefold() in self.parties

    def is_ordinary(self, word: str) -> bool:
        """An ordinary word written with a capital, and no name a list would hold: a word of
        running text or a place compound ("Stadshuset", "Kungsbackarummet")."""
        if word in self.stop:
            return True
        if self.is_first(word):
            return False
        return word.lower() in self.common or self.compound(word)

    def is_place(self, word: str) -> bool:
        return word in self.place or word in self.counties


def vocabulary() -> Vocabulary:
    return Vocabulary.get()


# ----------------------------------------------------------------------- running text


@dataclass(frozen=True, slots=True)
class Found:
    start: int
    end: int
    text: str


def find_persons(text: str) -> list[Found]:
    """Names of persons in running text, by the evidence the vocabulary gives."""
    toks = tokens(text)
    v = vocabulary()
    out, i = [], 0
    while i < len(toks):
        end = _match(text, toks, i, v)
        if end:
            out.append(Found(toks[i].start, toks[end - 1].end, text[toks[i].start:toks[end - 1].end]))
            i = end
        else:
            i += 1
    return out


def _next_word(text: str, toks: list[Token], k: int, newline_ok: bool) -> int | None:
    """The token after k when only white space separates them (one line break at most when
    `newline_ok`), else None."""
    j = k + 1
    if j >= len(toks):
        return None
    gap = text[toks[k].end:toks[j].start]
    if not gap or gap.strip() or gap.count("\n") > (1 if newline_ok else 0):
        return None
    return j


def _strong_context(text: str, toks: list[Token], start: int, end: int, v: Vocabulary,
                    before: bool = True, after: bool = True) -> bool:
    """A role word right before the name ("ordförande Anna Berg", "Sekreterare: Anna Berg"),
    or after it a party letter ("(S)", ", s,") or a role ("Anna Berg, kommunjurist")."""
    if before:
        prev = [t for t in toks[max(start - 3, 0):start] if t.text != ":"]
        if prev and v.is_role(prev[-1].text) and "\n" not in text[prev[-1].start:toks[start].start]:
            return True
    if not after:
        return False
    nxt = toks[end:end + 3]
    if len(nxt) < 2 or nxt[0].text not in "(,":
        return False
    if nxt[0].text == "," and nxt[1].text.islower() and v.is_role(nxt[1].text):
        return True
    # "(S)", ", s," or ", s" at the end of a line
    return v.is_party(nxt[1].text) and (len(nxt) == 2 or not nxt[2].text.isalpha())


def _sentence_initial(toks: list[Token], i: int) -> bool:
    return i == 0 or toks[i - 1].text in {".", "!", "?", ":", "•", "-", "–"}


def _match(text: str, toks: list[Token], i: int, v: Vocabulary) -> int:
    """End token of a person's name starting at token i, else 0."""
    tok = toks[i].text
    if not NAME_WORD.match(tok) or tok in v.stop:
        return 0
    role_before = _strong_context(text, toks, i, i, v, after=False)
    if not v.is_first(tok) and not (role_before and tok.lower() not in v.common
                                    and not v.compound(tok)):
        return 0
    # middle names and initials: "Anna Karin Svensson", "Cecilia Kerstin M Hjort Attefall"
    words = [i]
    j = _next_word(text, toks, i, newline_ok=True)
    while j is not None and (INITIAL.match(toks[j].text) or v.first_not_last(toks[j].text)):
        nxt = _next_word(text, toks, j, newline_ok=True)
        if nxt is None or not NAME_WORD.match(toks[nxt].text):
            break
        words.append(j)
        j = nxt
    across_line = j is not None and "\n" in text[toks[words[-1]].end:toks[j].start]
    if j is not None and not (across_line and v.first_not_last(toks[j].text)) and (
            v.surname(toks[j].text)
            or v.known_last(toks[j].text) and _strong_context(text, toks, i, j + 1, v)):
        words.append(j)
    elif len(words) > 1 and v.known_last(toks[words[-1]].text):
        pass  # the last middle name is the surname: "Helena Björn"
    else:
        return 0
    # double surnames: "Hjort Attefall (KD)", "Banheden Lindblad"; an unlisted second part
    # needs a party letter or role after the name
    extra = []
    k = _next_word(text, toks, words[-1], newline_ok=False)
    while k is not None and v.surname(toks[k].text) and not v.first_not_last(toks[k].text):
        extra.append(k)
        k = _next_word(text, toks, k, newline_ok=False)
    while extra and not (all(v.known_last(toks[e].text) for e in extra)
                         or _strong_context(text, toks, i, extra[-1] + 1, v, before=False)):
        extra.pop()
    words += extra
    end = words[-1] + 1
    surname_listed = v.known_last(toks[words[-1]].text)
    strong = role_before or _strong_context(text, toks, i, end, v, before=False)
    if tok in v.ambiguous and not surname_listed and not strong:
        return 0
    if _sentence_initial(toks, i) and tok.lower() in v.common and not surname_listed:
        return 0
    return end


# -------------------------------------------------------------------- attendance lists

_PARTICLES = "af|av|von|van|der|den|de|da|di|la|le|du|zu"
_WORD = rf"[{_UPPER}][{_LOWER}šžčćđ]+(?:-[{_UPPER}]?[{_LOWER}šžčćđ]+)*"
_INITIAL = rf"[{_UPPER}]{{1,2}}\.?(?![{_LOWER}])"
_RUN = re.compile(
    rf"(?<![\w(-])(?:{_WORD}|{_INITIAL})(?:[ \t]+(?:(?:{_PARTICLES})[ \t]+)?(?:{_WORD}|{_INITIAL}))*")


def mask_brackets(text: str) -> str:
    """Bracketed text (affiliations, notes) blanked out, offsets kept."""
    out, depth = [], 0
    for ch in text:
        if ch == "(":
            depth += 1
        out.append("\x01" if depth else ch)
        if ch == ")" and depth:
            depth -= 1
    return "".join(out)


_WRAPPED = re.compile(rf"(?:^|(?<=[,;]))[ \t]*{_WORD}[ \t]*(\n)[ \t]*(?={_WORD}[ \t]*(?:[,;.]|$))",
                      re.MULTILINE)


def _join_wrapped(masked: str) -> str:
    """A name a list wraps over a line break ("..., Stellan" / "Lagerström, ...") read as one:
    the break becomes a space (offsets stay)."""
    return _WRAPPED.sub(lambda m: m.group(0).replace("\n", " "), masked)


def find_listed(text: str) -> list[tuple[int, int]]:
    """Spans of names in an attendance list or a label's value ("Anna Berg (S), ordförande,
    Bo Ek, Lunds kommun"): runs of two to four capitalised words, cut where the vocabulary
    says a word is no part of a name."""
    v = vocabulary()
    masked = _join_wrapped(mask_brackets(text))
    out = []
    for m in _RUN.finditer(masked):
        toks = [(t.start() + m.start(), t.end() + m.start(), t.group())
                for t in re.finditer(r"\S+", m.group())]
        for run in _split_run(toks, v):
            out += _names_in_run(run, masked, v)
    return out


def _split_run(toks: list[tuple[int, int, str]], v: Vocabulary) -> list[list]:
    """A run of capitalised words cut at words that are never part of a name."""
    runs, cur = [], []
    for t in toks:
        word = t[2]
        if word in v.stop or v.is_role(word) or (word.isupper() and len(word) > 2):
            runs.append(cur)
            cur = []
        else:
            cur.append(t)
    runs.append(cur)
    return runs


def _names_in_run(run: list[tuple[int, int, str]], masked: str, v: Vocabulary) -> list[tuple[int, int]]:
    cfg = v.cfg
    # "Region Skåne Anna Normann": a place leading a longer run is where the person comes
    # from, not part of the name ("Anna Lund" keeps its "Lund").
    while run and v.is_place(run[0][2]) and (len(run) > 2 or not v.is_first(run[0][2])):
        run = run[1:]
    # A municipality's name of two words is a place, not a person: "Lilla Edet".
    while len(run) >= 2 and lookup_municipality(f"{run[0][2]} {run[1][2]}"):
        run = run[2:]
    # Initials only lead a name ("C Magnus Berglund", "JP Anderson"), but a first name with
    # the initial of the surname is a whole entry in a list ("Martin I, Micael E").
    if len(run) == 2 and v.is_first(run[0][2]) and re.fullmatch(rf"[{_UPPER}]", run[1][2]) \
            and re.match(r"\s*(?:[,;\n]|och\b|$)", masked[run[1][1]:]):
        return [(run[0][0], run[1][1])]
    while run and re.fullmatch(_INITIAL, run[-1][2]):
        run = run[:-1]
    # "Konferens & Logi": the word after an ampersand ends an organisation name.
    if run and masked[:run[0][0]].rstrip().endswith("&"):
        run = run[1:]
    full = [t for t in run if re.fullmatch(_WORD, t[2])]
    if len(run) > 4 or len(run) == 4 and _two_people([t[2] for t in run], v):
        # A list that lost its commas: "Ulf Stecksen Sten-Ove Danielsson Inga-Britt Söderberg".
        return [(c[0][0], c[-1][1]) for c in _people_in_run(run, v)]
    if len(run) < 2 or not full:
        return []
    if any(re.fullmatch(_INITIAL, t[2]) for t in run[1:]):
        return []
    if len(full) < 2 and not (len(run) == 2 and len(run[0][2].rstrip(".")) == 2):
        return []
    # An ordinary word opening the run is a place or a heading ("Stadshuset Huskvarna",
    # "Info Bemanning"), not a person.
    if v.is_ordinary(run[0][2]):
        return []
    after = masked[run[-1][1]:].split(None, 1)
    if after and (after[0].strip(",.;:") in cfg.org_suffixes or after[0] == "&"):
        return []
    return [(run[0][0], run[-1][1])]


def _people_in_run(run: list[tuple[int, int, str]], v: Vocabulary) -> list[list]:
    """A long run cut into names of two words (three where a middle name is a first name
    too), each opening with a listed first name; none when the run does not cut so."""
    out, i = [], 0
    while i < len(run):
        if not v.is_first(run[i][2]) or i + 1 >= len(run):
            return []
        size = 2
        if i + 2 < len(run) and v.first_not_last(run[i + 1][2]) and not v.is_first(run[i + 2][2]) \
                and (i + 3 >= len(run) or v.is_first(run[i + 3][2])):
            size = 3
        if v.first_not_last(run[i + size - 1][2]) and not v.known_last(run[i + size - 1][2]):
            return []
        out.append(run[i:i + size])
        i += size
    return out


def _two_people(words: list[str], v: Vocabulary) -> bool:
    """Four name words that read as first name, surname, first name, surname, by the
    commonest first names: a run of four is otherwise one person with a double surname."""
    return (v.common_first(words[0]) and v.common_first(words[2])
            and not v.common_first(words[1]) and not v.common_first(words[3]))


def names_in(text: str) -> list[str]:
    """The names in a label's value ("Föredragande: Anna Normann, utvecklingsstrateg"), in
    order, once each."""
    found: list[str] = []
    for a, b in find_listed(text):
        name = " ".join(text[a:b].split())
        if name not in found:
            found.append(name)
    return found
