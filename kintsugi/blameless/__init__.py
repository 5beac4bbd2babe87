"""Blameless language in the app: the organisation's settings, the linter it builds, the
findings of a whole post-mortem and the publishing gate.

The rules themselves live in the pure core (``kintsugi.core.language``); this app only
decides *which* configuration and *which people* the engine gets, and when a post-mortem
may be published. See docs/blameless-language.md.
"""
