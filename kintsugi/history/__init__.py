"""The history of a post-mortem: versions of its sections, their diffs, restoring (issue 18)."""
