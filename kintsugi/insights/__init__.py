"""Insights (issue 16): what the incidents teach over time, from per-incident facts kept
on write (see docs/insights.md)."""
