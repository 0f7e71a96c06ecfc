"""The training plan file: read and check it, import sessions and its other sections, show it."""
