"""``kintsugi lint`` loads only what linting needs (issue 13: start in under 0.15 s)."""

from __future__ import annotations

import subprocess
import sys
import textwrap


def _modules_after(code: str) -> set[str]:
    script = textwrap.dedent(code) + "\nimport sys\nprint('\\n'.join(sorted(sys.modules)))\n"
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    return set(result.stdout.split())


def test_linting_a_document_without_a_5_whys_section_skips_the_analysis_package() -> None:
    modules = _modules_after(
        """
        from kintsugi.lint import lint_document
        lint_document("# Incident\\n\\nBob pushed a bad config to the load balancers.\\n")
        """
    )
    assert "kintsugi.core.five_whys" not in modules
    assert not any(name == "django" or name.startswith("django.") for name in modules)


def test_a_document_with_a_5_whys_section_still_gets_its_checks() -> None:
    modules = _modules_after(
        """
        from kintsugi.lint import lint_document
        text = "## Root Cause Analysis\\n\\n1. **Why** did it fail?\\n   Because: the disk filled.\\n"
        found = lint_document(text)
        assert any(f.rule.startswith("whys/") for f in found), found
        """
    )
    assert "kintsugi.core.five_whys" in modules


def test_the_whys_rules_are_still_listed() -> None:
    from kintsugi.lint.document import all_rules
    from kintsugi.lint.whys import WHYS_RULES

    ids = {rule.id for rule in all_rules()}
    assert {rule.id for rule in WHYS_RULES} <= ids
    assert "whys/malformed" in ids
