"""``python -m kintsugi.lint [--format text|json|sarif] [--config FILE] PATH...``"""

import sys

from kintsugi.lint.cli import main

if __name__ == "__main__":
    sys.exit(main())
