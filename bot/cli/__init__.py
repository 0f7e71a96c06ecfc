"""The commands of `python -m bot` (what each does and prints); bot/__main__.py parses and dispatches."""
