"""Blind overlap check for a new real-sentence set (issue 13).

A collector who must not read the other language sets still has to keep its new sentences out
of them, or the new set would measure text the rules were already tuned on. This script loads
every ``.tsv`` under ``tests/core/language/`` except the files named on the command line and
reports only *where in the named files* a sentence is a near-duplicate (word-set Jaccard >= 0.6)
of any sentence elsewhere: a count and line numbers, never the other sets' text.

It also checks the named files' format: every non-comment, non-blank line has exactly three
tab-separated fields and a label in {blame, ok}.

    python tests/core/language/real/check_overlap.py tests/core/language/real/real2-*.tsv
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

LANGUAGE_DIR = Path(__file__).resolve().parent.parent
THRESHOLD = 0.6
WORD = re.compile(r"[a-z0-9']+")


def words(sentence: str) -> frozenset[str]:
    """The lower-cased word set of a sentence: order and punctuation do not make it new."""
    return frozenset(WORD.findall(sentence.lower()))


def sentences(path: Path) -> list[tuple[int, str]]:
    """(line number, sentence) for each data line: the last tab-separated field."""
    found = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) >= 2:
            found.append((number, fields[-1]))
    return found


def format_errors(path: Path) -> list[str]:
    """Lines of a new file that are not exactly ``label<TAB>category<TAB>sentence``."""
    errors = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != 3 or fields[0] not in {"blame", "ok"} or not fields[2].strip():
            errors.append(f"{path.name}:{number}: malformed line")
        elif (fields[0] == "ok") != (fields[1] == "-"):
            errors.append(f"{path.name}:{number}: category does not fit the label")
    return errors


def main(argv: list[str]) -> int:
    """Print format errors, then the count and line numbers of overlapping sentences."""
    mine = [Path(arg).resolve() for arg in argv]
    others = sorted(p for p in LANGUAGE_DIR.rglob("*.tsv") if p.resolve() not in mine)
    known = [words(s) for path in others for _, s in sentences(path)]
    errors = [error for path in mine for error in format_errors(path)]
    for error in errors:
        print(error)
    print(f"compared with {len(known)} sentences in {len(others)} other files")
    total = 0
    for path in mine:
        hits = []
        for number, sentence in sentences(path):
            own = words(sentence)
            for other in known:
                union = own | other
                if union and len(own & other) / len(union) >= THRESHOLD:
                    hits.append(number)
                    break
        total += len(hits)
        print(f"{path.name}: {len(hits)} overlapping; lines {hits}")
    print(f"total overlapping: {total}")
    return 1 if errors or total else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
