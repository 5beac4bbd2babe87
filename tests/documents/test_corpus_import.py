"""Every real post-mortem of the corpus imports into the database, and what the reader found
survives the database: the facts in the JSON export of the stored incident are at least those
of the parsed document (``make eval`` reports the parsed figure; this keeps it honest)."""

from __future__ import annotations

import pytest

from kintsugi.core.markdown.evaluate import (
    evaluate,
    load_corpus,
    score_facts,
    upstream_name,
)
from kintsugi.core.markdown.json_codec import document_to_dict
from kintsugi.core.markdown.sources import read_source
from kintsugi.documents.assembly import document_from_incident
from kintsugi.documents.imports import import_document

pytestmark = pytest.mark.django_db

CORPUS = load_corpus()


@pytest.mark.parametrize("expectation", CORPUS, ids=[e.slug for e in CORPUS])
def test_it_imports_into_the_database_and_loses_no_fact(expectation, admin_user):
    name = upstream_name(expectation.source, expectation.document.name)
    read = read_source(expectation.document.read_bytes(), name=name)
    outcome = import_document(user=None, document=read.document, report=read.report)
    assert outcome.action == "created"
    stored = document_to_dict(document_from_incident(user=admin_user, pk=outcome.incident.pk))
    found_stored = sum(fact.credit for fact in score_facts(expectation, stored))
    found_parsed = evaluate(expectation).found
    assert found_stored >= found_parsed, [
        fact.name for fact in score_facts(expectation, stored) if fact.credit < 1
    ]
