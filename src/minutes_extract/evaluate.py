"""Score extracted records against answer keys by the rules of corpus/gold/README.md.

This module follows the reference scorer of those rules step for step (a test holds the
two to the same figures), and adds a readable report:
- Text is compared after Unicode NFC, case folding and collapsing white space (`normalise`).
  A *token* is a run of word characters; token F1 counts shared tokens as a multiset.
- Two person names match when equal, or when they share their first and last word. Names
  are paired in the key's order, each with the first unused predicted name that matches; a
  predicted name that is an alias of any name in the key counts neither way.
- `meeting`: only the fields the key states are scored; dates and times exactly, `chair` and
  `secretary` as person names, other text fields at token F1 >= 0.8.
- `attendees`: P/R/F1 over names; over matched names the share with the right
  `municipality`, `group` and `role` (role: token F1 >= 0.5).
- `items`: P/R/F1 over numbers ("§ 12", "Punkt 12", "12." all read "12"); over matched
  items the mean token F1 of titles.
- `decisions`: a key item with decision blocks is found when the predicted item with the
  same number has decision text (its blocks joined) at token F1 >= 0.8 against the key's;
  precision is over predicted items that have decisions.
- `persons`, `municipalities`, `dates`: P/R/F1 over the sets, `dates_ignore` dropped.
- Per item, where the key has them (the protocols with votes): `case_numbers` (the predicted
  diarienummer, label and spaces aside, starts with the key's), `votes` (same yes/no/abstain
  counts), `reservations`, `protocol_notes`, `recusals` (same party or person).
- A field a key does not have (a partial key) is not scored for that document.
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

TEXT_MATCH = 0.8
ROLE_MATCH = 0.5
DECISION_MATCH = 0.8
EXACT_MEETING_FIELDS = frozenset({"date", "next_meeting", "start_time", "end_time"})
NAME_MEETING_FIELDS = frozenset({"chair", "secretary"})
SET_FIELDS = ("attendees", "items", "decisions", "persons", "municipalities", "dates")
# Scored per item where a key has them; shown only when some key does.
ITEM_EXTRAS = ("case_numbers", "votes", "reservations", "protocol_notes", "recusals")
ATTENDEE_ATTRIBUTES = ("municipality", "group", "role")


def normalise(text) -> str:
    """NFC, case folded, white space collapsed and trimmed; None stays ""."""
    if text is None:
        return ""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", str(text)).casefold()).strip()


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


def same_person(a, b) -> bool:
    """Names equal after normalising, or sharing their first and last word."""
    if normalise(a) == normalise(b):
        return True
    ta, tb = tokens(a), tokens(b)
    return len(ta) >= 2 and len(tb) >= 2 and ta[0] == tb[0] and ta[-1] == tb[-1]


def item_number(number) -> str:
    """An item number as compared: "§ 12", "Punkt 12", "12." all give "12"."""
    s = re.sub(r"^(§|punkt|p\.)\s*", "", normalise(number))
    return s.rstrip(".").strip()


def case_key(case_number) -> str:
    """A diarienummer without its label, spaces and case: "Dnr KS 2019/123" -> "ks2019/123"."""
    s = re.sub(r"^(dnr|diarienummer|diarienr|ärendenummer|ärende nr)[.:]?", "",
               normalise(case_number))
    return re.sub(r"[\s:]", "", s)


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
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

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
    fields: dict[str, Counts] = field(default_factory=dict)  # SET_FIELDS and ITEM_EXTRAS
    meeting: dict[str, Mean] = field(default_factory=dict)  # per stated meeting field, 0 or 1
    attendee_attributes: dict[str, Mean] = field(default_factory=dict)  # ATTENDEE_ATTRIBUTES
    item_titles: Mean = field(default_factory=Mean)  # token F1 of matched items' titles
    error: str | None = None  # why the prediction is empty, if it is
    misses: list[str] = field(default_factory=list)  # what went wrong, one line each


@dataclass
class CorpusScore:
    documents: list[DocScore]
    fields: dict[str, Counts]
    meeting: dict[str, Mean]
    attendee_attributes: dict[str, Mean]
    item_titles: Mean
    verbose: bool = False  # format_table lists every document


# --- names -------------------------------------------------------------------------------


def match_names(pred: Iterable[str], gold: Iterable[str]) -> tuple[Counts, list[tuple[int, int]]]:
    """Pair names one to one; pairs index the de-duplicated (normalised) inputs.

    Each name of the key, in order, takes the first unused predicted name that matches it.
    A predicted name left over that matches some name of the key is an alias and counts
    neither way; a name of the key left over is a miss.
    """
    p_names = _unique(normalise(n) for n in pred if normalise(n))
    g_names = _unique(normalise(n) for n in gold if normalise(n))
    pairs: list[tuple[int, int]] = []
    used: set[int] = set()
    for gi, g in enumerate(g_names):
        for pi, p in enumerate(p_names):
            if pi not in used and same_person(g, p):
                pairs.append((pi, gi))
                used.add(pi)
                break
    fp = sum(1 for pi, p in enumerate(p_names)
             if pi not in used and not any(same_person(g, p) for g in g_names))
    return Counts(len(pairs), fp, len(g_names) - len(pairs)), pairs


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _as_list(x) -> list:
    return x if isinstance(x, list) else []


# --- fields ------------------------------------------------------------------------------


def _meeting_field(name: str, pred, gold) -> bool:
    if name in EXACT_MEETING_FIELDS:
        return normalise(pred) == normalise(gold)
    if name in NAME_MEETING_FIELDS:
        return bool(pred) and same_person(gold, pred)
    return token_f1(gold, pred) >= TEXT_MATCH


def _attendees(pred: list, gold: list, score: DocScore) -> None:
    pred_by_name = _last_by(pred, lambda a: normalise(a.get("name")))
    gold_by_name = _last_by(gold, lambda a: normalise(a.get("name")))
    counts, pairs = match_names(pred_by_name, gold_by_name)
    score.fields["attendees"] = counts
    p_list, g_list = list(pred_by_name.values()), list(gold_by_name.values())
    matched_p, matched_g = {pi for pi, _ in pairs}, {gi for _, gi in pairs}
    missed = [g["name"] for gi, g in enumerate(g_list) if gi not in matched_g]
    extra = [p["name"] for pi, p in enumerate(p_list) if pi not in matched_p
             and not any(same_person(g["name"], p["name"]) for g in g_list)]
    if missed:
        score.misses.append(f"attendees missed: {', '.join(missed)}")
    if extra:
        score.misses.append(f"attendees extra: {', '.join(extra)}")
    attrs = {k: Mean() for k in ATTENDEE_ATTRIBUTES}
    for pi, gi in pairs:
        p, g = p_list[pi], g_list[gi]
        attrs["municipality"].add(
            normalise(p.get("municipality")) == normalise(g.get("municipality")))
        attrs["group"].add(normalise(p.get("group")) == normalise(g.get("group")))
        gr, pr = g.get("role"), p.get("role")
        attrs["role"].add((not gr and not pr)
                          or (bool(gr) and bool(pr) and token_f1(gr, pr) >= ROLE_MATCH))
    score.attendee_attributes = attrs


def _first_by(rows: list, key: Callable[[dict], str]) -> dict[str, dict]:
    """Rows by key, the first one winning (a predicted row repeated counts once)."""
    out: dict[str, dict] = {}
    for row in rows:
        k = key(row) if isinstance(row, dict) else ""
        if k and k not in out:
            out[k] = row
    return out


def _last_by(rows: list, key: Callable[[dict], str]) -> dict[str, dict]:
    """Rows by key, the last one winning (as a key's rows are read)."""
    out: dict[str, dict] = {}
    for row in rows:
        k = key(row) if isinstance(row, dict) else ""
        if k:
            out[k] = row
    return out


def _items(pred: list, gold: list, score: DocScore) -> None:
    gold_by_num = _last_by(gold, lambda i: item_number(i.get("number")))
    pred_by_num = _first_by(
        [i for i in pred if isinstance(i, dict) and i.get("number") is not None],
        lambda i: item_number(i["number"]))
    shared = [n for n in gold_by_num if n in pred_by_num]
    score.fields["items"] = Counts(
        len(shared), len(pred_by_num) - len(shared), len(gold_by_num) - len(shared))
    missed = [n for n in gold_by_num if n not in pred_by_num]
    extra = [n for n in pred_by_num if n not in gold_by_num]
    if missed:
        score.misses.append(f"items missed: {', '.join(missed)}")
    if extra:
        score.misses.append(f"items extra: {', '.join(extra)}")
    for n in shared:
        score.item_titles.add(token_f1(gold_by_num[n].get("title"), pred_by_num[n].get("title")))
    gold_text = {n: _decision_text(i) for n, i in gold_by_num.items() if i.get("decisions")}
    pred_text = {n: _decision_text(i) for n, i in pred_by_num.items()
                 if _as_list(i.get("decisions"))}
    found = sum(1 for n, text in gold_text.items()
                if n in pred_text and token_f1(text, pred_text[n]) >= DECISION_MATCH)
    for n, text in gold_text.items():
        got = pred_text.get(n)
        if got is None:
            score.misses.append(f"decision {n} missed: {_short(text)}")
        elif token_f1(text, got) < DECISION_MATCH:
            score.misses.append(f"decision {n} differs (token F1 {token_f1(text, got):.2f}): "
                                f"key {_short(text)} / got {_short(got)}")
    for n in pred_text.keys() - gold_text.keys():
        score.misses.append(f"decision {n} extra: {_short(pred_text[n])}")
    score.fields["decisions"] = Counts(found, len(pred_text) - found, len(gold_text) - found)
    _item_extras(gold_by_num, pred_by_num, score)


def _short(text: str, width: int = 90) -> str:
    text = " ".join(str(text).split())
    return repr(text if len(text) <= width else text[:width - 1] + "…")


def _decision_text(item: dict) -> str:
    return " ".join(str(d) for d in _as_list(item.get("decisions")))


def _item_extras(gold: dict[str, dict], pred: dict[str, dict], score: DocScore) -> None:
    """Case numbers, votes, reservations, notes and recusals, on items whose key has them."""
    counts = {k: Counts() for k in ITEM_EXTRAS}
    seen: set[str] = set()
    for n, g in gold.items():
        p = pred.get(n) or {}
        if g.get("case_number"):
            seen.add("case_numbers")
            ok = bool(p.get("case_number")) and case_key(p["case_number"]).startswith(
                case_key(g["case_number"]))
            counts["case_numbers"] += Counts(int(ok), int(bool(p.get("case_number")) and not ok),
                                             int(not ok))
        if "votes" in g:
            seen.add("votes")
            gv = Counter(_tally(v) for v in _as_list(g["votes"]))
            pv = Counter(_tally(v) for v in _as_list(p.get("votes")) if isinstance(v, dict))
            hit = sum((gv & pv).values())
            counts["votes"] += Counts(hit, sum(pv.values()) - hit, sum(gv.values()) - hit)
        for k in ("reservations", "protocol_notes", "recusals"):
            if k not in g:
                continue
            seen.add(k)
            left = [_who(x) for x in _as_list(p.get(k))]
            hit = 0
            for x in _as_list(g[k]):
                match = next((y for y in left if _same_party_or_person(x, y)), None)
                if match is not None:
                    hit += 1
                    left.remove(match)
            counts[k] += Counts(hit, len(left), len(_as_list(g[k])) - hit)
    for k in seen:
        score.fields[k] = counts[k]


def _tally(vote: dict) -> tuple:
    """A vote's (yes, no, abstain) counts; a count left empty is 0."""
    return tuple(int(vote.get(k) or 0) if str(vote.get(k) or 0).isdigit() else vote.get(k)
                 for k in ("yes", "no", "abstain"))


def _who(x) -> str:
    """A reservation, note or recusal: a string, or an object naming who."""
    if isinstance(x, dict):
        return str(x.get("who") or x.get("name") or x.get("party") or "")
    return str(x)


def _same_party_or_person(a, b) -> bool:
    a, b = normalise(a), normalise(b)
    return a == b or same_person(a, b) or (min(len(a), len(b)) > 1 and (a in b or b in a))


def _set_counts(pred, gold, ignore=()) -> Counts:
    drop = {normalise(x) for x in _as_list(ignore)}
    g = {normalise(x) for x in _as_list(gold)} - drop
    p = {normalise(x) for x in _as_list(pred) if isinstance(x, str)} - drop
    return Counts(len(g & p), len(p - g), len(g - p))


def score_document(pred: dict, gold: dict) -> DocScore:
    """Score one prediction against its answer key."""
    pred = pred if isinstance(pred, dict) else {}
    score = DocScore(source=gold.get("source", ""))
    p_meeting, g_meeting = pred.get("meeting") or {}, gold.get("meeting") or {}
    for name, value in g_meeting.items():
        if value in (None, "", []):
            continue
        ok = _meeting_field(name, p_meeting.get(name), value)
        score.meeting[name] = Mean(float(ok), 1)
        if not ok:
            score.misses.append(f"meeting.{name}: key {value!r}, got {p_meeting.get(name)!r}")
    if "attendees" in gold:
        _attendees(_as_list(pred.get("attendees")), _as_list(gold.get("attendees")), score)
    _items(_as_list(pred.get("items")), _as_list(gold.get("items")), score)
    ignore = {normalise(d) for d in _as_list(gold.get("dates_ignore"))}
    if "persons" in gold:
        gold_names = sorted({normalise(x) for x in _as_list(gold["persons"])} - ignore)
        pred_names = sorted({normalise(x) for x in _as_list(pred.get("persons"))
                             if isinstance(x, str)} - ignore)
        score.fields["persons"] = match_names(pred_names, gold_names)[0]
    for k in ("municipalities", "dates"):
        if k in gold:
            score.fields[k] = _set_counts(pred.get(k), gold[k], gold.get("dates_ignore"))
    return score


def score_corpus(pairs: Iterable[tuple[dict, dict]]) -> CorpusScore:
    """Micro-averaged scores over (prediction, answer key) pairs."""
    return _combine([score_document(p, g) for p, g in pairs])


def _combine(docs: list[DocScore], verbose: bool = False) -> CorpusScore:
    fields: dict[str, Counts] = {}
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
    order = [*SET_FIELDS, *ITEM_EXTRAS]
    fields = {k: fields[k] for k in order if k in fields}
    meeting = {k: meeting[k] for k in sorted(meeting)}
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
        [f"attendees.{k}", _fmt(m.value), str(m.n)]
        for k, m in score.attendee_attributes.items() if m.n
    ]
    rows.append(
        ["items.title (mean token F1)", _fmt(score.item_titles.value), str(score.item_titles.n)]
    )
    out += _table(["field", "accuracy", "n"], rows)
    if verbose:
        out.append("")
        shown = list(score.fields)
        header = ["document", *(f"{k} F1" for k in shown), "meeting", "error"]
        rows = []
        for d in score.documents:
            m = sum(d.meeting.values(), Mean())
            rows.append(
                [
                    d.source,
                    *(_fmt(d.fields[k].f1) if k in d.fields else "-" for k in shown),
                    _fmt(m.value),
                    d.error or "",
                ]
            )
        out += _table(header, rows)
        for d in score.documents:
            if d.misses:
                out += ["", f"{d.source}:"] + [f"  {m}" for m in d.misses]
    return "\n".join(out)


def _default_extract(path: Path) -> dict:
    from minutes_extract.pipeline import extract  # imported late: it loads the NLP models

    return extract(path).model_dump(mode="json")


def is_scanned(key: dict) -> bool:
    """A key of a scanned document carries the `transcript` of its pages."""
    return "transcript" in key


def evaluate_dir(
    corpus_dir, gold_dir, extract: Callable[[Path], dict] | None = None, verbose: bool = False,
    scanned: bool = True,
) -> CorpusScore:
    """Extract every document an answer key in `gold_dir` names from `corpus_dir` and score it.

    A document that is missing or whose extraction raises scores as an empty prediction,
    with the reason in DocScore.error. With `scanned` False, keys of scanned documents are
    left out.
    """
    extract = extract or _default_extract
    docs: list[DocScore] = []
    for key in sorted(Path(gold_dir).glob("*.json")):
        gold = json.loads(key.read_text(encoding="utf-8"))
        if not scanned and is_scanned(gold):
            continue
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
