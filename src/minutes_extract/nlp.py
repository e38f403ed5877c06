"""The spaCy pipeline for entity mentions: rules from rules/ and, when shipped, the statistical NER.

One pipeline per process and mode. Modes (argument, else $MINUTES_EXTRACT_ENTITIES):
"rules" (gazetteer and name rules only), "model" (the trained NER only, its places kept when
they name a municipality) and "both" (rules first, the model fills what the rules leave);
the default is "rules" (see config.default_mode for why).

Rule candidates go to doc.spans["candidates"]; the resolver component picks non-overlapping
ones into doc.ents with labels PERSON, MUNICIPALITY and ORG. A municipality span carries its
SCB code as span.id_.
"""

from __future__ import annotations

import functools
import importlib
import re
from collections.abc import Iterator

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from minutes_extract import names, rules
from minutes_extract.config import MODEL_DIR, MODES, default_mode, model_available
from minutes_extract.gazetteer import genitives, lookup_municipality, municipalities
from minutes_extract.names import vocabulary
from minutes_extract.organisations import names_a_kind

CANDIDATES = "candidates"

# Resolution order among overlapping candidates of equal length (lower wins).
PRIORITY = {"MUNICIPALITY": 0, "COUNTY": 1, "ORG": 2, "PERSON": 3, "MUNICIPALITY_BARE": 4,
            "MUNICIPALITY_WEAK": 4, "MUNICIPALITY_GEN": 5}
MODEL_LABELS = {"PER": "PERSON", "PRS": "PERSON", "PERSON": "PERSON", "ORG": "ORG",
                "LOC": "LOC", "GPE": "LOC"}



# ---- rule data -----------------------------------------------------------------------------

def is_surname(text: str) -> bool:
    """Whether the SCB lists give `text` enough bearers as a surname."""
    return vocabulary().known_last(text)


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
        if " " in row["name"] or row["name"].lower() not in names.common_words()
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
    """Add PERSON candidates found by the project's one name finder (`minutes_extract.names`)."""
    spans = list(doc.spans[CANDIDATES]) if CANDIDATES in doc.spans else []
    for found in names.find_persons(doc.text):
        span = doc.char_span(found.start, found.end, label="PERSON", alignment_mode="expand")
        if span is not None:
            spans.append(span)
    doc.spans[CANDIDATES] = spans
    return doc


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
    common = names.common_words()
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
        # Of its longer ones, mostly headings and phrases ("Torsdagars luncher är", "BEVIS
        # Protokollet"): an organisation the rules do not know must end with a word for a kind
        # of organisation ("Europeiska socialfonden", "Serneke AB"). Precision over recall.
        if strict and label == "ORG" and not names_a_kind(ent.text):
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
    v = vocabulary()
    words = [t.text for t in span]
    return (len(words) >= 2 and v.is_first(words[0]) and v.surname(words[-1])
            and all(names.NAME_WORD.match(w) or names.INITIAL.match(w) for w in words))


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
