"""The demo's 5 Whys: the main incident's chain and the checkout incident's two branches.

The main chain stops at the runner credentials and the missing monitoring (a systemic
cause) and passes the checks without an error; the manual migration is a step on the way,
not where the analysis stops. The checkout analysis branches: one cause of the failure and
one of the slow detection, the second without an action item yet, so the check for an
unaddressed root cause has something to show.
"""

from __future__ import annotations

from collections.abc import Sequence

from kintsugi.core.five_whys import Branch, Evidence, WhyStep, WhyTree, tree_to_records
from kintsugi.core.vocabulary import EvidenceKind
from kintsugi.five_whys.records import Numbering
from kintsugi.five_whys.services import tree_replace
from kintsugi.postmortems.models import ActionItem, Factor, Incident

MAIN_CHAIN = [
    ("Why was the site down?",
     "The web servers could not get database connections: the connection pool was exhausted."),
    ("Why was the connection pool exhausted?",
     "Requests held pooled connections while they waited on a lock on the users table."),
    ("Why was the users table locked?",
     "A slow migration held an exclusive lock on the users table for 40 minutes."),
    ("Why did a slow migration lock the table at peak hours?",
     "The migration was run by hand at peak hours, outside the pipeline and its lock-timeout "
     "guard."),
    ("Why was the migration run by hand?",
     "The CI/CD pipeline failed to run migrations: its migration step had been failing since "
     "12 Oct."),
    ("Why did the CI/CD pipeline fail to run migrations?",
     "The runner credentials expired, and no monitoring alert watches credential expiry or "
     "failed migration steps."),
]  # fmt: skip

CHECKOUT_CERTIFICATE = [
    ("Why were card payments declined?",
     "The payment client rejected the processor's new TLS certificate."),
    ("Why did the payment client reject the certificate?",
     "The certificate chains to an intermediate CA that is missing from the client's pinned "
     "trust bundle."),
    ("Why was the intermediate CA missing from the trust bundle?",
     "The trust bundle is built once at deploy time, and nothing refreshes it when a processor "
     "rotates its certificates."),
]  # fmt: skip

CHECKOUT_DETECTION = [
    ("Why did the alert fire only eight minutes after impact began?",
     "The payment success alert waits for a five-minute window below 90% before it fires."),
    ("Why does the alert wait for a five-minute window?",
     "Its threshold and window were copied from the checkout latency alert, which tolerates "
     "short spikes."),
    ("Why were they copied rather than set for payment failures?",
     "The alert template has no default for error-rate alerts, so every new alert starts from "
     "the latency settings."),
]  # fmt: skip


# What supports some of the main chain's answers (by step number), as the editor shows it.
MAIN_EVIDENCE = {
    2: [Evidence(EvidenceKind.GRAPH, "https://grafana.example.com/d/pg-pool?from=1762178400000")],
    3: [Evidence(EvidenceKind.QUERY, "https://pgwatch.example.com/locks?ts=1762178640")],
    6: [
        Evidence(EvidenceKind.LOG, "runner deploy-db: FATAL: password authentication failed"),
        Evidence(EvidenceKind.DASHBOARD, "https://ci.example.com/pipelines/deploy?status=failed"),
    ],
}


def _steps(
    pairs: Sequence[tuple[str, str]], evidence: dict[int, list[Evidence]] | None = None
) -> list[WhyStep]:
    return [
        WhyStep(question, answer, list((evidence or {}).get(number, [])))
        for number, (question, answer) in enumerate(pairs, start=1)
    ]


def _store(
    incident: Incident, tree: WhyTree, factors: Sequence[Factor], items: Sequence[ActionItem]
) -> None:
    tree_replace(
        user=None,
        incident=incident,
        version=0,
        records=tree_to_records(tree),
        numbering=Numbering.of([f.pk for f in factors], [a.pk for a in items]),
    )


def main_analysis(incident: Incident, *, cause: Factor, actions: Sequence[ActionItem]) -> None:
    """The chain from "site down" to the expired runner credentials, linked to ``cause``
    (the pipeline factor) and ``actions`` (the P0 items)."""
    branch = Branch(
        _steps(MAIN_CHAIN, MAIN_EVIDENCE),
        title="Site down",
        trigger="Migration 0142 run by hand at 14:00 UTC",
        factors=[1],
        actions=list(range(1, len(actions) + 1)),
    )
    _store(incident, WhyTree([branch]), [cause], actions)


def checkout_analysis(incident: Incident, *, cause: Factor, action: ActionItem) -> None:
    certificate = Branch(
        _steps(CHECKOUT_CERTIFICATE),
        title="Certificate rotation",
        trigger="The card processor rotated its TLS certificate",
        factors=[1],
        actions=[1],
    )
    detection = Branch(_steps(CHECKOUT_DETECTION), title="Slow detection")
    _store(incident, WhyTree([certificate, detection]), [cause], [action])
