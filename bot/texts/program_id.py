"""Indonesian texts of the program feature."""

TEXTS: dict[str, str] = {}
