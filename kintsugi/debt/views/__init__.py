"""Debt pages: function views that parse input, call a selector or service, and render."""
