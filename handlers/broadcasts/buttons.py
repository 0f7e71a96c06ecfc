"""The broadcast buttons' callback data (um:, tj:, bu:) and the small views the broadcast screens share."""

from datetime import datetime

from bot.broadcasts.audience import Audience
from bot.runtime.callbacks import CallbackCodec
from bot.runtime.context import BotContext
from bot.texts import render
from bot.texts.formatting import date_time

# The formats are those already in people's chats: um:a:<kind>, um:k:<id>|ok, um:w:now, um:c:late|send|cancel;
# tj:x|y|n:<broadcast id>; bu:<broadcast id>. Added since: tj:p:<page> (/terjadwal's ‹ / › buttons), um:c:ack|rem
# (the wizard's "Sudah dibaca" toggles), ak: and ab: (below).
UMUMKAN = CallbackCodec("um")
SCHEDULED = CallbackCodec("tj")
UNDELIVERED = CallbackCodec("bu")
# "Sudah dibaca": ak:<broadcast id> under an announcement (and its reminder); the coordinator's view of who
# has read it: ab:s:<id> (a new message), ab:r:<id> (the same message, refreshed), ab:k:<id>:<kecamatan id>.
ACK = CallbackCodec("ak")
ACKS_VIEW = CallbackCodec("ab")


def when_text(context: BotContext, language: str, send_at: datetime | None) -> str:
    """'sekarang' or the moment in WIB."""
    if send_at is None:
        return render(language, "bc.when_now")
    return date_time(send_at, language, context.config.scheduler.timezone)


def audience_label(language: str, audience: Audience, names: dict[int, str]) -> str:
    """'Semua PPS · Malingping, Bayah'."""
    label = render(language, f"bc.audience.{audience.kind.value}")
    if audience.kecamatan_ids:
        label += " · " + ", ".join(names.get(i, str(i)) for i in audience.kecamatan_ids)
    return label
