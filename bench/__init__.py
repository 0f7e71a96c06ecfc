"""Benchmarks of DESIGN §6 (`python -m bench`): measured figures beside their goals, as a table and as JSON."""
