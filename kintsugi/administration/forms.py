"""The administration forms. They only shape the input (lengths a browser enforces, the
choices it offers); the services validate and say what is wrong."""

from __future__ import annotations

from django import forms

from kintsugi.accounts.models import Role
from kintsugi.blameless.models import PublishingMode
from kintsugi.teams.models import TeamRole

TEAM_ROLES = [
    (TeamRole.VIEWER.value, "Viewer"),
    (TeamRole.EDITOR.value, "Editor"),
    (TeamRole.ADMIN.value, "Team admin"),
]


class InviteForm(forms.Form):
    email = forms.CharField(label="Email address", max_length=254,
                            widget=forms.EmailInput(attrs={"data-testid": "invite-email"}))  # fmt: skip
    role = forms.ChoiceField(
        label="Organisation role",
        choices=Role.choices,
        initial=Role.VIEWER,
        help_text="Viewers read, editors write post-mortems, admins administer the site.",
        widget=forms.Select(attrs={"data-testid": "invite-role"}),
    )
    team = forms.ChoiceField(label="Team", required=False,
                             widget=forms.Select(attrs={"data-testid": "invite-team"}))  # fmt: skip
    team_role = forms.ChoiceField(
        label="Role in the team",
        choices=TEAM_ROLES,
        initial=TeamRole.EDITOR,
        widget=forms.Select(attrs={"data-testid": "invite-team-role"}),
    )

    def __init__(
        self, *args: object, teams: list[tuple[str, str]], site_admin: bool, **kwargs: object
    ):
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["team"].choices = ([("", "No team")] if site_admin else []) + teams
        if not site_admin:
            del self.fields["role"]


class SignUpForm(forms.Form):
    username = forms.CharField(
        max_length=150,
        widget=forms.TextInput(
            attrs={"autocomplete": "username", "data-testid": "invite-username"}
        ),
    )
    first_name = forms.CharField(label="First name", max_length=150, required=False)
    last_name = forms.CharField(label="Last name", max_length=150, required=False)
    password1 = forms.CharField(
        label="Password",
        max_length=4096,
        strip=False,
        widget=forms.PasswordInput(
            attrs={"autocomplete": "new-password", "data-testid": "invite-password1"}
        ),
    )
    password2 = forms.CharField(
        label="Password again",
        max_length=4096,
        strip=False,
        widget=forms.PasswordInput(
            attrs={"autocomplete": "new-password", "data-testid": "invite-password2"}
        ),
    )


class TeamForm(forms.Form):
    name = forms.CharField(
        max_length=100, widget=forms.TextInput(attrs={"data-testid": "team-name"})
    )
    slug = forms.CharField(
        max_length=100,
        help_text="Letters, digits, hyphens and underscores: used in links, the API and Markdown.",
        widget=forms.TextInput(attrs={"data-testid": "team-slug"}),
    )
    description = forms.CharField(
        max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class MemberForm(forms.Form):
    person = forms.CharField(label="Username or email address", max_length=254,
                             widget=forms.TextInput(attrs={"data-testid": "member-person"}))  # fmt: skip
    role = forms.ChoiceField(label="Role in the team", choices=TEAM_ROLES, initial=TeamRole.EDITOR,
                             widget=forms.Select(attrs={"data-testid": "member-role"}))  # fmt: skip


class ServiceForm(forms.Form):
    name = forms.CharField(
        max_length=100, widget=forms.TextInput(attrs={"data-testid": "service-name"})
    )
    slug = forms.CharField(
        max_length=100,
        help_text="Letters, digits, hyphens and underscores.",
        widget=forms.TextInput(attrs={"data-testid": "service-slug"}),
    )
    team = forms.ChoiceField(label="Team", required=False,
                             widget=forms.Select(attrs={"data-testid": "service-team"}))  # fmt: skip

    def __init__(
        self, *args: object, teams: list[tuple[str, str]], site_admin: bool, **kwargs: object
    ):
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["team"].choices = ([("", "No team")] if site_admin else []) + teams


MAX_LIST = 20_000  # characters of one list setting: thousands of lines, not a novel


def _lines(label: str, help_text: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=MAX_LIST,
        strip=False,
        help_text=help_text + " One per line; lines starting with # are comments.",
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class LanguageForm(forms.Form):
    publishing_mode = forms.ChoiceField(
        label="Publishing",
        choices=PublishingMode.choices,
        widget=forms.RadioSelect,
    )
    disabled_rules = _lines(
        "Rules turned off", "Rule ids or globs, e.g. blame/clearly or blame/self-*."
    )
    enabled_rules = _lines("Rules turned on", "Rules that are off by default, by id or glob.")
    extra_terms = _lines("Your blameful jargon", "Terms to flag, e.g. “cowboy deploy”.")
    allowed_phrases = _lines("Phrases never flagged", "e.g. “Human Error Review Board”.")
    people = _lines(
        "People who are not users",
        "Contractors, vendors' staff: names the checker should know are people.",
    )


class SeverityForm(forms.Form):
    """One level's words; lengths and characters are the service's to check."""

    name = forms.CharField(label="Name", required=False, strip=False,
                           widget=forms.TextInput(attrs={"maxlength": 40}))  # fmt: skip
    definition = forms.CharField(label="Definition", required=False, strip=False,
                                 widget=forms.Textarea(attrs={"rows": 3, "maxlength": 600}))  # fmt: skip
