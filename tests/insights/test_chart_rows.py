"""The charts' rows rendered by Jinja2 write the bytes the Django template wrote."""

from __future__ import annotations

from datetime import date

from django.template import Context, Template

from kintsugi.core.insights import charts
from kintsugi.insights.views import chart_rows

# The rows as ``insights/_chart.html`` wrote them in Django's engine until December 2026.
DJANGO_ROWS = Template(
    '{% for row in chart.rows %}<tr><th scope="row">{{ row.label }}</th>{% for value in '
    'row.shown %}<td class="num">{{ value }}</td>{% endfor %}<td><svg class="bar" viewBox="0 '
    '0 100 8" width="120" height="10" aria-hidden="true"><rect class="track" x="0" y="0" '
    'width="100" height="8"/><rect x="0" y="0" width="{{ row.bar }}" height="8"/></svg></td>'
    "</tr>{% endfor %}"
)
M1, M2 = date(2026, 1, 1), date(2026, 2, 1)
HOSTILE = "<script>alert('x')</script> & \"quoted\""


def test_the_rows_are_the_django_templates_bytes_with_hostile_labels():
    made = [
        charts.incidents_by_group(
            "services", "Services", "service", [M1, M2], {(M1, HOSTILE): 3, (M2, "db"): 1}, limit=10
        ),
        charts.response_time("time_to_detect", [M1, M2], {M1: [600.0], M2: [1200.0]}),
        charts.factor_categories([M1], {}),
    ]
    rendered = chart_rows(made)
    assert [chart for chart, _html in rendered] == made
    for chart, html in rendered:
        assert html == DJANGO_ROWS.render(Context({"chart": chart}))
    first = rendered[0][1]
    assert "<script>" not in first and "&lt;script&gt;alert(&#x27;x&#x27;)" in first
    assert "&amp; &quot;quoted&quot;" in first
    assert rendered[2][1] == ""  # no rows: the page says "Nothing to show" instead


def test_the_page_and_the_digest_show_the_rendered_rows(login, admin_user, clock):
    client = login(admin_user)
    page = client.get("/insights/?start=2026-01&end=2026-06").content.decode()
    assert page.count('<svg class="bar"') >= 6 and '<tbody><tr><th scope="row">2026-01' in page
    digest = client.get("/insights/digest/2026-11/").content.decode()
    assert '<tbody><tr><th scope="row">2026-06</th>' in digest
