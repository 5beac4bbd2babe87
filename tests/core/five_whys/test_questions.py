from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kintsugi.core.five_whys import MAX_QUESTION, suggest_next_question
from kintsugi.core.five_whys.questions import FALLBACK


@pytest.mark.parametrize(
    ("answer", "question"),
    [
        (
            "The database connection pool was exhausted",
            "Why was the database connection pool exhausted?",
        ),
        (
            "The application could not get connections because the connection pool was exhausted.",
            "Why was the connection pool exhausted?",
        ),
        ("Two auth hosts were 90 seconds ahead.", "Why were two auth hosts 90 seconds ahead?"),
        ("Rate limits are global per endpoint.", "Why are rate limits global per endpoint?"),
        ("The log volume is full.", "Why is the log volume full?"),
        ("The runner credentials had expired.", "Why had the runner credentials expired?"),
        (
            "The script has no environment check.",
            "Why does the script have no environment check?",
        ),
        ("Payment pods have no CPU requests.", "Why do payment pods have no CPU requests?"),
        ("The job had no run lock.", "Why did the job have no run lock?"),
        (
            "The runbook did not say which dashboard to check.",
            "Why did the runbook not say which dashboard to check?",
        ),
        ("The alert didn't fire.", "Why didn't the alert fire?"),
        (
            "The runner credentials expired, and no alert watches credential expiry.",
            "Why did the runner credentials expire?",
        ),
        (
            "The bundle is built once at deploy time, but nothing refreshes it.",
            "Why is the bundle built once at deploy time?",
        ),
        (
            "The pool ran out of connections, threads, and memory.",
            "Why did the pool run out of connections, threads, and memory?",
        ),
        (
            "The certificate on the auth load balancer expired at 00:00 UTC.",
            "Why did the certificate on the auth load balancer expire at 00:00 UTC?",
        ),
        (
            "Migration 0042 locked the users table for 11 minutes.",
            "Why did migration 0042 lock the users table for 11 minutes?",
        ),
        (
            "The deploy script ran the migration twice.",
            "Why did the deploy script run the migration twice?",
        ),
        ("The scheduler dropped the retry jobs.", "Why did the scheduler drop the retry jobs?"),
        ("The new config disabled the cache.", "Why did the new config disable the cache?"),
        (
            "Nothing paged during the first 100 minutes.",
            "Why did nothing page during the first 100 minutes?",
        ),
        (
            "The retry wrapper holds every response.",
            "Why does the retry wrapper hold every response?",
        ),
        (
            "Two data nodes hit the disk watermark and went read-only.",
            "Why did two data nodes hit the disk watermark and go read-only?",
        ),
        (
            "There was no alert on credential expiry.",
            "Why was there no alert on credential expiry?",
        ),
        ("We run in a single region.", "Why do we run in a single region?"),
        ("Redis evicted the session keys.", "Why did Redis evict the session keys?"),
        (
            "The form has no confirmation, so one click deletes a cluster.",
            "Why does the form have no confirmation?",
        ),
        (
            "A newly deployed config disabled the cache.",
            "Why did a newly deployed config disable the cache?",
        ),
    ],
)
def test_it_turns_an_answer_into_the_next_why(answer: str, question: str) -> None:
    assert suggest_next_question(answer) == question


@pytest.mark.parametrize(
    "answer",
    [
        "",
        "   ",
        "Human error.",
        "Because of a bad config.",
        "Debug logging, turned on last week, wrote 300 GB of logs.",
        "Complexity",
    ],
)
def test_it_falls_back_when_no_verb_can_be_moved(answer: str) -> None:
    assert suggest_next_question(answer) == FALLBACK == "Why did that happen?"


def test_it_falls_back_rather_than_exceed_the_question_limit() -> None:
    assert suggest_next_question("The pool was " + "very " * 200 + "small.") == FALLBACK


@given(st.text(max_size=300))
def test_it_always_returns_a_short_question(answer: str) -> None:
    question = suggest_next_question(answer)
    assert question.startswith("Why ")
    assert question.endswith("?")
    assert len(question) <= MAX_QUESTION
