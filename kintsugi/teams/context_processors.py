"""``severity_texts`` in every template's context, read only if the page shows one: a
page without a severity costs no query, one with any number of them costs one."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from kintsugi.teams.severities import severity_texts


def severities(request: HttpRequest) -> dict[str, object]:
    return {"severity_texts": SimpleLazyObject(severity_texts)}
