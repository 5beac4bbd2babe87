"""The title search is indexed on PostgreSQL (pg_trgm), and the lists' query can use it."""

from __future__ import annotations

import pytest
from django.db import connection

from kintsugi.postmortems.models import Incident
from kintsugi.postmortems.selectors import IncidentFilters, incident_list

pytestmark = pytest.mark.django_db


def test_the_search_query_uses_the_trigram_index(owner, incident):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite cannot index a search for words inside titles")
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = 'incident_title_trgm'")
        assert cursor.fetchone() is not None
    found = incident_list(user=owner, filters=IncidentFilters(q="CHECKOUT out"))
    assert list(found) == [incident]  # "Checkout outage", any case
    unordered = Incident.objects.filter(title__icontains="checkout").order_by()
    sql, params = unordered.query.sql_with_params()
    with connection.cursor() as cursor:
        # A tiny table: leave the planner only the scans an index condition can drive.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "incident_title_trgm" in plan, plan
