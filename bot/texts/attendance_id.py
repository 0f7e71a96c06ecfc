"""Indonesian texts of the attendance feature."""

TEXTS: dict[str, str] = {}
