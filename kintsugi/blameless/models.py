"""The organisation's language settings: one row, edited by admins.

Lists are stored one entry per line (what an admin types in a textarea), and turned into
a :class:`~kintsugi.core.language.LintConfig` through ``LintConfig.from_mapping``, the same
door the CLI's configuration file goes through, so both refuse the same mistakes.
"""

from __future__ import annotations

import uuid
from fnmatch import fnmatchcase

from django.core.exceptions import ValidationError
from django.db import models

from kintsugi.core.errors import ValidationProblem
from kintsugi.core.language import LintConfig, load_rules
from kintsugi.core.language.engine import LINE_TOO_LONG

SINGLETON_PK = 1


class PublishingMode(models.TextChoices):
    WARN = "warn", "Warn: publishing is allowed, the open findings are shown"
    BLOCK = "block", "Block: publishing is refused while error-severity findings remain"


def new_stamp() -> str:
    return uuid.uuid4().hex


def lines(text: str) -> list[str]:
    """Non-empty lines; ``#`` starts a comment line, so admins can note why."""
    stripped = (line.strip() for line in text.splitlines())
    return [line for line in stripped if line and not line.startswith("#")]


# Model field -> LintConfig key; a ValidationProblem names the key, the form shows the field.
_CONFIG_KEYS = {
    "enabled_rules": "enable",
    "disabled_rules": "disable",
    "people": "people",
    "allowed_phrases": "allowed_phrases",
    "extra_terms": "extra_terms",
}
_FIELD_FOR_KEY = {key: name for name, key in _CONFIG_KEYS.items()}

_LINES = "One per line; lines starting with # are comments."


class LanguageSettings(models.Model):
    """The one row of language settings (primary key 1); see ``services.language_settings``."""

    enabled_rules = models.TextField(
        blank=True,
        help_text="Rule ids or globs to turn on (rules that are off by default). " + _LINES,
    )
    disabled_rules = models.TextField(
        blank=True,
        help_text="Rule ids or globs to turn off, e.g. blame/clearly or blame/self-*. " + _LINES,
    )
    extra_terms = models.TextField(
        blank=True,
        help_text="Your organisation's own blameful jargon, e.g. “cowboy deploy”. " + _LINES,
    )
    allowed_phrases = models.TextField(
        blank=True,
        help_text="Phrases never flagged, e.g. “Human Error Review Board”. " + _LINES,
    )
    people = models.TextField(
        blank=True,
        help_text="Names of people who are not users here (contractors, vendors' staff). "
        "Active users' usernames and full names are always known. " + _LINES,
    )
    publishing_mode = models.CharField(
        max_length=8, choices=PublishingMode.choices, default=PublishingMode.WARN
    )
    # Changes whenever what the linter knows changes (these settings or the users), so
    # every app server can tell with one primary-key read whether its cached linter is
    # still right. Random rather than a counter: a counter can repeat after a rollback.
    stamp = models.CharField(max_length=32, default=new_stamp, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "language settings"
        verbose_name_plural = "language settings"

    def __str__(self) -> str:
        return "Blameless language settings"

    def save(self, *args: object, **kwargs: object) -> None:
        self.pk = SINGLETON_PK
        self.stamp = new_stamp()
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def mapping(self) -> dict[str, object]:
        return {key: lines(getattr(self, name)) for name, key in _CONFIG_KEYS.items()}

    def lint_config(self) -> LintConfig:
        """The engine's configuration; :class:`ValidationProblem` when something is wrong."""
        config = LintConfig.from_mapping(self.mapping(), source="Language settings")
        _check_rule_ids(config.enable, "enable")
        _check_rule_ids(config.disable, "disable")
        return config

    def clean(self) -> None:
        try:
            self.lint_config()
        except ValidationProblem as problem:
            field = _FIELD_FOR_KEY.get(problem.field or "")
            raise ValidationError({field: problem.message} if field else problem.message) from None


def _check_rule_ids(patterns: tuple[str, ...], key: str) -> None:
    """A rule id that matches no rule is a typo that would silently change nothing."""
    known = [rule.id for rule in load_rules()] + [LINE_TOO_LONG.id]
    for pattern in patterns:
        if pattern.startswith("custom/"):
            continue  # organisation terms get ids of their own
        if not any(fnmatchcase(rule_id, pattern) for rule_id in known):
            raise ValidationProblem(
                f"No rule matches “{pattern}”. Rule ids look like blame/should-have; "
                "see the rule list in docs/blameless-language.md.",
                field=key,
            )


class SummaryCache(models.Model):
    """The findings of one post-mortem, kept under the key of what produced them.

    Linting a 500-event post-mortem costs about 150 ms of CPU and every post-mortem page
    asks for it (issue 20). The key (``summary_cache.summary_key``) digests the linter's
    rules and settings, the incident's own text and the versions of its parts, so a row
    whose key differs from the current one is simply recomputed: no process keeps state
    that can go stale, and every app server shares the rows. A table rather than Django's
    cache so a row is written in the same transaction as the edit that made it, rolls
    back with it, and is backed up and restored with the data it describes.
    """

    incident = models.OneToOneField(
        "postmortems.Incident", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    key = models.CharField(max_length=64)
    findings = models.JSONField()
    # The summary fragment rendered from ``findings`` (the web app's template), "" when the
    # row was stored without it; under the same key, which includes the template's stamp.
    fragment = models.TextField(blank=True, default="")
    # What the key digests apart from the incident itself (rules, templates, settings;
    # ``summary_cache.generation``): an upgrade or a settings change makes every row's
    # generation differ, which the worker finds with one query (``fill_missing``), where
    # the key alone can only be compared row by row. "" for rows left to the worker.
    generation = models.CharField(max_length=16, blank=True, default="")
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "blamelessness summary"
        verbose_name_plural = "blamelessness summaries"
        # The worker's "which rows are current" reads this index only: the rows themselves
        # hold the findings and the fragment (kilobytes each).
        indexes = [models.Index(fields=["generation", "incident"], name="summary_generation")]

    def __str__(self) -> str:
        return f"Findings of incident {self.incident_id} ({self.key[:8]})"
