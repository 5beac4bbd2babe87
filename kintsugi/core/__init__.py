"""Pure domain logic. Nothing under this package may import Django.

The CLI linter, the Markdown round-trip and the fast unit tests use these modules
directly, so they must stay importable without settings or a database.
"""
