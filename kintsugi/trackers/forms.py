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
        required=False,
        label="Token variable",
        help_text="The environment variable holding the token; or leave empty and give the token.",
    )
    token = forms.CharField(
        max_length=4096,
        required=False,
        strip=True,
        widget=forms.PasswordInput(render_value=False),
        help_text="Kept sealed with the key in KINTSUGI_ENCRYPTION_KEY; never shown again.",
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


class RotateForm(forms.Form):
    connection = forms.IntegerField(min_value=1)
    grace_hours = forms.IntegerField(
        min_value=0,
        max_value=720,
        initial=24,
        label="Old secret valid for (hours)",
        help_text="0 refuses the old secret at once.",
    )
