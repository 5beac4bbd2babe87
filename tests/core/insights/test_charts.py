from datetime import date

from kintsugi.core.insights import charts
from kintsugi.core.insights.figures import Trend

M1, M2, M3, M4 = date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1), date(2026, 4, 1)


def test_it_counts_incidents_per_month_and_severity():
    chart = charts.incidents_by_severity([M1, M2], {(M1, "SEV1"): 2, (M1, "SEV3"): 1})
    assert chart.rows[0].values == [2, 0, 1, 0, 3]
    assert chart.rows[1].values == [0, 0, 0, 0, 0]
    assert chart.rows[0].bar == 100 and chart.rows[1].bar == 0
    assert chart.csv().splitlines()[1] == "2026-01,2,0,1,0,3"


def test_it_ranks_groups_and_counts_recurring_months():
    counts = {(M1, "web"): 1, (M2, "web"): 1, (M1, "db"): 5}
    chart = charts.incidents_by_group("x", "X", "service", [M1, M2], counts, limit=1)
    assert [r.label for r in chart.rows] == ["db"]
    assert chart.rows[0].values == [5, 0, 5, 1]
    assert "1 more service" in chart.notes[0]


def test_it_summarises_response_times_with_a_trend():
    values = {M1: [600.0, 1200.0], M2: [600.0], M3: [60.0], M4: [60.0, 120.0]}
    chart = charts.response_time("time_to_detect", [M1, M2, M3, M4], values)
    assert chart.rows[0].values == [2, 600.0, 1200.0]
    assert chart.rows[0].shown == ["2", "10 min", "20 min"]
    assert chart.trend is Trend.SHORTER
    assert chart.key == "time-to-detect"


def test_it_orders_categories_by_recurrence():
    counts = {(M1, "capacity"): 1, (M2, "capacity"): 1, (M1, "change"): 4}
    chart = charts.factor_categories([M1, M2], counts)
    assert [r.label for r in chart.rows] == ["Capacity or load", "Change or deploy"]


def test_it_measures_completion_by_target():
    chart = charts.completion_by_priority({"P1": (4, 4, 3)})
    p1 = chart.rows[1]
    assert p1.values == [4, 4, 3, 75.0] and p1.shown[-1] == "75%"
    assert chart.rows[0].shown[-1] == "—"


def test_it_runs_open_debt_forward():
    chart = charts.open_debt([M1, M2], 10, {M1: 3, M2: 1}, {M1: 1, M2: 5})
    assert [r.values[-1] for r in chart.rows] == [12, 8]


def test_it_counts_the_cost_of_debt():
    chart = charts.cost_of_debt([M1, M2], {M1: (4, 1)})
    assert chart.rows[0].shown == ["4", "1 (25%)"]
    assert chart.rows[1].values == [0, 0]
