"""Similar incidents: the earlier (or later) post-mortems that look like this one, by the
services they share and the words their titles and contributing factors share.

Shown on each post-mortem, with a warning on a draft that looks like an incident whose
action items are still open: the fix for this one may already be planned (or overdue).
A constant number of queries: the incident's services and factor titles, the incidents
sharing a service, one full-text search, and the candidates with their open items.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connections, router
from django.db.models import Count, Q

from kintsugi.accounts.models import User
from kintsugi.core.search_query import SearchQuery, Term
from kintsugi.core.similar_words import telling_words
from kintsugi.core.vocabulary import PostmortemStatus
from kintsugi.postmortems import access
from kintsugi.postmortems.models import Factor, Incident
from kintsugi.search import engines
from kintsugi.search.filters import CLOSED, SearchFilters
from kintsugi.search.models import SearchEntry
from kintsugi.search.selectors import search_scope
from kintsugi.search.sources import BY_KIND

SHOWN = 5
SERVICE_WEIGHT = 3.0
WORD_HITS = 60  # the full-text matches read to score the candidates


@dataclass
class SimilarIncident:
    incident: Incident
    score: float = 0.0
    services: list[str] = field(default_factory=list)
    matched_in: set[str] = field(default_factory=set)  # source labels
    open_actions: int = 0


@dataclass
class Similarity:
    similar: list[SimilarIncident]
    words: list[str]
    # A draft that looks like incidents with open action items: those incidents.
    warn_about: list[SimilarIncident]


def _shared_services(user: User, incident: Incident) -> dict[int, list[str]]:
    through = Incident.services.through
    mine = through.objects.filter(incident_id=incident.pk).values("service_id")
    rows = (
        through.objects.filter(service_id__in=mine)
        .exclude(incident_id=incident.pk)
        .filter(access.visible_through(user, "incident"))
        .order_by("-incident__started_at")
        .values_list("incident_id", "service__name")[:500]
    )
    shared: dict[int, list[str]] = defaultdict(list)
    for incident_id, name in rows:
        shared[incident_id].append(name)
    return shared


def _word_matches(user: User, incident: Incident, words: list[str]) -> dict[int, set[str]]:
    if not words:
        return {}
    query = SearchQuery(
        tuple(Term((word,), or_previous=index > 0, text=word) for index, word in enumerate(words))
    )
    scope_sql, params = search_scope(user=user, filters=SearchFilters())
    scope = (f"{scope_sql} AND e.incident_id <> %s", [*params, incident.pk])
    connection = connections[router.db_for_read(SearchEntry)]
    found: dict[int, set[str]] = defaultdict(set)
    for match in engines.matches(connection, query, scope, limit=WORD_HITS, snippets=False):
        source = BY_KIND.get(match.kind)
        found[match.incident_id].add(source.label if source else match.kind)
    return found


def similar_incidents(*, user: User, incident: Incident) -> Similarity:
    """Up to ``SHOWN`` visible incidents like ``incident``, most alike first."""
    factor_titles = list(Factor.objects.filter(incident=incident).values_list("title", flat=True))
    words = telling_words([incident.title, incident.title, *factor_titles])
    shared = _shared_services(user, incident)
    matched = _word_matches(user, incident, words)
    scores: dict[int, float] = defaultdict(float)
    for pk, names in shared.items():
        scores[pk] += SERVICE_WEIGHT * len(names)
    for pk, labels in matched.items():
        scores[pk] += 2.0 * len(labels)
    best = sorted(scores, key=lambda pk: (-scores[pk], -pk))[:SHOWN]
    rows = (
        Incident.objects.filter(pk__in=best)
        .select_related("team")
        .annotate(open_actions=Count("action_items", filter=~Q(action_items__status__in=CLOSED)))
    )
    similar = [
        SimilarIncident(
            incident=row,
            score=scores[row.pk],
            services=sorted(set(shared.get(row.pk, []))),
            matched_in=matched.get(row.pk, set()),
            open_actions=row.open_actions,  # type: ignore[attr-defined]
        )
        for row in rows
    ]
    similar.sort(key=lambda s: (-s.score, -s.incident.pk))
    draft = incident.status == PostmortemStatus.DRAFT
    warn = [s for s in similar if draft and s.open_actions and s.matched_in]
    return Similarity(similar=similar, words=words, warn_about=warn)
