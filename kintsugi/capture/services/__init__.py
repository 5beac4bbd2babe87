"""Writes of the capture app: sources and their secrets, and ingesting deliveries."""
