import gc
import os
import sys

from django.core.wsgi import get_wsgi_application

from kintsugi.config import ConfigurationError
from kintsugi.wsgi_bodies import sized_chunked_bodies

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kintsugi.settings")
try:
    application = get_wsgi_application()
    application = sized_chunked_bodies(application)
except ConfigurationError as error:
    # Served by gunicorn or another WSGI server, not `kintsugi serve`: the same one line
    # and exit 2 as the command line gives, not a traceback per worker (issue 14, item 11).
    sys.stderr.write(f"kintsugi: {error}\n")
    raise SystemExit(2) from None


def settle_startup_objects() -> None:
    """Move what loading the app made (modules, models, URL patterns: ~100,000 objects
    that live as long as the process) out of the garbage collector's sight.

    Every full collection walked them all: 50–90 ms, landing on whichever request was
    unlucky. Done before gunicorn forks, it also keeps the workers from touching (and so
    copying) the pages they share with the parent.
    """
    gc.collect()
    gc.freeze()


settle_startup_objects()
