"""Reads for post-mortem debt, each with a constant number of queries whatever the data size."""
