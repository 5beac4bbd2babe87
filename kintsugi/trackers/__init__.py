"""Action items in the team's tracker, both ways (issue 17): connections, ticket links,
the sync outbox the worker drains, and the signed webhooks that bring changes back."""
