import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kintsugi.settings")
application = get_wsgi_application()


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
