"""The history of a post-mortem as plain data: its sections' snapshots and their diffs."""
