"""Writes for post-mortem debt: settings, review marks, reminders, reviews and deliveries."""
