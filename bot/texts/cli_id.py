"""Indonesian texts of the command line (roster and region imports, coordinator grants)."""

TEXTS: dict[str, str] = {}
