"""Web views, one module per area of the post-mortem page (see ``common`` for the pattern)."""
