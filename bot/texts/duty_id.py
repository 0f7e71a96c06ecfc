"""Indonesian texts of the duty feature."""

TEXTS: dict[str, str] = {}
