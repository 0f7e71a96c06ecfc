"""Data the bot ships: the official Lebak region list and the sandbox's Bot API extract (see SOURCES.md)."""

from pathlib import Path

_HERE = Path(__file__).resolve().parent

# Kecamatan and desa/kelurahan of Kabupaten Lebak (36.02): 28 kecamatan, 345 desa/kelurahan.
LEBAK_WILAYAH_CSV = _HERE / "lebak_wilayah.csv"
# Methods, parameters, types and required flags of the Telegram Bot API, without prose.
BOT_API_EXTRACT = _HERE / "telegram-bot-api.extract.json"
