"""Post-mortem debt: the pure rules behind due dates, reminders, the weekly review and budgets.

No Django here (``mypy --strict`` clean): the models, worker, dashboard and deliveries wrap
these functions. Modules, each small enough to read in one sitting:

- ``clock``: injectable time (``SystemClock``, ``FixedClock``, ``ManualClock``);
- ``policy``: due windows per priority, organisation and team, exceptions with reasons;
- ``items``: ``ActionSnapshot``, the plain-data item every function reads;
- ``states``: on track, at risk, overdue, no date, done on time / late, won't do; SLA;
- ``weeks``: ISO weeks (``2026-W48``);
- ``weekly_review``, ``weekly_review_text``, ``slack``: the weekly review and its formats;
- ``schedule``: weekly review times across DST, reminder steps, retry backoff;
- ``sprints``: sprint cadence and the reserved budget for post-incident work;
- ``dashboard``: reference aggregations that the SQL is checked against.

See docs/debt.md for the definitions.
"""
