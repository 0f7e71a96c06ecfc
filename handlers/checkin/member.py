"""Member side of the Bimtek: /jadwal, /hadir with a code, the QR deep link, and the location step."""

from telegram import KeyboardButton, Message, ReplyKeyboardMarkup, ReplyKeyboardRemove, Update
from telegram.ext import CommandHandler, MessageHandler, filters

from bot.checkin import rules as checkin
from bot.checkin.codes import CheckInLink, normalize_typed_code
from bot.runtime.context import BotApplication, BotContext
from bot.runtime.guards import require_member
from bot.texts import render
from bot.texts.formatting import date_long, distance, time_range, time_short
from handlers.common import current_identity, reply

# Where a correct code waits for its location (a checkin.PendingLocation) in the member's user_data.
PENDING_KEY = "pending_checkin"


def _refusal(context: BotContext, language: str, error: checkin.CheckInRefused) -> str:
    zone = context.config.scheduler.timezone
    match error:
        case checkin.NotRegistered():
            return render(language, "error.not_registered")
        case checkin.NoSession():
            return render(language, "checkin.no_session")
        case checkin.NoSessionToday(session=s):
            return render(language, "checkin.not_today", date=date_long(s.starts_at, language, zone))
        case checkin.NotYetOpen(session=s):
            return render(language, "checkin.not_open", time=time_short(s.checkin_opens_at, language, zone))
        case checkin.AlreadyClosed(session=s):
            return render(language, "checkin.closed", time=time_short(s.checkin_closes_at, language, zone))
        case checkin.ForwardedLocation():
            return render(language, "checkin.forwarded_location")
        case checkin.OtherKecamatanCode(kecamatan=kecamatan):
            return render(language, "checkin.other_kecamatan", kecamatan=kecamatan)
        case checkin.OtherDesaCode(desa=desa):
            return render(language, "checkin.other_desa", desa=desa)
        case checkin.TooFar(distance=far, radius=radius, session=s):
            return render(
                language,
                "checkin.too_far",
                distance=distance(far, language),
                venue=s.venue,
                radius=distance(radius, language),
            )
        case _:
            return render(language, "checkin.wrong_code", minutes=context.config.checkin.code_window_minutes)


def _location_keyboard(language: str) -> ReplyKeyboardMarkup:
    return ReplyKeyboardMarkup(
        [[KeyboardButton(render(language, "checkin.button_location"), request_location=True)]],
        resize_keyboard=True,
        one_time_keyboard=True,
    )


async def _answer_outcome(
    update: Update,
    context: BotContext,
    language: str,
    outcome: checkin.CheckedIn | checkin.NeedsLocation,
) -> Message:
    zone = context.config.scheduler.timezone
    if isinstance(outcome, checkin.NeedsLocation):
        assert context.user_data is not None
        context.user_data[PENDING_KEY] = checkin.PendingLocation(
            outcome.session.id, outcome.method, context.clock.now()
        )
        radius = distance(outcome.session.radius_m or 0, language)
        return await reply(
            update,
            render(language, "checkin.ask_location", venue=outcome.session.venue, radius=radius),
            reply_markup=_location_keyboard(language),
        )
    if context.user_data is not None:
        context.user_data.pop(PENDING_KEY, None)
    record = outcome.check_in
    when = time_short(record.at, language, zone)
    if outcome.already:
        return await reply(
            update, render(language, "checkin.already", time=when), reply_markup=ReplyKeyboardRemove()
        )
    text = render(
        language,
        "checkin.done",
        name=record.member_name,
        venue=record.session.venue,
        kecamatan=record.session.kecamatan,
        time=when,
    )
    return await reply(update, text, reply_markup=ReplyKeyboardRemove())


async def _check_in_with_code(
    update: Update, context: BotContext, code: str, qr_session_id: int | None
) -> None:
    identity = await current_identity(update, context)
    language = identity.language
    try:
        async with context.transaction() as session:
            outcome = await checkin.check_in_with_code(
                session,
                identity.telegram_user_id,
                code=code,
                qr_session_id=qr_session_id,
                now=context.clock.now(),
                zone=context.config.scheduler.timezone,
                window_minutes=context.config.checkin.code_window_minutes,
            )
    except checkin.CheckInRefused as error:
        await reply(update, _refusal(context, language, error))
        return
    await _answer_outcome(update, context, language, outcome)


async def check_in_from_qr(update: Update, context: BotContext) -> None:
    """/start ci-<session>-<code>: the phone's camera opened the venue's QR deep link."""
    payload = context.args[0] if context.args else ""
    link = CheckInLink.parse(payload)
    if link is None:
        identity = await current_identity(update, context)
        await reply(update, _refusal(context, identity.language, checkin.WrongCode()))
        return
    await _check_in_with_code(update, context, link.code, link.session_id)


async def check_in_command(update: Update, context: BotContext) -> None:
    """/hadir [kode]: check in with the code on the screen, or be told how (code or location)."""
    typed = " ".join(context.args or [])
    if typed:
        code = normalize_typed_code(typed)
        if code is None:
            identity = await current_identity(update, context)
            await reply(update, _refusal(context, identity.language, checkin.WrongCode()))
            return
        await _check_in_with_code(update, context, code, None)
        return
    identity = await current_identity(update, context)
    language = identity.language
    try:
        async with context.read() as session:
            located = await checkin.session_for_location(
                session,
                identity.telegram_user_id,
                now=context.clock.now(),
                zone=context.config.scheduler.timezone,
            )
    except checkin.CheckInRefused as error:
        await reply(update, _refusal(context, language, error))
        return
    if located is None:
        await reply(update, render(language, "checkin.ask_code"))
        return
    radius = distance(located.radius_m or 0, language)
    await reply(
        update,
        render(language, "checkin.ask_location_only", venue=located.venue, radius=radius),
        reply_markup=_location_keyboard(language),
    )


async def receive_location(update: Update, context: BotContext) -> None:
    """A shared location completes a check-in (after a code, or on its own where the session has a radius)."""
    message = update.effective_message
    assert message is not None and message.location is not None
    identity = await current_identity(update, context)
    language = identity.language
    pending = context.user_data.get(PENDING_KEY) if context.user_data is not None else None
    try:
        async with context.transaction() as session:
            outcome = await checkin.check_in_with_location(
                session,
                identity.telegram_user_id,
                latitude=message.location.latitude,
                longitude=message.location.longitude,
                forwarded=message.forward_origin is not None,
                pending=pending if isinstance(pending, checkin.PendingLocation) else None,
                now=context.clock.now(),
                zone=context.config.scheduler.timezone,
            )
    except checkin.CheckInRefused as error:
        # A forwarded location is refused with the button that shares the member's own.
        again = isinstance(error, checkin.ForwardedLocation)
        await reply(
            update,
            _refusal(context, language, error),
            reply_markup=_location_keyboard(language) if again else None,
        )
        return
    if isinstance(outcome, checkin.NeedsLocation):
        # The session has no radius: a location proves nothing there, the code does.
        await reply(update, render(language, "checkin.ask_code"), reply_markup=ReplyKeyboardRemove())
        return
    await _answer_outcome(update, context, language, outcome)


async def show_schedule(update: Update, context: BotContext) -> None:
    """/jadwal: my venue on a map, the date and times in WIB, and whether I have checked in."""
    found = await require_member(update, context)
    if found is None:
        return
    identity, member = found
    language = identity.language
    zone = context.config.scheduler.timezone
    async with context.read() as session:
        training, record = await checkin.my_session(
            session, identity.telegram_user_id, now=context.clock.now(), zone=zone
        )
    if training is None:
        await reply(update, render(language, "schedule.none", kecamatan=member.kecamatan))
        return
    message = update.effective_message
    assert message is not None
    if training.latitude or training.longitude:  # a desa's session given by a typed address has no map
        await message.reply_venue(
            latitude=training.latitude,
            longitude=training.longitude,
            title=training.venue,
            address=training.address,
        )
    if record is not None:
        status = render(language, "schedule.status_present", time=time_short(record.at, language, zone))
    else:
        status = render(language, "schedule.status_absent")
    text = render(
        language,
        "schedule.card",
        kecamatan=training.kecamatan,
        venue=training.venue,
        address=training.address or "-",
        date=date_long(training.starts_at, language, zone),
        times=time_range(training.starts_at, training.ends_at, language, zone),
        checkin_times=time_range(training.checkin_opens_at, training.checkin_closes_at, language, zone),
        status=status,
    )
    await reply(update, text)


def register(application: BotApplication) -> None:
    """Add the member-side check-in handlers (register before the plain /start: this one takes QR links)."""
    application.add_handler(CommandHandler("start", check_in_from_qr, filters=filters.Regex(r"^/start ci-")))
    application.add_handler(CommandHandler("hadir", check_in_command))
    application.add_handler(CommandHandler("jadwal", show_schedule))
    application.add_handler(MessageHandler(filters.LOCATION & filters.ChatType.PRIVATE, receive_location))
