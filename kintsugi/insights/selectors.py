"""The Insights figures for one reader and one set of filters, read without writing.

What is read: the stored facts of the incidents in the range, grouped in the database (a
few rows per month, from indexes that cover each read); the four response times of those
incidents (four integers each: the median and 90th percentile need the values; a month
holds a few hundred incidents, so a year is a few thousand rows read through the month
index); and the facts of the incidents logged since the last fold, computed live
(``facts.compute``) so every write shows at once. Months are integers (202603) in the
facts, so reading thousands of rows converts no dates. The number of queries does not
depend on the data.

Access: the facts are per incident, so each query leaves out the restricted incidents
the reader may not see (``access.hidden_incidents``, read once per page: a short list, as
few incidents are restricted); an aggregate never counts an incident its reader could not
open.
"""

from kintsugi.accounts.models import User
from kintsugi.insights.filters import InsightsFilters
from kintsugi.insights.from_sums import from_sums
from kintsugi.insights.per_incident import per_incident
from kintsugi.insights.report import Audience, Report, audience

__all__ = ["Audience", "Report", "audience", "insights_report"]


def insights_report(
    user: User | None, filters: InsightsFilters, known: Audience | None = None
) -> Report:
    """The figures ``user`` may see; ``None`` is an unknown audience (a mailing list, a
    Slack channel), who sees no restricted incident at all. ``known`` is ``audience(user)``
    when the caller has read it already."""
    if filters.service is not None:
        return per_incident(user, filters)
    return from_sums(user, filters, known)
