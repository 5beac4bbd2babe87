"""Reviewing a post-mortem together: the review workflow, comment threads and the audit log
(issue 18). The pure rules are in kintsugi/core/reviews."""
