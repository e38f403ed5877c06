"""Score extracted records against answer keys by the rules of corpus/gold/README.md.

Comparison rules:
- Text is compared after Unicode NFC, case folding and collapsing white space (`normalise`).
- A *token* is a run of word characters (letters, digits) in the normalised text; punctuation
  and symbols ("§", ":", "-") are dropped: "Beslut: Godkänt." has tokens "beslut", "godkänt".
  Token F1 counts shared tokens as a multiset; two texts without tokens have F1 1.0.
- Two person names match when equal, or when they share their first and last word
  ("Cecilia Hjort Attefall" ~ "Cecilia Kerstin M Hjort Attefall"). A further alias of a person
  already matched counts neither as a hit nor as a miss. This holds for attendees and persons.
- Precision of an empty prediction is 1.0 when nothing was expected and 0.0 otherwise (and
  recall alike), so a document scored against itself gets 1.0 everywhere.

Fields:
- `meeting`: per field, exact match; text fields match at token F1 >= 0.8.
- `attendees`: P/R/F1 over names; over matched names the share with the right
  `municipality`, `group` and `role` (role: token F1 >= 0.5).
- `items`: P/R/F1 over numbers; over matched items, the mean token F1 of titles.
- `decisions`: a gold item with decision blocks is found when the predicted item with the same
  number has decision text (its blocks joined) with token F1 >= 0.8 against the gold blocks
  joined; precision is over predicted items that have decisions.
- `persons`, `municipalities`, `dates`: P/R/F1 over the sets; `dates_ignore` of the answer key
  is dropped from both sides.
Corpus figures are micro averages: counts are summed over documents before dividing.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

TEXT_FIELDS = frozenset({"title", "organization", "place", "chair", "secretary"})
TEXT_MATCH = 0.8
ROLE_MATCH = 0.5
DECISION_MATCH = 0.8
SET_FIELDS = ("attendees", "items", "decisions", "persons", "municipalities", "dates")
ATTENDEE_ATTRIBUTES = ("municipality", "group", "role")


def normalise(text) -> str:
    """NFC, case folded, white space collapsed and trimmed; None stays ""."""
    if text is None:
        return ""
    return " ".join(unicodedata.normalize("NFC", str(text)).casefold().split())


def tokens(text) -> list[str]:
    return re.findall(r"\w+", normalise(text))


def token_f1(a, b) -> float:
    ta, tb = Counter(tokens(a)), Counter(tokens(b))
    if not ta and not tb:
        return 1.0
    shared = sum((ta & tb).values())
    if not shared:
        return 0.0
    p, r = shared / sum(ta.values()), shared / sum(tb.values())
    return 2 * p * r / (p + r)


@dataclass
class Counts:
    """Hits, false alarms and misses for one set-valued field."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    @property
    def precision(self) -> float:
        if self.tp + self.fp == 0:
            return 1.0 if self.fn == 0 else 0.0
        return self.tp / (self.tp + self.fp)

    @property
    def recall(self) -> float:
        if self.tp + self.fn == 0:
            return 1.0 if self.fp == 0 else 0.0
        return self.tp / (self.tp + self.fn)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def n(self) -> int:
        """How many the answer key holds."""
        return self.tp + self.fn


@dataclass
class Mean:
    """A share or mean: `total` summed over `n` cases; None when there was no case."""

    total: float = 0.0
    n: int = 0

    def __add__(self, other: Mean) -> Mean:
        return Mean(self.total + other.total, self.n + other.n)

    def add(self, value: float) -> None:
        self.total += value
        self.n += 1

    @property
    def value(self) -> float | None:
        return self.total / self.n if self.n else None


@dataclass
class DocScore:
    source: str
    fields: dict[str, Counts] = field(default_factory=dict)  # SET_FIELDS
    meeting: dict[str, Mean] = field(default_factory=dict)  # per meeting field, 0 or 1 of 1
    attendee_attributes: dict[str, Mean] = field(default_factory=dict)  # ATTENDEE_ATTRIBUTES
    item_titles: Mean = field(default_factory=Mean)  # token F1 of matched items' titles
    error: str | None = None  # why the prediction is empty, if it is


@dataclass
class CorpusScore:
    documents: list[DocScore]
    fields: dict[str, Counts]
    meeting: dict[str, Mean]
    attendee_attributes: dict[str, Mean]
    item_titles: Mean
    verbose: bool = False  # format_table lists every document


# --- names -------------------------------------------------------------------------------


def same_person(a: str, b: str) -> bool:
    """Normalised names that are equal or share their first and last word."""
    if a == b:
        return True
    wa, wb = a.split(), b.split()
    return len(wa) >= 2 and len(wb) >= 2 and wa[0] == wb[0] and wa[-1] == wb[-1]


def match_names(pred: Iterable[str], gold: Iterable[str]) -> tuple[Counts, list[tuple[int, int]]]:
    """Match names one to one (equal names first); pairs index the de-duplicated inputs.

    An unmatched name that is an alias of a matched person counts neither way.
    """
    p_names = _unique(normalise(n) for n in pred if normalise(n))
    g_names = _unique(normalise(n) for n in gold if normalise(n))
    pairs: list[tuple[int, int]] = []
    used_p: set[int] = set()
    used_g: set[int] = set()
    for rule in (str.__eq__, same_person):
        for gi, g in enumerate(g_names):
            if gi in used_g:
                continue
            for pi, p in enumerate(p_names):
                if pi not in used_p and rule(p, g):
                    pairs.append((pi, gi))
                    used_p.add(pi)
                    used_g.add(gi)
                    break
    fp = sum(
        1
        for pi, p in enumerate(p_names)
        if pi not in used_p and not any(same_person(p, g_names[gi]) for gi in used_g)
    )
    fn = sum(
        1
        for gi, g in enumerate(g_names)
        if gi not in used_g and not any(same_person(p_names[pi], g) for pi in used_p)
    )
    return Counts(len(pairs), fp, fn), pairs


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _set_counts(pred: Iterable, gold: Iterable, ignore: Iterable = ()) -> Counts:
    drop = {normalise(x) for x in ignore}
    p = {normalise(x) for x in pred if normalise(x)} - drop
    g = {normalise(x) for x in gold if normalise(x)} - drop
    return Counts(len(p & g), len(p - g), len(g - p))


# --- fields ------------------------------------------------------------------------------


def _meeting_field(name: str, pred, gold) -> bool:
    if isinstance(gold, list) or isinstance(pred, list):
        return {normalise(x) for x in pred or []} == {normalise(x) for x in gold or []}
    if gold is None or pred is None:
        return normalise(pred) == normalise(gold)
    if name in TEXT_FIELDS:
        return token_f1(pred, gold) >= TEXT_MATCH
    return normalise(pred) == normalise(gold)


def _attendees(pred: list[dict], gold: list[dict], score: DocScore) -> None:
    pred_by_name = _first_by(pred, lambda a: normalise(a.get("name")))
    gold_by_name = _first_by(gold, lambda a: normalise(a.get("name")))
    counts, pairs = match_names(pred_by_name, gold_by_name)
    score.fields["attendees"] = counts
    p_list, g_list = list(pred_by_name.values()), list(gold_by_name.values())
    attrs = {k: Mean() for k in ATTENDEE_ATTRIBUTES}
    for pi, gi in pairs:
        p, g = p_list[pi], g_list[gi]
        attrs["municipality"].add(
            normalise(p.get("municipality")) == normalise(g.get("municipality"))
        )
        attrs["group"].add(normalise(p.get("group")) == normalise(g.get("group")))
        if g.get("role") is None or p.get("role") is None:
            attrs["role"].add(g.get("role") is None and p.get("role") is None)
        else:
            attrs["role"].add(token_f1(p.get("role"), g.get("role")) >= ROLE_MATCH)
    score.attendee_attributes = attrs


def _first_by(rows: list[dict], key: Callable[[dict], str]) -> dict[str, dict]:
    """Rows by key, first one winning, in order; rows without a key are dropped."""
    out: dict[str, dict] = {}
    for row in rows:
        k = key(row)
        if k and k not in out:
            out[k] = row
    return out


def _items(pred: list[dict], gold: list[dict], score: DocScore) -> None:
    pred_by_num = _first_by(pred, lambda i: normalise(i.get("number")))
    gold_by_num = _first_by(gold, lambda i: normalise(i.get("number")))
    shared = [n for n in gold_by_num if n in pred_by_num]
    score.fields["items"] = Counts(
        len(shared), len(pred_by_num) - len(shared), len(gold_by_num) - len(shared)
    )
    for n in shared:
        score.item_titles.add(token_f1(pred_by_num[n].get("title"), gold_by_num[n].get("title")))
    decided = Counts()
    for n, g in gold_by_num.items():
        if not _decision_text(g):
            continue
        p = pred_by_num.get(n)
        if (
            p is not None
            and _decision_text(p)
            and token_f1(_decision_text(p), _decision_text(g)) >= DECISION_MATCH
        ):
            decided.tp += 1
        else:
            decided.fn += 1
    predicted_with_decisions = sum(1 for p in pred_by_num.values() if _decision_text(p))
    decided.fp = predicted_with_decisions - decided.tp
    score.fields["decisions"] = decided


def _decision_text(item: dict) -> str:
    return " ".join(d for d in item.get("decisions") or [] if d and d.strip())


def score_document(pred: dict, gold: dict) -> DocScore:
    """Score one prediction against its answer key."""
    pred = pred or {}
    score = DocScore(source=gold.get("source", ""))
    p_meeting, g_meeting = pred.get("meeting") or {}, gold.get("meeting") or {}
    for name, value in g_meeting.items():
        score.meeting[name] = Mean(float(_meeting_field(name, p_meeting.get(name), value)), 1)
    _attendees(pred.get("attendees") or [], gold.get("attendees") or [], score)
    _items(pred.get("items") or [], gold.get("items") or [], score)
    score.fields["persons"] = match_names(pred.get("persons") or [], gold.get("persons") or [])[0]
    score.fields["municipalities"] = _set_counts(
        pred.get("municipalities") or [], gold.get("municipalities") or []
    )
    score.fields["dates"] = _set_counts(
        pred.get("dates") or [], gold.get("dates") or [], gold.get("dates_ignore") or []
    )
    return score


def score_corpus(pairs: Iterable[tuple[dict, dict]]) -> CorpusScore:
    """Micro-averaged scores over (prediction, answer key) pairs."""
    return _combine([score_document(p, g) for p, g in pairs])


def _combine(docs: list[DocScore], verbose: bool = False) -> CorpusScore:
    fields = {k: Counts() for k in SET_FIELDS}
    meeting: dict[str, Mean] = {}
    attrs = {k: Mean() for k in ATTENDEE_ATTRIBUTES}
    titles = Mean()
    for d in docs:
        for k, c in d.fields.items():
            fields[k] = fields.get(k, Counts()) + c
        for k, m in d.meeting.items():
            meeting[k] = meeting.get(k, Mean()) + m
        for k, m in d.attendee_attributes.items():
            attrs[k] = attrs[k] + m
        titles = titles + d.item_titles
    return CorpusScore(docs, fields, meeting, attrs, titles, verbose)


# --- report ------------------------------------------------------------------------------


def _fmt(x: float | None) -> str:
    return "-" if x is None else f"{x:.3f}"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(row: list[str]) -> str:
        # First column (names) to the left, figures to the right.
        cells = (c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths)))
        return " | ".join(cells).rstrip()

    return [line(header), "-+-".join("-" * w for w in widths), *(line(r) for r in rows)]


def format_table(score: CorpusScore, verbose: bool | None = None) -> str:
    """Plain-text tables: set fields (P, R, F1, n), meeting fields and attendee attributes
    (accuracy, n), item titles; with `verbose` (default: score.verbose) one row per document."""
    verbose = score.verbose if verbose is None else verbose
    out = [f"{len(score.documents)} documents", ""]
    out += _table(
        ["field", "P", "R", "F1", "n"],
        [
            [k, _fmt(c.precision), _fmt(c.recall), _fmt(c.f1), str(c.n)]
            for k, c in score.fields.items()
        ],
    )
    out.append("")
    rows = [[f"meeting.{k}", _fmt(m.value), str(m.n)] for k, m in score.meeting.items()]
    rows += [
        [f"attendees.{k}", _fmt(m.value), str(m.n)] for k, m in score.attendee_attributes.items()
    ]
    rows.append(
        ["items.title (mean token F1)", _fmt(score.item_titles.value), str(score.item_titles.n)]
    )
    out += _table(["field", "accuracy", "n"], rows)
    if verbose:
        out.append("")
        header = ["document", *(f"{k} F1" for k in SET_FIELDS), "meeting", "error"]
        rows = []
        for d in score.documents:
            m = sum(d.meeting.values(), Mean())
            rows.append(
                [
                    d.source,
                    *(_fmt(d.fields[k].f1) if k in d.fields else "-" for k in SET_FIELDS),
                    _fmt(m.value),
                    d.error or "",
                ]
            )
        out += _table(header, rows)
    return "\n".join(out)


def _default_extract(path: Path) -> dict:
    from minutes_extract.pipeline import extract  # imported late: it loads the NLP models

    return extract(path).model_dump(mode="json")


def evaluate_dir(
    corpus_dir, gold_dir, extract: Callable[[Path], dict] | None = None, verbose: bool = False
) -> CorpusScore:
    """Extract every document an answer key in `gold_dir` names from `corpus_dir` and score it.

    A document that is missing or whose extraction raises scores as an empty prediction,
    with the reason in DocScore.error.
    """
    extract = extract or _default_extract
    docs: list[DocScore] = []
    for key in sorted(Path(gold_dir).glob("*.json")):
        gold = json.loads(key.read_text(encoding="utf-8"))
        path = Path(corpus_dir) / gold["source"]
        error = None
        try:
            pred = extract(path)
        except Exception as exc:  # noqa: BLE001 - a failing document must not stop the evaluation
            pred, error = {}, f"{type(exc).__name__}: {exc}".splitlines()[0]
        score = score_document(pred, gold)
        score.error = error
        docs.append(score)
    return _combine(docs, verbose)
