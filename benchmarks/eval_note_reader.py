"""Evaluate the note reader on the NegEx/ConText annotated sentences (Chapman et al.).

    python benchmarks/eval_note_reader.py [--shared DIR] [--medspacy] [--errors negated|historical]

Reads ``negex/rsAnnotations-1-120-random.txt`` (2,376 condition mentions from 120 reports,
with negation, temporality and experiencer) and ``negex/negex.python/Annotations-1-120.txt``
(the same mentions, negation only, some as whole reports) from the shared real-data folder,
runs :func:`auditkit.notes.context.assess` on each (condition, sentence) row — the function
behind ``auditkit notes assess`` — and prints precision, recall, F1 and the confusion counts
for ``negated`` and ``historical``.

The random file has no report numbers; each row is matched to its report through the
NegEx kit (same condition and sentence). Reports with odd numbers were the development half
while the lexicon was written, even numbers the held-out half: both are printed.
``--medspacy`` also runs medspaCy's ConText with its default rules beside it. medspaCy is
no auditkit dependency and pins numpy below 2, which pyarrow (an auditkit dependency) does
not accept: run it from a separate environment, e.g.
``python -m venv /tmp/ms && /tmp/ms/bin/pip install medspacy && /tmp/ms/bin/pip install
--no-deps -e . && /tmp/ms/bin/pip install pluggy click``, then
``/tmp/ms/bin/python benchmarks/eval_note_reader.py --medspacy``.
``--speed`` times the diagnosis-evidence path the DOC checks use (three codes per note) on
the MTSamples notes, in CPU seconds of one process.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from auditkit.notes.context import Assessment, assess

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@dataclass(frozen=True)
class Item:
    report: int
    condition: str
    sentence: str
    negated: bool
    historical: bool | None  # None where the file has no temporality
    other: bool | None = None  # experiencer not the patient; None where the file has none


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, truth: bool, guess: bool) -> None:
        if truth and guess:
            self.tp += 1
        elif guess:
            self.fp += 1
        elif truth:
            self.fn += 1
        else:
            self.tn += 1

    def line(self, label: str) -> str:
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        recall = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return (
            f"{label:<34} P {precision:.3f}  R {recall:.3f}  F1 {f1:.3f}   "
            f"TP {self.tp:>4} FP {self.fp:>4} FN {self.fn:>4} TN {self.tn:>4}"
        )


def _normal(text: str) -> str:
    return " ".join(text.lower().split())


def _rows(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8", errors="replace") as handle:
        return list(csv.reader(handle, delimiter="\t"))[1:]


def load_kit(shared: Path) -> list[Item]:
    """The NegEx kit file: report number, concept, sentence (or report), negation."""
    rows = _rows(shared / "real-data" / "negex" / "negex.python" / "Annotations-1-120.txt")
    return [Item(int(r[0]), r[1], r[2], r[3] == "Negated", None) for r in rows]


def load_random(shared: Path, kit: Sequence[Item]) -> list[Item]:
    """The ConText reference file, each row given the report number found in the kit."""
    by_pair: dict[tuple[str, str], int] = {}
    for item in kit:
        by_pair.setdefault((_normal(item.condition), _normal(item.sentence)), item.report)
    items = []
    for row in _rows(shared / "real-data" / "negex" / "rsAnnotations-1-120-random.txt"):
        condition, sentence = _normal(row[1]), _normal(row[2])
        report = by_pair.get((condition, sentence))
        if report is None:  # the kit holds the whole report where this row has a sentence
            report = next(
                (
                    i.report
                    for i in kit
                    if _normal(i.condition) == condition and sentence in _normal(i.sentence)
                ),
                0,
            )
        items.append(
            Item(
                report,
                row[1],
                row[2],
                row[3] == "Negated",
                row[4] == "Historical",
                row[5] != "Patient",
            )
        )
    return items


def evaluate(
    items: Sequence[Item], reader: Callable[[str, str], Assessment | None]
) -> tuple[dict[str, Counts], list[tuple[Item, Assessment | None]]]:
    counts = {name: Counts() for name in ("negated", "historical", "other experiencer")}
    results = []
    for item in items:
        judgment = reader(item.condition, item.sentence)
        results.append((item, judgment))
        counts["negated"].add(item.negated, judgment is not None and judgment.negation == "negated")
        if item.historical is not None:
            counts["historical"].add(
                item.historical, judgment is not None and judgment.temporality == "historical"
            )
        if item.other is not None:
            counts["other experiencer"].add(
                item.other, judgment is not None and judgment.experiencer == "other"
            )
    return counts, results


def report(
    title: str, items: Sequence[Item], reader: Callable[[str, str], Assessment | None]
) -> list[tuple[Item, Assessment | None]]:
    halves = {
        "all": items,
        "development (odd reports)": [i for i in items if i.report % 2 == 1],
        "held out (even reports)": [i for i in items if i.report % 2 == 0],
    }
    print(f"\n{title}")
    results: list[tuple[Item, Assessment | None]] = []
    for name, subset in halves.items():
        started = time.perf_counter()
        counts, found = evaluate(subset, reader)
        seconds = time.perf_counter() - started
        if name == "all":
            results = found
        print(f"  {name}: {len(subset)} items, {seconds * 1000:.0f} ms")
        for label, count in counts.items():
            if count.tp + count.fp + count.fn + count.tn:
                print("    " + count.line(label))
    return results


SPEED_CODES = ("I10", "E11.9", "J44.9")


def speed(shared: Path, rounds: int = 5) -> None:
    """CPU time of :func:`diagnosis_evidence` for three codes on each MTSamples note."""
    import datetime as dt

    from auditkit.codesets import CodeSets
    from auditkit.notes.evidence import condition_terms, diagnosis_evidence

    csv.field_size_limit(1 << 30)
    path = shared / "real-data" / "notes" / "mtsamples_sample500.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        notes = [row["text"] for row in csv.DictReader(handle)]
    release = CodeSets().for_date(dt.date(2026, 1, 15)).release
    for code in SPEED_CODES:
        condition_terms(code, release)  # load the release and the synonym table first
    best = float("inf")
    found = 0
    for _ in range(rounds):
        # distinct strings each round, so no per-note cache carries over
        fresh = [note + " " for note in notes]
        started = time.process_time()
        found = sum(
            diagnosis_evidence(code, note, release).status != "not_found"
            for note in fresh
            for code in SPEED_CODES
        )
        best = min(best, time.process_time() - started)
    per_note = best / len(notes)
    average = sum(map(len, notes)) / len(notes)
    print(f"\ndiagnosis evidence, {len(SPEED_CODES)} codes per note ({', '.join(SPEED_CODES)})")
    print(
        f"  {len(notes)} MTSamples notes (average {average:.0f} characters), {found} with a "
        f"mention: {per_note * 1000:.3f} ms of CPU per note (best of {rounds}); "
        f"100,000 notes: {per_note * 100_000:.0f} s in one process"
    )


def medspacy_reader() -> Callable[[str, str], Assessment | None]:
    """medspaCy's ConText with its default rules; the condition is set as the only entity
    (found as auditkit finds it, the capitalised occurrence first), so both readers judge
    the same words."""
    import medspacy  # type: ignore[import-not-found, import-untyped, unused-ignore]
    from loguru import logger  # type: ignore[import-not-found, unused-ignore]

    from auditkit.notes.context import find_phrase

    logger.remove()  # PyRuSH logs every sentence at debug level
    nlp = medspacy.load(enable=["medspacy_pyrush", "medspacy_context"])
    sentencizer = nlp.get_pipe("medspacy_pyrush")
    context = nlp.get_pipe("medspacy_context")

    def read(condition: str, sentence: str) -> Assessment | None:
        text = " ".join(sentence.split())
        spans = find_phrase(text, condition)
        if not spans:
            return None
        marked = [s for s in spans if text[s[0] : s[1]].isupper()]
        start, end = marked[0] if marked and len(marked) < len(spans) else spans[0]
        doc = sentencizer(nlp.make_doc(text))
        target = doc.char_span(start, end, label="CONDITION", alignment_mode="expand")
        if target is None:
            return None
        doc.ents = [target]
        ent = context(doc).ents[0]
        return Assessment(
            "negated" if ent._.is_negated else "possible" if ent._.is_uncertain else "affirmed",
            "historical"
            if ent._.is_historical
            else "hypothetical"
            if ent._.is_hypothetical
            else "recent",
            "other" if ent._.is_family else "patient",
        )

    return read


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=SHARED)
    parser.add_argument("--medspacy", action="store_true")
    parser.add_argument("--errors", choices=["negated", "historical"])
    parser.add_argument("--speed", action="store_true")
    args = parser.parse_args(argv)
    if not (args.shared / "real-data" / "negex").is_dir():
        print(f"{args.shared / 'real-data' / 'negex'}: not found", file=sys.stderr)
        return 2
    kit = load_kit(args.shared)
    random_items = load_random(args.shared, kit)
    results = report("rsAnnotations-1-120-random.txt (negation, temporality)", random_items, assess)
    report("negex.python/Annotations-1-120.txt (negation)", kit, assess)
    if args.medspacy:
        reader = medspacy_reader()
        report(
            "medspaCy ConText, default rules: rsAnnotations-1-120-random.txt", random_items, reader
        )
    if args.speed:
        speed(args.shared)
    if args.errors:
        for item, judgment in results:
            if item.report % 2 == 0:
                continue  # errors are shown for the development half only
            truth = item.negated if args.errors == "negated" else item.historical
            guess = judgment is not None and (
                judgment.negation == "negated"
                if args.errors == "negated"
                else judgment.temporality == "historical"
            )
            if truth != guess:
                kind = "FN" if truth else "FP"
                cues = ", ".join(judgment.cues) if judgment else "no mention"
                sentence = " ".join(item.sentence.split())[:300]
                print(f"{kind} [{item.report}] {item.condition!r} :: {sentence} :: {cues}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
