"""Writes of the administration pages: each checks who asks, validates, saves and audits."""
