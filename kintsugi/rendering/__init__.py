"""HTML rendering shared by the apps that draw pages (web, debt, and the apps above them).

It sits below every app that renders, so an app's rows never import the web app: the
Jinja2 environment of the hot partials (``jinja.py``) and the display filters both template
engines use (``filters.py``: user Markdown, safe links, CSS tokens). It holds no views and
knows no model.
"""
