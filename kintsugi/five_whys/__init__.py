"""5 Whys storage and use cases: the why-tree of an incident as rows, checked by the core.

The model is kintsugi.core.five_whys (pure Python); this app stores it (models.py), changes
it (services.py) and reads it (selectors.py). See docs/five-whys.md. Its Django label is
still "analysis" (apps.py says why).
"""
