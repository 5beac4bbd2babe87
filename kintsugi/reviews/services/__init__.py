"""Writes of the reviews app (keyword-only, validating, atomic)."""
