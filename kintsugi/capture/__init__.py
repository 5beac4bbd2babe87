"""Capture: timelines that write themselves from Alertmanager, PagerDuty, JSON and CSV.

Sits above postmortems (it writes incidents and events through their services) and below
web/api (it imports neither). See docs/integrations.md.
"""
