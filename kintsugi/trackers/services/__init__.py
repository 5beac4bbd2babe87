"""Use cases of the trackers app: connections, tickets, the sync, the webhooks."""
