"""Markdown tables (GitHub Flavored): reading rows with their line numbers, writing them.

Columns are found by their header, not their position, so that hand-written tables with
other column orders or names (``Bug`` for ``Ticket``) import; see ``map_columns``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from kintsugi.core.errors import ValidationProblem
from kintsugi.core.markdown.blocks import Block
from kintsugi.core.markdown.escaping import split_row, unescape_cell
from kintsugi.core.markdown.headings import normalise_name


@dataclass
class Row:
    line: int
    cells: dict[str, str]  # column key -> unescaped cell text
    extra: list[tuple[str, str]]  # (header, text) of columns we do not model


@dataclass
class Table:
    line: int
    headers: list[str]
    keys: list[str]  # per column: the key it maps to, "" when unknown
    rows: list[Row]


def map_columns(
    headers: Sequence[str],
    synonyms: Mapping[str, Sequence[str]],
    keywords: Mapping[str, str] | None = None,
) -> list[str]:
    """The key of each column: by its exact name first, then, for headers no name
    matches, by a keyword pattern ("Tracking bug" is a ticket column). A key is given to
    one column only: a second "Owner" column is kept as extra text, not merged silently."""
    plains = [normalise_name(header)[0] for header in headers]
    keys = [
        next((key for key, names in synonyms.items() if plain in names), "") for plain in plains
    ]
    taken: set[str] = set()
    for index, key in enumerate(keys):
        if key in taken:
            keys[index] = ""
        taken.add(key)
    for index, plain in enumerate(plains):
        if keys[index] or not plain:
            continue
        found = [
            key
            for key, pattern in (keywords or {}).items()
            if key not in taken and re.search(pattern, plain)
        ]
        if len(found) == 1:
            keys[index] = found[0]
            taken.add(found[0])
    return keys


def read_table(
    block: Block,
    synonyms: Mapping[str, Sequence[str]],
    keywords: Mapping[str, str] | None = None,
) -> Table:
    """Rows of a table block; a row with more cells than the header is refused, because
    the usual cause is an unescaped ``|`` in the text, which would shift every column."""
    header_line = block.lines[0]
    headers = [unescape_cell(cell) for cell in split_row(header_line.text)]
    keys = map_columns(headers, synonyms, keywords)
    rows = []
    for line in block.lines[2:]:
        cells = [unescape_cell(cell) for cell in split_row(line.text)]
        if len(cells) > len(headers):
            raise ValidationProblem(
                f"This table row has {len(cells)} cells but the header has {len(headers)}; "
                "write a | inside a cell as \\|.",
                line=line.number,
            )
        cells += [""] * (len(headers) - len(cells))
        values = {key: cell for key, cell in zip(keys, cells, strict=True) if key}
        extra = [
            (header, cell)
            for header, key, cell in zip(headers, keys, cells, strict=True)
            if not key and cell
        ]
        rows.append(Row(line=line.number, cells=values, extra=extra))
    return Table(line=header_line.number, headers=headers, keys=keys, rows=rows)


def render_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A table from cells that are already escaped with ``escape_cell``."""
    lines = [
        "| " + " | ".join(headers) + " |",
        "|" + "|".join("-" * (len(header) + 2) for header in headers) + "|",
    ]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)
