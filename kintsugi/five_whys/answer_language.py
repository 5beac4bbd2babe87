"""The language checker that 5 Whys answers are linted with, handed over by its owner.

The organisation's linter (its rules, terms and people) belongs to the blameless app,
which sits above this one: its publishing gate and summary count this app's findings. So
instead of this app importing it, blameless hands its linter over when Django starts
(``BlamelessConfig.ready``), and the answers are checked like every other text field.
"""

from __future__ import annotations

from collections.abc import Callable

from kintsugi.core.language import Linter

_source: Callable[[], Linter] | None = None


def use_linter(source: Callable[[], Linter]) -> None:
    """Lint answers with ``source()`` (called once per check, so it can stay current)."""
    global _source
    _source = source


def answer_linter() -> Linter:
    """The organisation's linter; an error, never a silent default, when nobody handed one
    over (the blameless app is missing from ``INSTALLED_APPS``)."""
    if _source is None:
        raise RuntimeError(
            "No linter for 5 Whys answers: kintsugi.blameless hands it over when Django "
            "starts; is it in INSTALLED_APPS?"
        )
    return _source()
