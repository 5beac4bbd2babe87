"""The forms of the account pages: Django's own, worded for Kintsugi."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import PasswordResetForm


class ResetRequestForm(PasswordResetForm):
    """The address to send a reset link to. Finding the accounts is Django's
    (``get_users``: active accounts with a usable password, the address compared without
    regard to case); sending is ``kintsugi.accounts.reset_mail``'s."""

    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="The address on your Kintsugi account.",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
