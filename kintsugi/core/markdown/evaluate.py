"""How much of what a reader sees in real, published post-mortems survives our import.

    python -m kintsugi.core.markdown.evaluate [--held-out-only | --tuning-only]
        [--min-share 0.95] [--verbose] [DIRECTORY]

The corpus (tests/corpus/postmortems/, described in its README) holds real post-mortems
found in public repositories, each with a hand-written ``<slug>.expected.yaml``: the facts
a careful human reader sees in it. Each document goes through the best-effort reader and
the JSON export, the path a team's history takes into Kintsugi, and every expected fact is
looked for in the exported dict. The share of facts found is the measure the import issue
is judged by, so it is reported separately for the tuning set and for the held-out set
(a third of the corpus chosen before anyone looked at how the importer handles it).

Held-out documents are printed as figures only: a tuner who sees which held-out fact is
missed would tune to it. Their details are shown only when both ``--verbose`` and
``--held-out-only`` are given, a deliberate act.

Exit status: 0; 1 when a printed set's share of facts is below ``--min-share`` (default 0:
report only); 2 when a corpus file is malformed.
"""

from __future__ import annotations

import argparse
import importlib
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import yaml

from kintsugi.core.markdown.json_codec import document_to_dict
from kintsugi.core.markdown.parse import read_markdown
from kintsugi.core.markdown.report import NOTE_KINDS

CORPUS_DIR = Path(__file__).resolve().parents[3] / "tests" / "corpus" / "postmortems"
DOCUMENT_SUFFIXES = (".md", ".html")
EXPECTED_SUFFIX = ".expected.yaml"
LESSON_KINDS = ("went_well", "went_poorly", "got_lucky")
SEVERITIES = ("SEV1", "SEV2", "SEV3", "SEV4")
# A root cause that survived only as kept text was not recognised: it counts half.
APPENDIX_CREDIT = 0.5


class CorpusError(Exception):
    """A corpus file that is not what the README says: the evaluation cannot be trusted."""


@dataclass(frozen=True)
class ExpectedAction:
    title: str
    owner: str | None
    ticket: str | None
    due: date | None


@dataclass(frozen=True)
class Expectation:
    slug: str
    document: Path
    source: str
    licence: str
    held_out: bool
    title: str
    severity: str | None
    timeline_count: int
    first: datetime | None
    last: datetime | None
    actions: tuple[ExpectedAction, ...]
    lessons: dict[str, int]
    root_causes: tuple[str, ...]


@dataclass(frozen=True)
class Fact:
    name: str
    credit: float  # 1 found, 0.5 only in the appendix, 0 missing


@dataclass
class Score:
    expectation: Expectation
    refusal: str | None = None  # why the document could not be imported at all
    facts: list[Fact] = field(default_factory=list)
    note_kinds: frozenset[str] = frozenset()

    @property
    def found(self) -> float:
        return sum(fact.credit for fact in self.facts)

    @property
    def total(self) -> int:
        return len(self.facts)

    @property
    def missing(self) -> list[Fact]:
        return [fact for fact in self.facts if fact.credit < 1]


# ---------------------------------------------------------------- reading the corpus


def _need(data: dict[str, Any], key: str, kind: type | tuple[type, ...], where: str) -> Any:
    if key not in data:
        raise CorpusError(f"{where}: missing key {key!r}")
    value = data[key]
    if not isinstance(value, kind):
        raise CorpusError(f"{where}: {key!r} has the wrong type ({type(value).__name__})")
    return value


def _instant(value: object, where: str) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.endswith("Z"):
        raise CorpusError(f"{where}: expected an ISO 8601 UTC time ending in Z, got {value!r}")
    try:
        return datetime.fromisoformat(value)
    except ValueError as error:
        raise CorpusError(f"{where}: {error}") from None


def _day(value: object, where: str) -> date | None:
    if value is None or (isinstance(value, date) and not isinstance(value, datetime)):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise CorpusError(f"{where}: expected a date YYYY-MM-DD, got {value!r}")


def _optional_text(value: object, where: str) -> str | None:
    if value is None or (isinstance(value, str) and value.strip()):
        return value
    raise CorpusError(f"{where}: expected a non-empty string or null, got {value!r}")


def load_expectation(path: Path) -> Expectation:
    """The expectation in ``path``; raise CorpusError for anything the README does not allow.

    Checked in the order a reader fixes a file: its document, the YAML, the keys, then each
    expected part (timeline, action items, lessons, root causes).
    """
    slug = path.name[: -len(EXPECTED_SUFFIX)]
    document = _the_document(path, slug)
    data = _read_mapping(path)
    source = _need(data, "source", str, path.name)
    if not source.startswith("https://"):
        raise CorpusError(f"{path.name}: source must be an https URL")
    expect = _need(data, "expect", dict, path.name)
    where = f"{path.name} expect"
    severity = expect.get("severity")
    if severity is not None and severity not in SEVERITIES:
        raise CorpusError(f"{where}: severity must be one of {SEVERITIES} or null")
    count, first, last = _expected_timeline(expect, where)
    actions = _expected_actions(expect, where)
    lessons = _expected_lessons(expect, where)
    causes = _expected_causes(expect, where)
    return Expectation(
        slug=slug,
        document=document,
        source=source,
        licence=_need(data, "licence", str, path.name),
        held_out=_need(data, "held_out", bool, path.name),
        title=_need(expect, "title", str, where),
        severity=severity,
        timeline_count=count,
        first=first,
        last=last,
        actions=actions,
        lessons=lessons,
        root_causes=causes,
    )


def _the_document(path: Path, slug: str) -> Path:
    """The one document (``slug.md`` or ``slug.html``) beside the expectation."""
    documents = [path.with_name(slug + suffix) for suffix in DOCUMENT_SUFFIXES]
    present = [doc for doc in documents if doc.exists()]
    if len(present) != 1:
        raise CorpusError(f"{path.name}: expected exactly one document {slug}.md or {slug}.html")
    return present[0]


def _read_mapping(path: Path) -> dict[str, Any]:
    """The YAML mapping, with only the keys the README names."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise CorpusError(f"{path.name}: not YAML: {error}") from None
    if not isinstance(data, dict):
        raise CorpusError(f"{path.name}: expected a mapping")
    unknown = set(data) - {"source", "licence", "held_out", "expect", "notes"}
    if unknown:
        raise CorpusError(f"{path.name}: unknown keys {sorted(unknown)}")
    return data


def _expected_timeline(
    expect: dict[str, Any], where: str
) -> tuple[int, datetime | None, datetime | None]:
    """The number of events and the first and last event's times (both or neither)."""
    timeline = _need(expect, "timeline", dict, where)
    count = _need(timeline, "count", int, f"{where}.timeline")
    if isinstance(count, bool) or count < 0:
        raise CorpusError(f"{where}.timeline: count must be a whole number >= 0")
    first = _instant(timeline.get("first"), f"{where}.timeline.first")
    last = _instant(timeline.get("last"), f"{where}.timeline.last")
    if (first is None) != (last is None) or (first and last and first > last):
        raise CorpusError(f"{where}.timeline: first and last must both be set, first <= last")
    if count == 0 and first is not None:
        raise CorpusError(f"{where}.timeline: no events but a first time")
    return count, first, last


def _expected_actions(expect: dict[str, Any], where: str) -> tuple[ExpectedAction, ...]:
    """Each action item: a title, and the owner, ticket and date when the document gives them."""
    actions = []
    for index, item in enumerate(_need(expect, "action_items", list, where)):
        at = f"{where}.action_items[{index}]"
        if not isinstance(item, dict) or set(item) - {"title", "owner", "ticket", "due"}:
            raise CorpusError(f"{at}: expected title, owner, ticket, due")
        title = _optional_text(item.get("title"), at)
        if title is None:
            raise CorpusError(f"{at}: title is required")
        actions.append(
            ExpectedAction(
                title=title,
                owner=_optional_text(item.get("owner"), f"{at}.owner"),
                ticket=_optional_text(item.get("ticket"), f"{at}.ticket"),
                due=_day(item.get("due"), f"{at}.due"),
            )
        )
    return tuple(actions)


def _expected_lessons(expect: dict[str, Any], where: str) -> dict[str, int]:
    """How many lessons of each kind (every kind named, none negative)."""
    lessons = _need(expect, "lessons", dict, where)
    if set(lessons) != set(LESSON_KINDS) or not all(
        isinstance(lessons[kind], int) and lessons[kind] >= 0 for kind in LESSON_KINDS
    ):
        raise CorpusError(f"{where}.lessons: expected counts for {', '.join(LESSON_KINDS)}")
    return {kind: lessons[kind] for kind in LESSON_KINDS}


def _expected_causes(expect: dict[str, Any], where: str) -> tuple[str, ...]:
    causes = _need(expect, "root_causes", list, where)
    if not all(isinstance(cause, str) and cause.strip() for cause in causes):
        raise CorpusError(f"{where}.root_causes: expected non-empty strings")
    return tuple(causes)


def load_corpus(directory: Path = CORPUS_DIR) -> list[Expectation]:
    """Every expectation, by slug; a document without an expectation is a corpus error."""
    expectations = [
        load_expectation(path) for path in sorted(directory.glob("*" + EXPECTED_SUFFIX))
    ]
    covered = {expectation.document.name for expectation in expectations}
    for path in sorted(directory.iterdir()):
        if (
            path.suffix in DOCUMENT_SUFFIXES
            and path.name != "README.md"
            and path.name not in covered
        ):
            raise CorpusError(f"{path.name}: no {path.stem}{EXPECTED_SUFFIX}")
    if not expectations:
        raise CorpusError(f"{directory}: no documents")
    return expectations


# ---------------------------------------------------------------- importing


def html_converter() -> Callable[[str], str] | None:
    """The wiki HTML converter when it exists (it is built separately; absent, HTML fails)."""
    try:
        module = importlib.import_module("kintsugi.core.markdown.wiki_html")
    except ImportError:
        return None
    convert = getattr(module, "html_to_markdown", None)
    return convert if callable(convert) else None


def upstream_name(source: str, fallback: str) -> str:
    """The document's file name where it was published: a title may live only there."""
    name = unquote(urlsplit(source).path.rsplit("/", 1)[-1])
    return name or fallback


def import_document(
    path: Path, *, filename: str | None = None
) -> tuple[dict[str, Any] | None, frozenset[str], str | None]:
    """(exported dict, kinds of notes produced, refusal reason) for one corpus document."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".html":
        convert = html_converter()
        if convert is None:
            return None, frozenset(), "HTML converter kintsugi.core.markdown.wiki_html is absent"
        try:
            text = convert(text)
        except Exception as error:  # best effort must not raise: a raise is a refusal
            return None, frozenset(), f"html_to_markdown raised {type(error).__name__}: {error}"
    try:
        result = read_markdown(text, source=str(path), filename=filename or path.name)
        exported = document_to_dict(result.document)
    except Exception as error:  # noqa: BLE001 - any exception is the finding here
        return None, frozenset(), f"{type(error).__name__}: {error}"
    kinds = frozenset(note.kind for note in result.report.notes)
    return exported, kinds, None


# ---------------------------------------------------------------- comparing

_EMPHASIS = re.compile(r"[*_`]+")
_DASHES = re.compile(r"[-_\u2010-\u2015]+")


def normalise(text: str) -> str:
    """Case, whitespace and Markdown emphasis do not change what a reader sees."""
    return " ".join(_EMPHASIS.sub("", text).split()).casefold()


def same_title(have: str, want: str) -> bool:
    """Titles compare as a reader sees them: case, emphasis and dash styles aside."""
    return normalise(_DASHES.sub(" ", have)) == normalise(_DASHES.sub(" ", want))


def _owner(value: str | None) -> str:
    return (value or "").strip().lstrip("@").casefold()


def _ticket_matches(expected: str, item: dict[str, Any]) -> bool:
    want = expected.strip().lstrip("#").casefold()
    for raw in (item.get("ticket_id"), item.get("ticket_url")):
        have = (raw or "").strip().lstrip("#").casefold()
        if not have:
            continue
        if have == want or want.endswith(("/" + have, "#" + have)) or have.endswith("/" + want):
            return True
        if len(want) >= 4 and want in have:
            return True
    return False


def _instant_of(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def _analysis_texts(node: object) -> Iterator[str]:
    """Every answer, title and trigger in the 5 Whys tree, however deep."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("answer", "title", "trigger", "question") and isinstance(value, str):
                yield value
            else:
                yield from _analysis_texts(value)
    elif isinstance(node, list):
        for item in node:
            yield from _analysis_texts(item)


def score_facts(expectation: Expectation, exported: dict[str, Any]) -> list[Fact]:
    """Each expected fact, found (1), found only in the appendix (0.5) or missing (0)."""
    facts = [Fact("title", float(same_title(exported.get("title") or "", expectation.title)))]
    if expectation.severity is not None:
        facts.append(Fact("severity", float(exported.get("severity") == expectation.severity)))
    timeline = exported.get("timeline") or []
    facts.append(
        Fact(
            f"timeline count {expectation.timeline_count}",
            float(len(timeline) == expectation.timeline_count),
        )
    )
    instants = [at for at in (_instant_of(entry.get("at")) for entry in timeline) if at]
    if expectation.first is not None and expectation.last is not None:
        facts.append(
            Fact("timeline first", float(bool(instants) and min(instants) == expectation.first))
        )
        facts.append(
            Fact("timeline last", float(bool(instants) and max(instants) == expectation.last))
        )
    facts.extend(_action_facts(expectation.actions, exported.get("action_items") or []))
    lessons = exported.get("lessons") or {}
    for kind in LESSON_KINDS:
        if expectation.lessons[kind]:
            have = len(lessons.get(kind) or [])
            facts.append(
                Fact(
                    f"lessons {kind} {expectation.lessons[kind]}",
                    float(have == expectation.lessons[kind]),
                )
            )
    recognised = normalise(
        "\n".join(
            [exported.get("summary") or "", exported.get("trigger") or ""]
            + [
                f"{f.get('title', '')}\n{f.get('description', '')}"
                for f in exported.get("factors") or []
            ]
            + list(_analysis_texts(exported.get("analysis")))
        )
    )
    appendix = normalise(exported.get("appendix") or "")
    for cause in expectation.root_causes:
        want = normalise(cause)
        credit = 1.0 if want in recognised else APPENDIX_CREDIT if want in appendix else 0.0
        facts.append(Fact(f"root cause {cause!r}", credit))
    return facts


def _action_facts(expected: Sequence[ExpectedAction], items: list[dict[str, Any]]) -> list[Fact]:
    """Match expected items in order by title substring; each set field is one more fact."""
    facts: list[Fact] = []
    start = 0
    for want in expected:
        needle = normalise(want.title)
        match = None
        for index in range(start, len(items)):
            item = items[index]
            if needle in normalise(f"{item.get('title') or ''} {item.get('description') or ''}"):
                match, start = item, index + 1
                break
        label = f"action {want.title!r}"
        facts.append(Fact(label, float(match is not None)))
        if want.owner is not None:
            ok = match is not None and _owner(match.get("owner")) == _owner(want.owner)
            facts.append(Fact(f"{label} owner {want.owner}", float(ok)))
        if want.ticket is not None:
            ok = match is not None and _ticket_matches(want.ticket, match)
            facts.append(Fact(f"{label} ticket {want.ticket}", float(ok)))
        if want.due is not None:
            ok = match is not None and match.get("due_on") == want.due.isoformat()
            facts.append(Fact(f"{label} due {want.due}", float(ok)))
    return facts


def evaluate(expectation: Expectation) -> Score:
    exported, kinds, refusal = import_document(
        expectation.document,
        filename=upstream_name(expectation.source, expectation.document.name),
    )
    score = Score(expectation, refusal=refusal, note_kinds=kinds)
    if exported is None:
        # Nothing reached the database: every fact is missing (the total stays comparable).
        score.facts = [Fact(fact.name, 0.0) for fact in score_facts(expectation, {})]
    else:
        score.facts = score_facts(expectation, exported)
    return score


# ---------------------------------------------------------------- reporting


def share(scores: Sequence[Score]) -> float:
    total = sum(score.total for score in scores)
    return sum(score.found for score in scores) / total if total else 1.0


def summary_line(name: str, scores: Sequence[Score]) -> str:
    found = sum(score.found for score in scores)
    total = sum(score.total for score in scores)
    imported = sum(score.refusal is None for score in scores)
    return (
        f"{name}: {found:g}/{total} facts ({share(scores):.0%}), {imported}/{len(scores)} imported"
    )


def _document_line(score: Score, *, details: bool) -> str:
    state = "yes" if score.refusal is None else "refused"
    if score.refusal is not None and details:
        state += f" ({score.refusal})"
    return f"  {score.expectation.slug}: imported {state}, facts {score.found:g}/{score.total}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kintsugi.core.markdown.evaluate")
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--held-out-only", action="store_true")
    which.add_argument("--tuning-only", action="store_true")
    parser.add_argument("--min-share", type=float, default=0.0)
    parser.add_argument("--verbose", action="store_true", help="list the missing facts")
    parser.add_argument("directory", nargs="?", type=Path, default=CORPUS_DIR)
    args = parser.parse_args(argv)
    try:
        expectations = load_corpus(args.directory)
    except CorpusError as error:
        print(f"corpus error: {error}", file=sys.stderr)
        return 2
    sets = []
    if not args.held_out_only:
        sets.append(("tuning", False))
    if not args.tuning_only:
        sets.append(("held-out", True))
    status = 0
    all_scores: list[Score] = []
    for name, held_out in sets:
        scores = [evaluate(e) for e in expectations if e.held_out == held_out]
        all_scores.extend(scores)
        # Held-out details only on explicit request, so that nobody tunes to them.
        details = not held_out or (args.verbose and args.held_out_only)
        print(f"{name} set ({len(scores)} documents)")
        for score in scores:
            print(_document_line(score, details=details))
            if args.verbose and details:
                for fact in score.missing:
                    half = " (only in the appendix)" if fact.credit else ""
                    print(f"      missing: {fact.name}{half}")
        print(summary_line(name, scores))
        if scores and share(scores) < args.min_share:
            status = 1
    counts = {kind: sum(kind in s.note_kinds for s in all_scores) for kind in NOTE_KINDS}
    print("documents with notes: " + ", ".join(f"{kind} {n}" for kind, n in counts.items()))
    return status


if __name__ == "__main__":
    sys.exit(main())
