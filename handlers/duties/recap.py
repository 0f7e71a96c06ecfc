"""/rekap_tugas: per duty, done / total in the coordinator's scope, then per kecamatan and its desa not done."""

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update

from bot.core.scope import CoordinatorScope, OutOfScope
from bot.duties import progress as duty_progress
from bot.runtime.context import BotContext
from bot.runtime.guards import require_coordinator
from bot.texts import render, render_plain
from bot.texts.formatting import date_time, number, percent
from handlers.common import reply, scope_label
from handlers.duties.callbacks import (
    read_recap_button,
    recap_duty_button,
    recap_kecamatan_button,
    recap_list_button,
)
from handlers.duties.common import edit, short, zone_of
from models import DutyCompletion

Shown = tuple[str, InlineKeyboardMarkup | None]


def _unit(language: str, completion: DutyCompletion) -> str:
    return render(language, f"duty.unit.{completion.value}")


def _share(language: str, done: int, total: int) -> str:
    return percent(done / total, language) if total else "–"


def _back(language: str, data: str) -> list[InlineKeyboardButton]:
    return [InlineKeyboardButton(render_plain(language, "duty.recap.back"), callback_data=data)]


async def recap(update: Update, context: BotContext) -> None:
    """/rekap_tugas: per duty, done / total in my scope; a button per duty for the details."""
    found = await require_coordinator(update, context)
    if found is None:
        return
    identity, scope = found
    text, markup = await _recap_list(context, identity.language, scope)
    await reply(update, text, reply_markup=markup)


async def _recap_list(context: BotContext, language: str, scope: CoordinatorScope) -> Shown:
    zone = zone_of(context)
    async with context.read() as session:
        rows = await duty_progress.duty_recap(session, scope)
    if not rows:
        return render(language, "duty.recap.none"), None
    lines = [render(language, "duty.recap.title", scope=scope_label(language, scope))]
    buttons = []
    for n, row in enumerate(rows, start=1):
        lines.append(
            render(
                language,
                "duty.recap.line",
                n=n,
                title=row.title,
                due=date_time(row.due_at, language, zone),
                done=number(row.done, language),
                total=number(row.total, language),
                unit=_unit(language, row.completion),
                share=_share(language, row.done, row.total),
            )
        )
        buttons.append(
            [
                InlineKeyboardButton(
                    render_plain(language, "duty.recap.button", n=n, title=short(row.title)),
                    callback_data=recap_duty_button(row.id),
                )
            ]
        )
    lines.append(render(language, "duty.recap.hint"))
    return "\n".join(lines), InlineKeyboardMarkup(buttons)


async def _recap_duty(
    context: BotContext, language: str, scope: CoordinatorScope, duty_id: int
) -> Shown | None:
    if scope.kecamatan_id is not None:
        return await _recap_kecamatan(context, language, scope, duty_id, scope.kecamatan_id)
    zone = zone_of(context)
    async with context.read() as session:
        progress = await duty_progress.duty_progress(session, duty_id, scope)
    if progress is None:
        return None
    lines = [
        render(
            language,
            "duty.recap.duty_title",
            title=progress.title,
            due=date_time(progress.due_at, language, zone),
            done=number(progress.done, language),
            total=number(progress.total, language),
            unit=_unit(language, progress.completion),
            share=_share(language, progress.done, progress.total),
        )
    ]
    buttons: list[list[InlineKeyboardButton]] = []
    for line in progress.kecamatan:
        lines.append(
            render(
                language,
                "duty.recap.kecamatan_line",
                kecamatan=line.name,
                done=number(line.done, language),
                total=number(line.total, language),
            )
        )
    pending = [line for line in progress.kecamatan if line.done < line.total]
    for i in range(0, len(pending), 2):
        buttons.append(
            [
                InlineKeyboardButton(
                    render_plain(
                        language,
                        "duty.recap.kecamatan_button",
                        kecamatan=line.name,
                        pending=line.total - line.done,
                    ),
                    callback_data=recap_kecamatan_button(duty_id, line.kecamatan_id),
                )
                for line in pending[i : i + 2]
            ]
        )
    if pending:
        lines.append(render(language, "duty.recap.kecamatan_hint"))
    buttons.append(_back(language, recap_list_button()))
    return "\n".join(lines), InlineKeyboardMarkup(buttons)


async def _recap_kecamatan(
    context: BotContext, language: str, scope: CoordinatorScope, duty_id: int, kecamatan_id: int
) -> Shown | None:
    zone = zone_of(context)
    async with context.read() as session:
        detail = await duty_progress.kecamatan_detail(session, duty_id, kecamatan_id, scope)
    if detail is None:
        return None
    duty, line = detail.duty, detail.kecamatan
    lines = [
        render(
            language,
            "duty.recap.desa_title",
            title=duty.title,
            kecamatan=line.name,
            due=date_time(duty.due_at, language, zone),
            done=number(line.done, language),
            total=number(line.total, language),
            unit=_unit(language, duty.completion),
        )
    ]
    pending = detail.pending
    if not pending:
        lines.append(render(language, "duty.recap.all_done"))
    else:
        lines.append(render(language, "duty.recap.pending_heading", count=number(len(pending), language)))
        for desa in pending:
            if duty.completion is DutyCompletion.DESA:
                lines.append(render(language, "duty.recap.desa_line", desa=desa.name))
            else:
                lines.append(
                    render(
                        language,
                        "duty.recap.desa_members_line",
                        desa=desa.name,
                        done=desa.done,
                        total=desa.total,
                        names=", ".join(desa.missing),
                    )
                )
    back = recap_duty_button(duty_id) if scope.regency_wide else recap_list_button()
    return "\n".join(lines), InlineKeyboardMarkup([_back(language, back)])


async def press_recap_button(update: Update, context: BotContext) -> None:
    """Buttons of /rekap_tugas: a duty per kecamatan, a kecamatan's desa not done, back (scope checked again)."""
    query = update.callback_query
    assert query is not None and query.data is not None
    found = await require_coordinator(update, context)
    if found is None:
        await query.answer()
        return
    identity, scope = found
    language = identity.language
    message = query.message if isinstance(query.message, Message) else None
    press = read_recap_button(query.data)
    shown: Shown | None = None
    try:
        if press is not None and press.duty_id is None:
            shown = await _recap_list(context, language, scope)
        elif press is not None and press.duty_id is not None and press.kecamatan_id is None:
            shown = await _recap_duty(context, language, scope, press.duty_id)
        elif press is not None and press.duty_id is not None and press.kecamatan_id is not None:
            shown = await _recap_kecamatan(context, language, scope, press.duty_id, press.kecamatan_id)
    except OutOfScope:
        await query.answer(
            render_plain(language, "coordinator.out_of_scope", kecamatan=scope.kecamatan or ""),
            show_alert=True,
        )
        return
    if shown is None:
        await query.answer(render_plain(language, "error.stale_button"), show_alert=True)
        return
    await query.answer()
    if message is not None:
        await edit(message, *shown)
