"""Pure parsing of what monitoring tools send: Alertmanager, PagerDuty v3, generic JSON, CSV.

Each parser turns one raw payload into :class:`~kintsugi.core.capture.model.CapturedBatch`
values (which incident, which timeline events), or raises ``ValidationProblem`` with a reason
the sender's operator can act on. No Django here: the receivers and the benchmark call the
same functions, and the tests run without a database.
"""
