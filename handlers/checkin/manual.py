"""Check-in by hand for coordinators (/hadirkan <telepon> <alasan>): a member whose phone failed, audit-logged."""

from telegram import Update
from telegram.ext import CommandHandler

from bot.checkin import manual as manual_rules
from bot.checkin import rules as checkin
from bot.runtime.context import BotApplication, BotContext
from bot.runtime.guards import require_coordinator
from bot.texts import render
from bot.texts.formatting import time_short
from handlers.common import reply


async def check_in_by_hand(update: Update, context: BotContext) -> None:
    """/hadirkan <telepon> <alasan>: record a member's attendance by hand, with a reason (audit-logged)."""
    found = await require_coordinator(update, context)
    if found is None:
        return
    identity, scope = found
    language = identity.language
    args = context.args or []
    if len(args) < 2:
        await reply(update, render(language, "manual.usage"))
        return
    phone, reason = args[0], " ".join(args[1:])[:500]
    zone = context.config.scheduler.timezone
    try:
        async with context.transaction() as session:
            result = await manual_rules.check_in_by_hand(
                session,
                scope=scope,
                coordinator_user_id=identity.telegram_user_id,
                member_phone=phone,
                reason=reason,
                now=context.clock.now(),
            )
    except checkin.MemberNotFound:
        await reply(update, render(language, "manual.not_found", phone=phone))
        return
    except checkin.OutOfScope:
        await reply(update, render(language, "coordinator.out_of_scope", kecamatan=scope.kecamatan or ""))
        return
    except checkin.NoSession:
        await reply(update, render(language, "manual.no_session"))
        return
    record = result.check_in
    when = time_short(record.at, language, zone)
    if result.already:
        await reply(update, render(language, "manual.already", name=record.member_name, time=when))
    else:
        await reply(
            update, render(language, "manual.done", name=record.member_name, time=when, reason=reason)
        )


def register(application: BotApplication) -> None:
    """Add /hadirkan (it checks the role and scope on every call)."""
    application.add_handler(CommandHandler("hadirkan", check_in_by_hand))
