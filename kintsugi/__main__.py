import sys

from kintsugi.cli import main

sys.exit(main())
