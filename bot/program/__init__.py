"""The synchronized training-day program: the plan's announcements as scheduled broadcasts."""
