"""Make the sandbox's Bot API extract from the published description: structure only, no prose.

    python -m bot.sandbox.extract_spec PATH/TO/api.json  # writes bot/data/telegram-bot-api.extract.json

The input is the machine-readable Bot API description (PaulSonOfLars/telegram-bot-api-spec's api.json). The
output keeps, for every method and type, its parameters or fields with their types and required flags, a
type's subtypes, and the value a polymorphic type's `type` field must have (read once here from the prose, so
that the sandbox never needs the prose). Re-run it when Telegram publishes a new Bot API version.
"""

import argparse
import json
import sys
from pathlib import Path

from bot.data import BOT_API_EXTRACT
from bot.sandbox.spec import extract


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="the published api.json")
    parser.add_argument("--out", type=Path, default=BOT_API_EXTRACT, help="where to write the extract")
    args = parser.parse_args(argv)
    result = extract(json.loads(args.source.read_text(encoding="utf-8")))
    text = json.dumps(result, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    args.out.write_text(text + "\n", encoding="utf-8")
    print(f"{args.out}: {result['version']}, {len(result['methods'])} methods, {len(result['types'])} types")
    return 0


if __name__ == "__main__":
    sys.exit(main())
