"""The debt tally: the dashboard's numbers pre-computed per team, kept fresh by triggers.

Counting 200,000 action items on every visit cannot be made fast enough (the raw SQL
aggregate alone costs 100-200 ms), so each team's rows are computed once and read many
times. ``triggers`` bump a team's version on every write that can change its numbers,
``compute`` recomputes a stale team from the items, ``read`` sums the fresh rows.
"""
