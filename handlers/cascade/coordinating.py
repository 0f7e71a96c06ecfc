"""A PPS coordinating their desa's next level: /rekap, /qr, /hadirkan and the roster sent as a document.

These run in the cascade's handler group, before group 0. A PPS member (who is no coordinator) is answered
here and the update ends; anyone else's update goes on to the coordinators' handlers of group 0 unchanged
(which refuse a Pantarlih or KPPS: they coordinate nothing).
"""

import tempfile
from pathlib import Path

from telegram import Update
from telegram.ext import CommandHandler, MessageHandler, filters

from bot.cascade import recap as cascade_recap
from bot.cascade import roster as cascade_roster
from bot.cascade import sessions as desa_sessions
from bot.checkin import rules as checkin
from bot.core.identity import Identity
from bot.core.problems import ImportRejected
from bot.core.scope import DesaScope
from bot.roster.files import CSV_SUFFIXES, XLSX_SUFFIXES
from bot.runtime.context import BotApplication, BotContext
from bot.runtime.guards import current_identity
from bot.texts import Safe, render
from bot.texts.formatting import date_long, time_short
from handlers.cascade.common import CASCADE_GROUP, handled, level_label, session_card
from handlers.checkin.venue_qr import post_qr
from handlers.common import reply

# A desa's next level is a few dozen people: a roster file over 2 MB is not one.
MAX_ROSTER_BYTES = 2 * 1024 * 1024
# Errors listed in one answer; the rest are counted (the PPS fixes these first and sends again).
MAX_ERRORS_SHOWN = 15


async def pps_of_desa(update: Update, context: BotContext) -> tuple[Identity, DesaScope] | None:
    """The PPS member behind the update, when they are no coordinator (whose commands stay theirs)."""
    identity = await current_identity(update, context)
    scope = identity.desa_scope
    if identity.coordinator is not None or scope is None:
        return None
    return identity, scope


async def recap(update: Update, context: BotContext) -> None:
    """/rekap for a PPS: their desa's Bimtek per level: registered, present, and who is missing."""
    # With a kecamatan named it is the coordinators' command (group 0 answers a PPS so).
    found = None if context.args else await pps_of_desa(update, context)
    if found is None:
        return
    identity, scope = found
    language = identity.language
    zone = context.config.scheduler.timezone
    async with context.read() as session:
        levels = await cascade_recap.desa_recap(session, scope)
    if not levels:
        await reply(update, render(language, "cascade.recap_empty", desa=scope.desa))
        handled()
    parts = [render(language, "cascade.recap_title", desa=scope.desa)]
    for level in levels:
        when = (
            render(
                language,
                "cascade.recap_when",
                date=date_long(level.starts_at, language, zone),
                time=time_short(level.starts_at, language, zone),
                venue=level.venue or "",
            )
            if level.starts_at is not None
            else render(language, "cascade.recap_no_session")
        )
        parts.append(
            render(
                language,
                "cascade.recap_level",
                level=level_label(language, level.level.value),
                when=Safe(when),
                roster=level.roster,
                registered=level.registered,
                present=level.present,
            )
        )
        missing = [p for p in level.people if not p.present]
        if level.session_id is not None and missing:
            lines = [
                render(
                    language,
                    "cascade.recap_absent" if p.registered else "cascade.recap_absent_unregistered",
                    name=p.name,
                    tps=p.tps or "-",
                )
                for p in missing
            ]
            parts.append(render(language, "cascade.recap_absent_title") + "\n" + "\n".join(lines))
    await reply(update, "\n\n".join(parts))
    handled()


async def qr(update: Update, context: BotContext) -> None:
    """/qr for a PPS: the check-in QR of their desa's session (today's, else the next)."""
    # With a kecamatan named it is the coordinators' command (group 0 answers a PPS so).
    found = None if context.args else await pps_of_desa(update, context)
    if found is None:
        return
    identity, scope = found
    language = identity.language
    async with context.read() as session:
        sessions = await desa_sessions.desa_sessions(session, scope.desa_id)
    if not sessions:
        await reply(update, render(language, "cascade.no_session", desa=scope.desa))
        handled()
    zone = context.config.scheduler.timezone
    today = context.clock.now().astimezone(zone).date()
    upcoming = [s for s in sessions if s.checkin_closes_at >= context.clock.now()]
    chosen = next((s for s in sessions if s.starts_at.astimezone(zone).date() == today), None)
    chosen = chosen or (upcoming[0] if upcoming else sessions[-1])
    await post_qr(update, context, chosen.id, language)
    handled()


async def check_in_by_hand(update: Update, context: BotContext) -> None:
    """/hadirkan <telepon> <alasan> for a PPS: someone of their own desa's next level, audit-logged."""
    found = await pps_of_desa(update, context)
    if found is None:
        return
    identity, scope = found
    language = identity.language
    args = context.args or []
    if len(args) < 2:
        await reply(update, render(language, "cascade.manual_usage"))
        handled()
    phone, reason = args[0], " ".join(args[1:])[:500]
    try:
        async with context.transaction() as session:
            result = await cascade_recap.check_in_by_hand(
                session,
                scope=scope,
                coordinator_user_id=identity.telegram_user_id,
                member_phone=phone,
                reason=reason,
                now=context.clock.now(),
            )
    except checkin.MemberNotFound:
        await reply(update, render(language, "cascade.manual_not_found", phone=phone, desa=scope.desa))
        handled()
    except checkin.NoSession:
        await reply(update, render(language, "cascade.no_session", desa=scope.desa))
        handled()
    record = result.check_in
    when = time_short(record.at, language, context.config.scheduler.timezone)
    key = "manual.already" if result.already else "manual.done"
    await reply(update, render(language, key, name=record.member_name, time=when, reason=reason))
    handled()


def _error_lines(language: str, error: ImportRejected) -> list[str]:
    lines = []
    for problem in error.errors[:MAX_ERRORS_SHOWN]:
        if problem.row:
            text = render(language, f"cascade.roster.error.{problem.code}", **problem.params)
            lines.append(render(language, "cascade.roster_row", row=problem.row, problem=Safe(text)))
        else:
            lines.append(render(language, f"cli.roster.error.{problem.code}", **problem.params))
    if len(error.errors) > MAX_ERRORS_SHOWN:
        lines.append(render(language, "cascade.roster_more", count=len(error.errors) - MAX_ERRORS_SHOWN))
    return lines


async def receive_roster(update: Update, context: BotContext) -> None:
    """A PPS sends an XLSX/CSV: their desa's Pantarlih/KPPS roster, checked all or nothing, by row number."""
    found = await pps_of_desa(update, context)
    if found is None:
        return
    identity, scope = found
    language = identity.language
    message = update.effective_message
    assert message is not None and message.document is not None
    document = message.document
    suffix = Path(document.file_name or "").suffix.lower()
    if suffix not in CSV_SUFFIXES | XLSX_SUFFIXES:
        await reply(update, render(language, "cascade.roster_not_a_table"))
        handled()
    if document.file_size is not None and document.file_size > MAX_ROSTER_BYTES:
        await reply(update, render(language, "cascade.roster_too_big"))
        handled()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"roster{suffix}"
        telegram_file = await context.bot.get_file(document.file_id)
        await telegram_file.download_to_drive(path)
        try:
            rows = cascade_roster.read_cascade_file(path)
            async with context.transaction() as session:
                imported = await cascade_roster.import_cascade_roster(
                    session, rows, desa_id=scope.desa_id, actor=f"tg:{identity.telegram_user_id}"
                )
        except ImportRejected as error:
            lines = _error_lines(language, error)
            await reply(
                update,
                render(language, "cascade.roster_rejected", count=len(error.errors))
                + "\n"
                + "\n".join(lines)
                + "\n\n"
                + render(language, "cascade.roster_format"),
            )
            handled()
    await reply(
        update,
        render(
            language,
            "cascade.roster_imported",
            desa=imported.desa,
            pantarlih=imported.pantarlih,
            kpps=imported.kpps,
            added=imported.added,
            removed=imported.removed,
            registered=imported.already_registered,
        ),
    )
    handled()


async def my_desa_sessions(update: Update, context: BotContext) -> None:
    """/bimtek: the desa's sessions for its PPS (to change or cancel one: /bimtek_baru)."""
    found = await pps_of_desa(update, context)
    identity = await current_identity(update, context)
    if found is None:
        await reply(update, render(identity.language, "cascade.not_pps"))
        handled()
    _, scope = found
    language = identity.language
    async with context.read() as session:
        sessions = await desa_sessions.desa_sessions(session, scope.desa_id)
    if not sessions:
        await reply(update, render(language, "cascade.no_session", desa=scope.desa))
        handled()
    cards = [session_card(context, language, s) for s in sessions]
    await reply(update, "\n\n".join(cards) + "\n\n" + render(language, "cascade.sessions_hint"))
    handled()


def register(application: BotApplication) -> None:
    """Add the PPS's side of /rekap, /qr, /hadirkan, /bimtek and the roster document (cascade group)."""
    group = CASCADE_GROUP
    application.add_handler(CommandHandler("rekap", recap), group=group)
    application.add_handler(CommandHandler("qr", qr), group=group)
    application.add_handler(CommandHandler("hadirkan", check_in_by_hand), group=group)
    application.add_handler(CommandHandler("bimtek", my_desa_sessions), group=group)
    application.add_handler(
        MessageHandler(filters.Document.ALL & filters.ChatType.PRIVATE, receive_roster), group=group
    )
