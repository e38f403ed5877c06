"""The spaCy pipeline for entity mentions: rules from rules/ and, when shipped, the statistical NER.

One pipeline per process and mode. Modes (argument, else $MINUTES_EXTRACT_ENTITIES):
"rules" (gazetteer and name rules only), "model" (the trained NER only, its places kept when
they name a municipality) and "both" (rules first, the model fills what the rules leave);
the default is "both" when the model is shipped, else "rules".

Rule candidates go to doc.spans["candidates"]; the resolver component picks non-overlapping
ones into doc.ents with labels PERSON, MUNICIPALITY and ORG. A municipality span carries its
SCB code as span.id_.
"""

from __future__ import annotations

import csv
import functools
import gzip
import importlib
import re
from collections.abc import Iterator

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from minutes_extract import rules
from minutes_extract.config import MODEL_DIR, MODES, default_mode, model_available
from minutes_extract.gazetteer import genitives, lookup_municipality, municipalities

CANDIDATES = "candidates"

# Resolution order among overlapping candidates of equal length (lower wins).
PRIORITY = {"MUNICIPALITY": 0, "COUNTY": 1, "ORG": 2, "PERSON": 3, "MUNICIPALITY_BARE": 4,
            "MUNICIPALITY_WEAK": 4, "MUNICIPALITY_GEN": 5}
MODEL_LABELS = {"PER": "PERSON", "PRS": "PERSON", "PERSON": "PERSON", "ORG": "ORG",
                "LOC": "LOC", "GPE": "LOC"}

NAME_TOKEN = re.compile(r"^[A-ZÅÄÖÉÜØÆ][a-zåäöéüèáíóúøæ]+(?:-[A-ZÅÄÖÉÜ][a-zåäöéüèáíóúøæ]+)*$")
INITIAL = re.compile(r"^[A-ZÅÄÖ]\.?$")


# ---- rule data -----------------------------------------------------------------------------

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
    """Lower-case words of running text, plus spaCy's Swedish stop words."""
    with gzip.open(rules.rules_dir() / "names" / "common-words.txt.gz", "rt", encoding="utf-8") as fh:
        words = {line.strip() for line in fh}
    return frozenset(words | set(spacy.blank("sv").Defaults.stop_words))


def is_surname(text: str) -> bool:
    """Whether the SCB lists give `text` enough bearers as a surname."""
    return _PersonEvidence.get().known_last(text)


def _institution_patterns() -> list[dict]:
    """Municipality phrases: "Lunds kommun", "Malmö stad", "Region Gotland", bare and genitive names."""
    forms = rules.load("municipality_forms")
    needs_context = set(forms.get("needs_context", []))
    patterns: list[dict] = []

    def add(label: str, text: str, code: str) -> None:
        for variant in {text, text.upper()}:
            patterns.append({"label": label, "pattern": variant, "id": code})

    for m in municipalities():
        stems = {m.genitive, *genitives(m.name), m.name}
        for stem in stems:
            for word in forms["institution_words"]:
                for w in (word, word.capitalize(), word + "s"):
                    add("MUNICIPALITY", f"{stem} {w}", m.code)
        bare = "MUNICIPALITY_BARE" if m.name not in needs_context else "MUNICIPALITY_WEAK"
        add(bare, m.name, m.code)
        for gen in {m.genitive, *genitives(m.name)} - {m.name}:
            add("MUNICIPALITY_GEN", gen, m.code)
    for phrase, code in forms["aliases"].items():
        add("MUNICIPALITY", phrase, code)
    return patterns


def _county_patterns() -> list[dict]:
    """Counties, regions and county boards: they name places that are not municipalities."""
    patterns: list[dict] = []
    for row in rules.table("municipalities.csv"):
        county = row["county"]  # "Skåne län", "Jönköpings län"
        short = county.removesuffix(" län")
        bare = short[:-1] if short.endswith("s") and not short.endswith("ss") else short
        patterns.append({"label": "COUNTY", "pattern": county})
        patterns.append({"label": "COUNTY", "pattern": county.upper()})
        if lookup_municipality(f"Region {bare}"):  # "Region Gotland" is the municipality
            continue
        for region in {f"Region {bare}", f"Region {county}", f"Regionen {bare}"}:
            patterns.append({"label": "ORG", "pattern": region})
            patterns.append({"label": "ORG", "pattern": region + "s"})
        for board in {f"Länsstyrelsen {bare}", f"Länsstyrelsen i {county}", f"Länsstyrelsen i {bare}",
                      f"Länsstyrelsen {county}"}:
            patterns.append({"label": "ORG", "pattern": board})
    return patterns


def _org_patterns() -> list[dict]:
    orgs = rules.load("organisations")
    body = orgs["body_endings"]
    title = {"IS_TITLE": True}
    # a one-word agency name that is also an ordinary word ("Sida") is not matched bare
    patterns: list[dict] = [
        {"label": "ORG", "pattern": row["name"]} for row in rules.table("agencies.tsv")
        if " " in row["name"] or row["name"].lower() not in common_words()
    ]
    patterns += [
        {"label": "ORG", "pattern": [{"TEXT": {"REGEX": r"^[A-ZÅÄÖ][a-zåäö-]*" + body}}]},
        # "Barn- och utbildningsnämnden", "Miljö- och hälsoskyddsnämnden"
        {"label": "ORG", "pattern": [{"TEXT": {"REGEX": r"^[A-ZÅÄÖ][a-zåäö]+-$"}},
                                     {"LOWER": {"IN": ["och", "samt"]}},
                                     {"TEXT": {"REGEX": r"^[a-zåäö]+" + body}}]},
        {"label": "ORG", "pattern": [{"TEXT": {"REGEX": r"^[A-ZÅÄÖ][a-zåäö-]*" + body}},
                                     {"LOWER": {"IN": orgs["sub_bodies"]}}]},
        {"label": "ORG", "pattern": [{"TEXT": {"REGEX": orgs["org_word_endings"]}}, {**title, "OP": "{0,3}"}]},
        {"label": "ORG", "pattern": [{**title, "OP": "{1,4}"}, {"LOWER": {"IN": orgs["org_heads"]}}]},
        {"label": "ORG", "pattern": [{**title, "OP": "{1,4}"}, {"ORTH": {"IN": orgs["company_suffixes"]}}]},
    ]
    return patterns


# ---- components ----------------------------------------------------------------------------

@Language.component("minutes_persons")
def find_persons(doc: Doc) -> Doc:
    """Add PERSON candidates: a first name, optional middle names or initials, and surname(s)."""
    spans = list(doc.spans[CANDIDATES]) if CANDIDATES in doc.spans else []
    evidence = _PersonEvidence.get()
    i, n = 0, len(doc)
    while i < n:
        end = evidence.match(doc, i)
        if end:
            spans.append(Span(doc, i, end, label="PERSON"))
            i = end
        else:
            i += 1
    doc.spans[CANDIDATES] = spans
    return doc


class _PersonEvidence:
    """Name lists and word lists, and the test whether a person's name starts at a token."""

    def __init__(self) -> None:
        cfg = rules.load("persons")
        self.first = first_names()
        self.last = surnames()
        self.min_first = cfg["min_first_name_bearers"]
        self.min_last = cfg["min_surname_bearers"]
        self.common_surname = cfg["common_surname_bearers"]
        self.ambiguous = set(cfg["ambiguous_first_names"])
        self.stop = set(cfg["not_name_words"])
        # a municipality's name is a surname only when common as one ("Per Lund")
        self.place = {m.name for m in municipalities()}
        self.roles = set(cfg["role_words"])
        self.role_endings = tuple(cfg["role_endings"])
        self.parties = {p.casefold() for p in cfg["parties"]}
        self.common = common_words()
        self.not_surname_endings = tuple(cfg["not_surname_endings"])

    @classmethod
    @functools.cache
    def get(cls) -> _PersonEvidence:
        return cls()

    def is_first(self, text: str) -> bool:
        parts = text.split("-")
        return all(self.first.get(p, 0) >= self.min_first for p in parts) and text not in self.stop

    def first_not_last(self, text: str) -> bool:
        """Clearly a first name: listed as one and at least as often as a surname."""
        return self.is_first(text) and self.first.get(text, 0) >= self.last.get(text, 0)

    def known_last(self, text: str) -> bool:
        return all(self.last.get(p, 0) >= self.min_last for p in text.split("-"))

    def is_last(self, text: str) -> bool:
        """A surname: listed, or name-shaped and not an ordinary word or a place/body word."""
        if not NAME_TOKEN.match(text) or text in self.stop or \
                text in self.place and self.last.get(text, 0) < self.common_surname:
            return False
        if self.known_last(text):
            return self.last.get(text, 0) >= self.common_surname or text.lower() not in self.common
        return all(p.lower() not in self.common for p in text.split("-"))

    def is_role(self, token) -> bool:
        low = token.lower_.rstrip(".")
        return low in self.roles or low.endswith(self.role_endings)

    def strong_context(self, doc: Doc, start: int, end: int, before: bool = True,
                       after: bool = True) -> bool:
        """A role word right before the name ("ordförande Anna Berg", "Sekreterare: Anna Berg"),
        or after it a party letter ("(S)", ", s,") or a role ("Anna Berg, kommunjurist")."""
        if before:
            prev = [t for t in doc[max(start - 3, 0):start] if not t.is_space and t.text != ":"]
            if prev and self.is_role(prev[-1]) and "\n" not in doc[prev[-1].i:start].text:
                return True
        if not after:
            return False
        nxt = [t for t in doc[end:end + 4] if not t.is_space]
        if len(nxt) < 2 or nxt[0].text not in "(,":
            return False
        if nxt[0].text == "," and nxt[1].is_lower and self.is_role(nxt[1]):
            return True
        # "(S)", ", s," or ", s" at the end of a line
        return nxt[1].lower_ in self.parties and (len(nxt) == 2 or not nxt[2].is_alpha)

    @staticmethod
    def next_word(doc: Doc, k: int, newline_ok: bool) -> int | None:
        """The word after token k when only white space separates them (one line break at most
        when `newline_ok`), else None."""
        gap = doc[k].whitespace_
        j = k + 1
        while j < len(doc) and doc[j].is_space:
            gap += doc[j].text
            j += 1
        if j >= len(doc) or not gap or gap.count("\n") > (1 if newline_ok else 0):
            return None
        return j

    def compound(self, text: str) -> bool:
        """An ordinary compound written with a capital: "Protokollmall", "Dahlbergsgymnasiets"."""
        low = text.lower().removesuffix("s")
        if low.endswith(self.not_surname_endings):
            return True
        return any(low[:k] in self.common or low[-k:] in self.common
                   for k in range(6, len(low) - 2)) and not self.known_last(text)

    def surname(self, text: str) -> bool:
        return self.is_last(text) and not self.compound(text)

    def match(self, doc: Doc, i: int) -> int:
        """End token of a person's name starting at token i, else 0."""
        tok = doc[i].text
        if not NAME_TOKEN.match(tok) or tok in self.stop:
            return 0
        role_before = self.strong_context(doc, i, i, after=False)
        if not self.is_first(tok) and not (role_before and tok.lower() not in self.common
                                           and not self.compound(tok)):
            return 0
        # middle names and initials: "Anna Karin Svensson", "Cecilia Kerstin M Hjort Attefall"
        words = [i]
        j = self.next_word(doc, i, newline_ok=True)
        while j is not None and (INITIAL.match(doc[j].text) or self.first_not_last(doc[j].text)):
            nxt = self.next_word(doc, j, newline_ok=True)
            if nxt is None or not NAME_TOKEN.match(doc[nxt].text):
                break
            words.append(j)
            j = nxt
        across_line = j is not None and "\n" in doc[j - 1].text + doc[words[-1]].whitespace_
        if j is not None and not (across_line and self.first_not_last(doc[j].text)) and (
                self.surname(doc[j].text)
                or self.known_last(doc[j].text) and self.strong_context(doc, i, j + 1)):
            words.append(j)
        elif len(words) > 1 and self.known_last(doc[words[-1]].text):
            pass  # the last middle name is the surname: "Helena Björn"
        else:
            return 0
        # double surnames: "Hjort Attefall (KD)", "Banheden Lindblad"; an unlisted second
        # part needs a party letter or role after the name
        extra = []
        k = self.next_word(doc, words[-1], newline_ok=False)
        while k is not None and self.surname(doc[k].text) and not self.first_not_last(doc[k].text):
            extra.append(k)
            k = self.next_word(doc, k, newline_ok=False)
        while extra and not (all(self.known_last(doc[e].text) for e in extra)
                             or self.strong_context(doc, i, extra[-1] + 1, before=False)):
            extra.pop()
        words += extra
        end = words[-1] + 1
        surname_listed = self.known_last(doc[words[-1]].text)
        strong = role_before or self.strong_context(doc, i, end, before=False)
        if tok in self.ambiguous and not surname_listed and not strong:
            return 0
        if self.is_sentence_initial(doc, i) and tok.lower() in self.common and not surname_listed:
            return 0
        return end

    @staticmethod
    def is_sentence_initial(doc: Doc, i: int) -> bool:
        k = i - 1
        while k >= 0 and doc[k].is_space:
            k -= 1
        return k < 0 or doc[k].text in {".", "!", "?", ":", "•", "-", "–"}


@Language.factory("minutes_resolver", default_config={"mode": "rules"})
def make_resolver(nlp: Language, name: str, mode: str):
    return functools.partial(resolve, mode=mode)


def resolve(doc: Doc, mode: str) -> Doc:
    """Choose non-overlapping entities: longest first, then by label priority. In "both" the
    rules choose first and the model only fills tokens they leave free, so a model span that
    runs across a list of names cannot swallow the rules' exact ones."""
    taken = [False] * len(doc)
    chosen: list[Span] = []
    if mode in ("rules", "both"):
        chosen += _choose([s for s in doc.spans.get(CANDIDATES, []) if _keep(doc, s)], taken)
        chosen += _surname_mentions(doc, chosen, taken)
    if mode in ("model", "both"):
        chosen += _choose(_model_spans(doc, strict=mode == "both"), taken)
    ents = []
    for s in sorted(chosen, key=lambda s: s.start):
        label = "MUNICIPALITY" if s.label_.startswith("MUNICIPALITY") else s.label_
        if label in ("PERSON", "MUNICIPALITY", "ORG"):
            ents.append(Span(doc, s.start, s.end, label=label, span_id=s.id_))
    doc.ents = ents
    return doc


def _surname_mentions(doc: Doc, chosen: list[Span], taken: list[bool]) -> list[Span]:
    """A surname alone ("Taylor visar ...", "Geijers förslag") where the same document names
    one person with that surname in full; the span's id is that full name."""
    owners: dict[str, set[str]] = {}
    for e in chosen:
        words = e.text.split()
        if e.label_ == "PERSON" and len(words) >= 2:
            owners.setdefault(words[-1], set()).add(" ".join(words))
    common = common_words()
    surnames = {last: next(iter(full)) for last, full in owners.items()
                if len(full) == 1 and last.lower() not in common
                and lookup_municipality(last) is None}
    found = []
    for t in doc:
        if taken[t.i]:
            continue
        name = surnames.get(t.text)
        if name is None and t.text.endswith("s"):
            name = surnames.get(t.text[:-1])  # genitive
        if name is not None:
            taken[t.i] = True
            found.append(Span(doc, t.i, t.i + 1, label="PERSON", span_id=name))
    return found


def _choose(cands: list[Span], taken: list[bool]) -> list[Span]:
    """Candidates that overlap neither each other nor `taken`, which they then mark."""
    chosen = []
    for s in sorted(cands, key=lambda s: (-(s.end - s.start), PRIORITY.get(s.label_, 9), s.start)):
        if any(taken[s.start:s.end]):
            continue
        for k in range(s.start, s.end):
            taken[k] = True
        chosen.append(s)
    return chosen


def _prev(doc: Doc, i: int):
    k = i - 1
    while k >= 0 and doc[k].is_space:
        k -= 1
    return doc[k] if k >= 0 else None


def _keep(doc: Doc, s: Span) -> bool:
    """Context tests for municipality names that are not sure by themselves."""
    if s.label_ == "MUNICIPALITY_GEN":
        # "Trelleborgs kommundirektör": a genitive counts before a lower-case noun
        nxt = doc[s.end] if s.end < len(doc) else None
        return bool(nxt is not None and nxt.is_alpha and nxt.is_lower and nxt.lower_ != "län")
    if s.label_ == "MUNICIPALITY_WEAK":
        # names that are ordinary words ("Mark", "Vara") count only inside a sentence
        prev = _prev(doc, s.start)
        return prev is not None and (prev.is_lower or prev.text in {"(", ","})
    return True


def _model_spans(doc: Doc, strict: bool) -> list[Span]:
    """The model's entities in the project's labels. `strict` (beside the rules) keeps only
    spans on one line and persons written as a full name: the model learnt from running
    prose and reads a column of names, or a heading above one, as a single entity."""
    spans = []
    for ent in doc.ents:
        label = MODEL_LABELS.get(ent.label_)
        if strict and ("\n" in ent.text or label == "PERSON" and not _full_name(ent)):
            continue
        # A lone word the model calls an organisation is, in minutes, mostly a field label,
        # a party letter or a heading ("Sammanträdesdatum", "KD", "Biblioteksplan"); the
        # rules know the single-word bodies and agencies.
        if strict and label == "ORG" and (len(ent) == 1 or not ent.text[-1].isalnum()):
            continue
        if label == "LOC":
            m = lookup_municipality(ent.text)
            if m is None:
                continue
            spans.append(Span(doc, ent.start, ent.end, label="MUNICIPALITY_BARE", span_id=m.code))
        elif label:
            spans.append(Span(doc, ent.start, ent.end, label=label))
    return spans


def _full_name(span: Span) -> bool:
    """A listed first name, then name-shaped words or initials, ending in a surname by the
    rules' own test: not a school's or body's genitive, not a heading like "Dag Tid Plats"."""
    evidence = _PersonEvidence.get()
    words = [t.text for t in span]
    return (len(words) >= 2 and evidence.is_first(words[0]) and evidence.surname(words[-1])
            and all(NAME_TOKEN.match(w) or INITIAL.match(w) for w in words))


# ---- building ------------------------------------------------------------------------------

def _load_model() -> Language:
    return importlib.import_module("minutes_extract.ner").load_ner()


def _tokenizer_infixes(nlp: Language) -> None:
    """Split "22,Lund" and "(Vellinge),Per": a comma or bracket glued to a following capital."""
    infixes = list(nlp.Defaults.infixes) + [r"(?<=\w)\)(?=,)", r"(?<=[\w)]),(?=[A-ZÅÄÖ])"]
    nlp.tokenizer.infix_finditer = spacy.util.compile_infix_regex(infixes).finditer


# ---- long documents --------------------------------------------------------------------------

# The most text given to spaCy at once. The pipeline's memory grows with the text it holds
# (about 3 KB a character with the NER model), and spaCy refuses texts over
# `nlp.max_length` (1,000,000 characters), so a longer document goes in pieces cut at
# paragraph ends. Minutes of a few dozen pages are one piece, so a surname alone still
# finds its full name anywhere in them.
CHUNK_CHARS = 30_000
# A run of this many characters without a blank holds no name, place or body, and spaCy's
# tokenizer takes time quadratic in such a run ("((((...", "!?!?..."): it is blanked before
# tokenising, which keeps every offset.
LONG_RUN = 100
_LONG_RUN = re.compile(rf"(?<!\S)\S{{{LONG_RUN},}}")


def pieces(text: str, size: int = CHUNK_CHARS) -> list[tuple[int, int]]:
    """(start, end) of consecutive pieces of at most `size` characters covering `text`, cut
    after a blank line where there is one, else after a line end, else after a blank."""
    out: list[tuple[int, int]] = []
    pos, n = 0, len(text)
    while pos < n:
        end = min(pos + size, n)
        if end < n:
            for sep in ("\n\n", "\n", " "):
                cut = text.rfind(sep, pos, end)
                if cut > pos:
                    end = cut + len(sep)
                    break
        out.append((pos, end))
        pos = end
    return out


def entity_docs(text: str, mode: str | None = None) -> Iterator[tuple[int, Doc]]:
    """The entity pipeline over `text` in pieces: (offset of the piece, its Doc)."""
    nlp = get_nlp(mode)
    blanked = _LONG_RUN.sub(lambda m: " " * len(m.group()), text)
    spans = pieces(blanked)
    # A small batch: the model's memory is per text in the batch.
    docs = nlp.pipe((blanked[a:b] for a, b in spans), batch_size=2)
    for (start, _), doc in zip(spans, docs):
        yield start, doc


@functools.cache
def get_nlp(mode: str | None = None) -> Language:
    """The entity pipeline for `mode` (see module docstring), built once per process."""
    mode = mode or default_mode()
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
    if mode in ("model", "both") and not model_available():
        raise RuntimeError(f"entity mode {mode!r} needs the NER model at {MODEL_DIR}")
    nlp = spacy.blank("sv")
    _tokenizer_infixes(nlp)
    ruler = nlp.add_pipe("span_ruler", config={"spans_key": CANDIDATES, "annotate_ents": False,
                                               "overwrite": False})
    ruler.add_patterns(_institution_patterns() + _county_patterns() + _org_patterns())
    nlp.add_pipe("minutes_persons")
    if mode in ("model", "both"):
        model = _load_model()
        for name in model.pipe_names:
            nlp.add_pipe(name, source=model, name=name if name not in nlp.pipe_names else f"model_{name}")
    nlp.add_pipe("minutes_resolver", config={"mode": mode})
    return nlp
