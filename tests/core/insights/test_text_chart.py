from datetime import date

from kintsugi.core.insights import charts
from kintsugi.core.insights.text_chart import FULL, text_bar, text_chart

M1, M2, M3 = date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)


def test_a_bar_is_drawn_in_eighths_of_a_character():
    assert text_bar(100, width=4) == FULL * 4
    assert text_bar(50, width=4) == FULL * 2
    assert text_bar(0, width=4) == ""
    assert text_bar(1, width=4) == "▏"  # any non-zero value shows
    assert text_bar(56, width=4) == FULL * 2 + "▎"  # 17.92 eighths rounds to 18
    assert text_bar(250, width=4) == FULL * 4 and text_bar(-5, width=4) == ""


def test_a_chart_prints_each_value_beside_its_bar_so_it_reads_without_colour():
    chart = charts.incidents_by_severity(
        [M1, M2, M3], {(M1, "SEV1"): 4, (M2, "SEV2"): 2, (M3, "SEV4"): 1}
    )
    lines = text_chart(chart, width=8)
    assert lines[0].strip() == "Total"
    assert lines[1] == "2026-01  " + FULL * 8 + "  4"
    assert lines[2] == "2026-02  " + FULL * 4 + " " * 4 + "  2"
    assert lines[3] == "2026-03  " + FULL * 2 + " " * 6 + "  1"
    # The values line up in one column, whatever the bar's length.
    assert len({line.rindex(" ") for line in lines[1:]}) == 1


def test_a_response_time_chart_prints_the_median_as_shown_on_the_page():
    chart = charts.response_time("time_to_detect", [M1, M2], {M1: [600.0], M2: [1200.0]})
    lines = text_chart(chart, width=4)
    assert lines[0].strip() == "Median"
    assert lines[1].endswith("10 min") and lines[2].endswith("20 min")
    assert lines[2].startswith("2026-02  " + FULL * 4)


def test_an_empty_chart_says_so():
    chart = charts.factor_categories([M1], {})
    assert text_chart(chart) == ["Nothing to show."]
