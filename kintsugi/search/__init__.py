"""Full-text search over post-mortems, and the similar incidents each one shows."""
