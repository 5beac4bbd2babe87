from __future__ import annotations

import pytest

from kintsugi.core.language import Linter


@pytest.fixture
def lint_calls(monkeypatch):
    """How many texts the real linter was asked about (it still lints)."""
    calls: list[str] = []
    original = Linter.lint_markdown

    def spy(self, text, *args, **kwargs):
        calls.append(text)
        return original(self, text, *args, **kwargs)

    monkeypatch.setattr(Linter, "lint_markdown", spy)
    return calls
