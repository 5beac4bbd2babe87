"""The four editable lists of the post-mortem page, described once for their shared markup.

Timeline events, contributing factors, lessons and action items each show a row with Edit
and Delete buttons, swap in an edit form in place of the row, and re-render their section
after a save or a delete. What differs between them is data (names, URLs, a confirmation
question), so the buttons (``web/sections/_row_actions.html``), the edit form
(``web/includes/row_form.html``) and the views (``web/views/section_rows.py``) are written
once and read it from here.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django.utils.safestring import SafeString, mark_safe

from kintsugi.rendering.jinja import template
from kintsugi.web.remembered import CSRF_SLOT, ROW_CACHE_SIZE, with_csrf_token


@dataclass(frozen=True)
class RowSection:
    """One editable list. ``name`` prefixes a row's element id and test ids (``event`` makes
    ``id="event-7"``, ``data-testid="event-edit"``, ``event-form``, ``event-save``)."""

    name: str
    # The name of the row in the section's templates (``{% for event in events %}``).
    variable: str
    # The id of the section element a delete re-renders (and SECTION_TEMPLATES' key).
    section: str
    # The URL name of the section; a row's URLs are ``<pk>/``, ``<pk>/edit/`` and
    # ``<pk>/delete/`` below it, named ``row_url`` and ``edit_url``.
    list_url: str
    row_url: str
    edit_url: str
    # The id suffix of the element that names the row to screen readers (``event-7-time``).
    described_by: str
    confirm: str
    # The row's <li> class, which the editing form keeps (with ``editing``).
    row_class: str
    # The section's template: its partials ``row`` (one row) and ``row-fields`` (the
    # fields of the add and edit forms).
    template: str
    # Where "Cancel" leads without JavaScript: the row, or the section (lessons).
    cancel_to_section: bool = False
    small_buttons: bool = False

    @property
    def row_template(self) -> str:
        return f"{self.template}#row"

    @property
    def fields_template(self) -> str:
        return f"{self.template}#row-fields"


TIMELINE = RowSection(
    name="event",
    variable="event",
    section="timeline",
    list_url="timeline",
    row_url="event",
    edit_url="event-edit",
    described_by="time",
    confirm="Delete this timeline event?",
    row_class="event",
    template="web/postmortems/_timeline.html",
)
FACTORS = RowSection(
    name="factor",
    variable="factor",
    section="factors",
    list_url="factors",
    row_url="factor",
    edit_url="factor-edit",
    described_by="title",
    confirm=(
        "Delete this factor and its evidence links? Action items that address it will no "
        "longer point to a factor."
    ),
    row_class="factor",
    template="web/postmortems/_factors.html",
)
LESSONS = RowSection(
    name="lesson",
    variable="lesson",
    section="lessons",
    list_url="lessons",
    row_url="lesson",
    edit_url="lesson-edit",
    described_by="text",
    confirm="Delete this lesson?",
    row_class="lesson",
    template="web/postmortems/_lessons.html",
    cancel_to_section=True,
    small_buttons=True,
)
ACTION_ITEMS = RowSection(
    name="action",
    variable="item",
    section="action-items",
    list_url="action-items",
    row_url="action-item",
    edit_url="action-item-edit",
    described_by="title",
    confirm=(
        "Delete this action item? Consider “won't do” with a reason instead: it keeps the "
        "decision on record."
    ),
    row_class="action-item",
    template="web/postmortems/_action_items.html",
)
SECTIONS = {section.name: section for section in (TIMELINE, FACTORS, LESSONS, ACTION_ITEMS)}


@functools.lru_cache(maxsize=ROW_CACHE_SIZE)
def _row_actions(section: RowSection, pk: int, url_base: str) -> str:
    macro = template("web/sections/_row_actions.html").module.row_actions  # type: ignore[attr-defined]
    return str(macro(section, pk, url_base, CSRF_SLOT))


def row_actions(section: RowSection, pk: int, *, url_base: str, csrf_token: str) -> SafeString:
    """A row's Edit and Delete buttons, for rows rendered by Django templates (factors,
    lessons); ``url_base`` is the section's URL. Remembered like the rows themselves."""
    html = with_csrf_token(_row_actions(section, int(pk), url_base), csrf_token)
    return mark_safe(html)  # noqa: S308 - rendered with autoescape; the token escaped
