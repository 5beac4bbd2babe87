"""The trackers' rules without Django: what a ticket holds, how its fields map to an action
item's, which side wins a conflict, how a webhook proves its sender, when to try again.

The providers (``kintsugi.trackers.providers``) speak HTTP; everything they decide is here,
so it is tested without a network or a database. Jira (``jira.py``) fits the same shapes:
a key such as ``OPS-12`` instead of a number, a status category instead of open/closed;
``owners.py`` says which way an owner change travels.
"""
