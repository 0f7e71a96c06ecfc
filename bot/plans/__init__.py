"""Example training plans shipped with the bot (TOML package data)."""

from pathlib import Path

EXAMPLE_PLAN: Path = Path(__file__).resolve().with_name("lebak_bimtek_2024.toml")
