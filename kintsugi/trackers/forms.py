"""The settings page's forms: parse input only; the services decide and validate."""

from __future__ import annotations

from django import forms

from kintsugi.trackers.models import TrackerKind


class ConnectionForm(forms.Form):
    kind = forms.ChoiceField(choices=TrackerKind.choices)
    name = forms.CharField(max_length=100)
    team = forms.ChoiceField(choices=(), help_text="The team whose action items it holds.")
    project = forms.CharField(
        max_length=300, help_text="owner/repository, group/project or a Jira project key (OPS)"
    )
    token_env = forms.CharField(
        max_length=100,
        label="Token variable",
        help_text="The environment variable holding the token (never the token itself).",
    )
    api_url = forms.CharField(
        max_length=500,
        required=False,
        help_text="Empty: github.com or gitlab.com. Jira: the site, e.g. https://acme.atlassian.net.",
    )
    web_url = forms.CharField(max_length=500, required=False)

    def __init__(self, *args: object, teams: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["team"].choices = teams  # type: ignore[attr-defined]


class MappingForm(forms.Form):
    connection = forms.IntegerField(min_value=1)
    account = forms.CharField(max_length=200, help_text="The tracker account name (login).")
    username = forms.CharField(max_length=150, help_text="The Kintsugi user it is.")
