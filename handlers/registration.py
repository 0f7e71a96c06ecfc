"""Registration conversation: /start, /daftar, the shared contact and the confirmation buttons."""

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.broadcasts.compose import deliver_to_late_registrant
from bot.core.identity import Identity, touch_account
from bot.core.phones import display
from bot.registration import linking as registration
from bot.runtime.callbacks import CallbackCodec, parse_id
from bot.runtime.context import BotApplication, BotContext
from bot.texts import Safe, render
from handlers.common import (
    PARSE_MODE,
    current_identity,
    place_lines,
    place_short,
    position_label,
    reply,
    scope_label,
)
from handlers.privacy import privacy_notice

# 'reg:y:<member id>' confirms (0 for a coordinator who is not on the roster), 'reg:n' declines.
CONFIRM_BUTTON = CallbackCodec("reg")


def _already_text(identity: Identity) -> str:
    member = identity.member
    assert member is not None
    language = identity.language
    return render(
        language,
        "register.already",
        name=member.name,
        position=position_label(language, member),
        place_short=place_short(language, member),
    )


async def start(update: Update, context: BotContext) -> None:
    """Greet; explain how to register to someone who is not registered yet."""
    identity = await current_identity(update, context)
    language = identity.language
    user = update.effective_user
    assert user is not None
    if identity.member is not None:
        role_line = f"{position_label(language, identity.member)}, {place_short(language, identity.member)}"
        await reply(
            update, render(language, "start.registered", name=identity.member.name, role_line=role_line)
        )
    elif identity.coordinator is not None:
        scope = scope_label(language, identity.coordinator)
        await reply(update, render(language, "start.coordinator", scope=scope))
    else:
        await reply(update, render(language, "start.unregistered", first_name=user.first_name))


async def ask_for_contact(update: Update, context: BotContext) -> None:
    """Ask for the phone number with a button that shares the person's own contact."""
    identity = await current_identity(update, context)
    if identity.member is not None:
        await reply(update, _already_text(identity))
        return
    language = identity.language
    keyboard = ReplyKeyboardMarkup(
        [[KeyboardButton(render(language, "register.button_share"), request_contact=True)]],
        resize_keyboard=True,
        one_time_keyboard=True,
    )
    await reply(update, render(language, "register.ask_contact"), reply_markup=keyboard)


def _refusal_text(language: str, error: registration.RegistrationError, identity: Identity) -> str:
    match error:
        case registration.ContactWithoutUser():
            return render(language, "register.no_user_id")
        case registration.ForeignContact():
            return render(language, "register.foreign_contact")
        case registration.InvalidPhone(phone=phone):
            return render(language, "register.invalid_phone", phone=phone)
        case registration.NotOnRoster(phone=phone):
            return render(language, "register.not_on_roster", phone=display(phone))
        case registration.LinkedToOtherAccount(phone=phone):
            return render(language, "register.linked_elsewhere", phone=display(phone))
        case registration.AlreadyRegistered(member=member):
            return _already_text(Identity(identity.telegram_user_id, language, member, identity.coordinator))
        case _:
            return render(language, "register.expired")


async def receive_contact(update: Update, context: BotContext) -> None:
    """Check the shared contact, match it to the roster and ask the person to confirm."""
    message = update.effective_message
    user = update.effective_user
    assert message is not None and message.contact is not None and user is not None
    identity = await current_identity(update, context)
    language = identity.language
    refusal: registration.RegistrationError | None = None
    async with context.transaction() as session:
        account = await touch_account(session, user.id, user.first_name, user.language_code)
        try:
            match = await registration.verify_contact(
                session,
                account,
                contact_user_id=message.contact.user_id,
                contact_phone=message.contact.phone_number,
            )
        except registration.RegistrationError as error:
            # Caught inside the transaction on purpose: refused attempts are recorded for review.
            refusal = error
    if refusal is not None:
        if isinstance(refusal, registration.ContactWithoutUser | registration.ForeignContact):
            await reply(update, _refusal_text(language, refusal, identity))
        else:
            await reply(
                update, _refusal_text(language, refusal, identity), reply_markup=ReplyKeyboardRemove()
            )
        return
    if match.member is not None:
        summary = render(
            language,
            "register.confirm",
            name=match.member.name,
            position=position_label(language, match.member),
            place=Safe(place_lines(language, match.member)),
        )
        member_id = match.member.id
    else:
        assert match.coordinator is not None
        summary = render(
            language,
            "register.confirm_coordinator",
            scope=scope_label(language, match.coordinator),
        )
        member_id = 0
    # UU PDP: what is stored, why, who sees it, how long, and how to see or remove it, before consenting.
    summary = await privacy_notice(language, context.config) + "\n\n" + summary
    buttons = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    render(language, "register.button_yes"),
                    callback_data=CONFIRM_BUTTON.encode("y", member_id),
                ),
                InlineKeyboardButton(
                    render(language, "register.button_no"), callback_data=CONFIRM_BUTTON.encode("n")
                ),
            ]
        ]
    )
    await reply(update, render(language, "register.thanks"), reply_markup=ReplyKeyboardRemove())
    await reply(update, summary, reply_markup=buttons)


async def confirm(update: Update, context: BotContext) -> None:
    """Link the account after the person tapped 'Ya, benar' (or leave it unlinked after 'Bukan saya')."""
    query = update.callback_query
    assert query is not None and query.data is not None
    identity = await current_identity(update, context)
    language = identity.language
    parts = CONFIRM_BUTTON.decode(query.data)
    if parts and parts[0] == "n":
        await query.answer()
        await query.edit_message_text(render(language, "register.declined"), parse_mode=PARSE_MODE)
        return
    match parts:
        case ("y", "0"):
            member_id: int | None = None
        case ("y", written) if (parsed := parse_id(written)) is not None:
            member_id = parsed
        case _:
            # Forged or mangled (an id no database integer holds): the same answer as any stale button.
            await query.answer(render(language, "error.stale_button"), show_alert=True)
            return
    refusal: registration.RegistrationError | None = None
    async with context.transaction() as session:
        try:
            match = await registration.confirm_registration(session, identity.telegram_user_id, member_id)
        except registration.RegistrationError as error:
            refusal = error
    await query.answer()
    if refusal is not None:
        await query.edit_message_text(_refusal_text(language, refusal, identity), parse_mode=PARSE_MODE)
        return
    if match.member is not None:
        text = render(language, "register.done", name=match.member.name)
    else:
        assert match.coordinator is not None
        text = render(language, "register.coordinator_done", scope=scope_label(language, match.coordinator))
    await query.edit_message_text(text, parse_mode=PARSE_MODE)
    if match.member is not None:
        # Announcements marked "also for late registrants" reach people who register afterwards.
        async with context.transaction() as session:
            queued = await deliver_to_late_registrant(
                session,
                match.member.id,
                identity.telegram_user_id,
                now=context.clock.now(),
                zone=context.config.scheduler.timezone,
            )
        if queued:
            context.bot_data.outbox.wake()


def register(application: BotApplication) -> None:
    """Add this conversation's handlers."""
    application.add_handler(CommandHandler("start", start))
    application.add_handler(CommandHandler("daftar", ask_for_contact))
    application.add_handler(MessageHandler(filters.CONTACT & filters.ChatType.PRIVATE, receive_contact))
    application.add_handler(CallbackQueryHandler(confirm, pattern=CONFIRM_BUTTON.pattern))
