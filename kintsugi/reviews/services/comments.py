"""Comment threads on a section, a field or a 5 Whys step.

Anyone who may see the post-mortem may comment (reviewers are often readers, not
editors); the thread's starter and the incident's editors may resolve or reopen it.
Comment text goes through the organisation's blameless checker: the findings are kept
with the comment and shown beside it, never refusing it. ``@username`` mentions of
people who may see the post-mortem are emailed, and mentioned in the team's Slack channel
when they gave their Slack member ID; others are not told it exists.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from kintsugi.accounts.models import User
from kintsugi.blameless.services import lint_prose
from kintsugi.core.errors import ValidationProblem
from kintsugi.core.language import Level
from kintsugi.core.reviews import mentioned_usernames, parse_anchor
from kintsugi.core.reviews.comments import clean_comment
from kintsugi.five_whys.models import WhyNode
from kintsugi.postmortems import access
from kintsugi.postmortems.models import Incident
from kintsugi.reviews.models import Comment, Thread
from kintsugi.reviews.services import notify


@dataclass(frozen=True)
class Posted:
    comment: Comment
    notified: list[str]  # usernames an email went to


def lint_findings(text: str) -> list[dict[str, object]]:
    return [
        {
            "rule": f.rule,
            "severity": f.severity.value,
            "excerpt": f.excerpt,
            "message": f.message,
        }
        for f in lint_prose(text, markdown=False)
        if f.severity is not Level.INFO
    ]


def _require_view(user: User, incident: Incident) -> None:
    if not access.can_view(user, incident):
        raise PermissionDenied("You may not see this post-mortem.")


def _post(user: User, thread: Thread, incident: Incident, text: str) -> Posted:
    comment = Comment.objects.create(
        thread=thread, author=user, text=text, findings=lint_findings(text)
    )
    names = [n for n in mentioned_usernames(text) if n != user.username]
    people = [
        person
        for person in User.objects.filter(username__in=names, is_active=True)
        if access.can_view(person, incident)
    ]
    anchor = f"thread-{thread.pk}"
    transaction.on_commit(lambda: notify.mentioned(incident, people, user, text, anchor))
    # In the same transaction as the comment: a comment saved is a mention queued.
    notify.mention_in_slack(incident, people, user, text, anchor, f"mention:{comment.pk}")
    return Posted(comment, [p.username for p in people])


@transaction.atomic
def thread_start(*, user: User, incident: Incident, anchor: str, text: str) -> Posted:
    _require_view(user, incident)
    where = parse_anchor(anchor)
    body = clean_comment(text)
    if (
        where.why_id is not None
        and not WhyNode.objects.filter(incident=incident, pk=where.why_id).exists()
    ):
        raise ValidationProblem("There is no such 5 Whys step in this post-mortem.", field="anchor")
    thread = Thread.objects.create(incident=incident, anchor=where.value, created_by=user)
    return _post(user, thread, incident, body)


@transaction.atomic
def comment_reply(*, user: User, thread: Thread, text: str) -> Posted:
    incident = thread.incident
    _require_view(user, incident)
    body = clean_comment(text)
    if thread.is_resolved:
        raise ValidationProblem("This thread is resolved; reopen it to reply.", field="text")
    return _post(user, thread, incident, body)


@transaction.atomic
def thread_resolve(*, user: User, thread: Thread, resolved: bool = True) -> Thread:
    """Resolve (or reopen) a thread: its starter, or anyone who may edit the post-mortem."""
    incident = thread.incident
    _require_view(user, incident)
    if thread.created_by_id != user.pk and not access.can_edit(user, incident):
        raise PermissionDenied("Only the thread's author or an editor can resolve it.")
    if resolved:
        Thread.objects.filter(pk=thread.pk).update(resolved_at=timezone.now(), resolved_by=user)
    else:
        Thread.objects.filter(pk=thread.pk).update(resolved_at=None, resolved_by=None)
    thread.refresh_from_db()
    return thread
