"""Web forms: they parse input and call one service each (see ``base``)."""
