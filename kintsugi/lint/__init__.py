"""The ``kintsugi lint`` command: pure Python, importable without Django or settings.

The ``kintsugi`` entry point (kintsugi/cli.py) dispatches ``lint`` here::

    from kintsugi.lint import main
    sys.exit(main(argv))  # argv without "kintsugi lint"

``python -m kintsugi.lint`` works too. For programmatic use, :func:`lint_document` runs
every check on one Markdown text.
"""

from kintsugi.lint.cli import main
from kintsugi.lint.document import all_rules, lint_document

__all__ = ["all_rules", "lint_document", "main"]
