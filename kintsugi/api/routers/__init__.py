"""One router per area; each endpoint parses input, calls a service or selector, renders."""
