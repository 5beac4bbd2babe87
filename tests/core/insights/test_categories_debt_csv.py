import csv
import io
from datetime import UTC, datetime, timedelta

from kintsugi.core.insights.categories import OTHER, categorise, category_label
from kintsugi.core.insights.csv import to_csv
from kintsugi.core.insights.debt import EarlierItem, open_related_items


def test_it_sorts_factors_by_their_words():
    assert categorise("Connection pool exhausted under load") == "capacity"
    assert categorise("Bad deploy of the checkout service") == "change"
    assert categorise("Nothing matches", "Expired TLS certificate") == "configuration"
    assert categorise("Gremlins") == OTHER
    assert categorise("Deployment") == "change"
    assert categorise("redeployer") == OTHER  # whole words only
    assert category_label("capacity") == "Capacity or load"
    assert category_label("nonsense") == "Other"


T0 = datetime(2026, 1, 10, tzinfo=UTC)


def _item(**extra):
    values = dict(
        item_id=1,
        incident_id=1,
        incident_started_at=T0,
        services=frozenset({7}),
        created_at=T0 + timedelta(days=1),
        completed_at=None,
    )
    values.update(extra)
    return EarlierItem(**values)


def test_it_counts_earlier_items_still_open_on_a_shared_service():
    later = T0 + timedelta(days=30)
    args = dict(incident_id=2, started_at=later, services=frozenset({7, 8}))
    assert open_related_items(**args, items=[_item()]) == 1
    # Closed before the new incident began: paid off in time.
    assert open_related_items(**args, items=[_item(completed_at=later - timedelta(days=1))]) == 0
    # Closed after it began: still open at the time.
    assert open_related_items(**args, items=[_item(completed_at=later + timedelta(days=1))]) == 1
    # Another service, the incident itself, a later incident, an item created later.
    assert open_related_items(**args, items=[_item(services=frozenset({9}))]) == 0
    assert open_related_items(**args, items=[_item(incident_id=2)]) == 0
    assert open_related_items(**args, items=[_item(incident_started_at=later)]) == 0
    assert open_related_items(**args, items=[_item(created_at=later + timedelta(1))]) == 0
    assert (
        open_related_items(incident_id=2, started_at=later, services=frozenset(), items=[_item()])
        == 0
    )


def test_it_defuses_formulas_in_csv_cells():
    text = to_csv(
        ["Team", "n"],
        [['=HYPERLINK("http://x")', 3], ["@SUM(A1)", -2], ["Plain, with comma", None], ["+1", 1.5]],
    )
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["Team", "n"]
    assert rows[1] == ['\'=HYPERLINK("http://x")', "3"]
    assert rows[2] == ["'@SUM(A1)", "-2"]
    assert rows[3] == ["Plain, with comma", ""]
    assert rows[4] == ["'+1", "1.5"]
