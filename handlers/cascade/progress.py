"""/kaskade for the PPK (their kecamatan) and the KPU (all): how far the desa are with their own Bimtek."""

from itertools import groupby

from telegram import Update
from telegram.ext import CommandHandler

from bot.cascade import recap as cascade_recap
from bot.core.regions import KecamatanNotFound
from bot.core.scope import OutOfScope
from bot.runtime.context import BotApplication, BotContext
from bot.runtime.guards import require_coordinator
from bot.texts import render
from bot.texts.formatting import date_long, number
from handlers.cascade.common import level_label
from handlers.common import kecamatan_not_found_text, reply, scope_label
from models import CascadeRole

# Lines of desa listed before the rest are only counted (Telegram's 4,096 characters).
MAX_LINES = 40


async def show_progress(update: Update, context: BotContext) -> None:
    """/kaskade [kecamatan] [kpps]: desa that scheduled and held their Bimtek, attendance, and who is late."""
    found = await require_coordinator(update, context)
    if found is None:
        return
    identity, scope = found
    language = identity.language
    zone = context.config.scheduler.timezone
    args = context.args or []
    level = CascadeRole.KPPS if any(a.casefold() == "kpps" for a in args) else CascadeRole.PANTARLIH
    named = " ".join(a for a in args if a.casefold() not in ("kpps", "pantarlih")).strip()
    try:
        async with context.read() as session:
            if named:
                scope = await cascade_recap.kecamatan_in_scope(session, scope, named)
            progress = await cascade_recap.cascade_progress(
                session, scope, level=level, now=context.clock.now()
            )
    except KecamatanNotFound as error:
        await reply(update, kecamatan_not_found_text(language, error))
        return
    except OutOfScope:
        own = found[1].kecamatan or ""
        await reply(update, render(language, "coordinator.out_of_scope", kecamatan=own))
        return
    total = len(progress.desa)
    parts = [
        render(
            language,
            "cascade.progress_title",
            level=level_label(language, level.value),
            scope=scope_label(language, scope),
            total=number(total, language),
            scheduled=number(progress.scheduled, language),
            held=number(progress.held, language),
        )
    ]
    lines: list[str] = []
    if scope.regency_wide:
        for kecamatan, group in groupby(progress.desa, key=lambda d: d.kecamatan):
            desa = list(group)
            lines.append(
                render(
                    language,
                    "cascade.progress_kecamatan",
                    kecamatan=kecamatan,
                    scheduled=sum(1 for d in desa if d.scheduled),
                    total=len(desa),
                    present=sum(d.present for d in desa),
                    roster=sum(d.roster for d in desa),
                )
            )
    else:
        for d in progress.desa:
            when = date_long(d.starts_at, language, zone) if d.starts_at is not None else "—"
            lines.append(
                render(
                    language,
                    "cascade.progress_desa",
                    desa=d.desa,
                    when=when,
                    present=d.present,
                    roster=d.roster,
                )
            )
    if len(lines) > MAX_LINES:
        lines = [*lines[:MAX_LINES], render(language, "cascade.progress_more", count=len(lines) - MAX_LINES)]
    parts.append("\n".join(lines))
    late = progress.late
    if not late:
        parts.append(render(language, "cascade.progress_none_late"))
        await reply(update, "\n\n".join(parts))
        return
    if progress.deadline is not None:
        title = render(
            language,
            "cascade.progress_late_deadline",
            deadline=date_long(progress.deadline, language, zone),
            count=number(len(late), language),
        )
    else:
        title = render(language, "cascade.progress_late", count=number(len(late), language))
    names = [
        render(language, "cascade.progress_late_item", desa=d.desa, kecamatan=d.kecamatan)
        for d in late[:MAX_LINES]
    ]
    if len(late) > MAX_LINES:
        names.append(render(language, "cascade.progress_more", count=len(late) - MAX_LINES))
    parts.append(title + ("\n" + "\n".join(names) if names else ""))
    await reply(update, "\n\n".join(parts))


def register(application: BotApplication) -> None:
    """Add /kaskade (coordinators; the scope is applied on every call)."""
    application.add_handler(CommandHandler("kaskade", show_progress))
