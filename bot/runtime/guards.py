"""Who is behind an update (resolved once per update), and the guards that turn away who may not go on.

Every handler starts with one of these lines instead of its own "coordinator only" or "registered only" check:

    found = await require_coordinator(update, context)   # (identity, scope), or None: the refusal was sent
    if found is None:
        return
    identity, scope = found

* `current_identity(update, context)`: the person (member, coordinator, both or neither); never refuses.
* `require_registered`: a roster member or a coordinator; others are told "error.not_registered".
* `require_member`: a roster member, as (identity, member); others are told "error.not_registered".
* `require_coordinator`: a coordinator, as (identity, scope); others are told "error.not_coordinator".
  The scope still has to be checked against what is asked (bot.core.scope) on every call and button.
* `require_desa_coordinator`: a PPS member coordinating their desa's cascade, as (identity, desa scope);
  others are told "cascade.not_pps".

A refusal is answered in the chat the update came from, in the person's language, as Telegram HTML; on a
button press the spinner is left to the handler (it answers the query after the guard, as before).

Updates without a sender (a channel post, a poll) never reach a handler: `drop_updates_without_sender` runs
first (bot/app.py registers it in group SENDERLESS_GROUP) and ends their processing.
"""

from telegram import Update
from telegram.ext import ApplicationHandlerStop

from bot.core.identity import (
    CoordinatorScope,
    DesaScope,
    Identity,
    MemberView,
    account_is_current,
    identify,
    touch_account,
)
from bot.runtime.context import BotContext
from bot.texts import render

# Before every other handler group, so no handler ever sees an update without a person behind it.
SENDERLESS_GROUP = -100


async def drop_updates_without_sender(update: object, _context: BotContext) -> None:
    """End the processing of an update nobody sent (e.g. a channel post of `/start ci-…`): nobody to answer."""
    if not isinstance(update, Update) or update.effective_user is None:
        raise ApplicationHandlerStop


async def current_identity(update: Update, context: BotContext) -> Identity:
    """The person behind the update (resolved once per update), creating their account row on first contact."""
    if context.identity is not None:
        return context.identity
    context.identity = await _resolve_identity(update, context)
    return context.identity


async def _resolve_identity(update: Update, context: BotContext) -> Identity:
    user = update.effective_user
    assert user is not None  # drop_updates_without_sender keeps sender-less updates from every handler
    admins = frozenset(context.config.bot.admins)
    default_language = context.config.bot.default_language
    # Most updates come from people the bot already knows: a read, which on SQLite takes no write lock.
    async with context.read() as session:
        if await account_is_current(session, user.id):
            return await identify(session, user.id, admins=admins, default_language=default_language)
    async with context.transaction() as session:
        await touch_account(session, user.id, user.first_name, user.language_code)
        return await identify(session, user.id, admins=admins, default_language=default_language)


async def _refuse(update: Update, identity: Identity, key: str) -> None:
    message = update.effective_message
    assert message is not None
    await message.reply_html(render(identity.language, key))


async def require_registered(update: Update, context: BotContext) -> Identity | None:
    """The member or coordinator behind the update, or None after telling anyone else to register."""
    identity = await current_identity(update, context)
    if not identity.registered:
        await _refuse(update, identity, "error.not_registered")
        return None
    return identity


async def require_member(update: Update, context: BotContext) -> tuple[Identity, MemberView] | None:
    """The roster member behind the update, or None after telling a non-member to register."""
    identity = await current_identity(update, context)
    if identity.member is None:
        await _refuse(update, identity, "error.not_registered")
        return None
    return identity, identity.member


async def require_coordinator(
    update: Update, context: BotContext
) -> tuple[Identity, CoordinatorScope] | None:
    """The coordinator behind the update with their scope, or None after telling a non-coordinator so."""
    identity = await current_identity(update, context)
    if identity.coordinator is None:
        await _refuse(update, identity, "error.not_coordinator")
        return None
    return identity, identity.coordinator


async def require_desa_coordinator(update: Update, context: BotContext) -> tuple[Identity, DesaScope] | None:
    """The PPS member behind the update with the desa they coordinate, or None after telling others so."""
    identity = await current_identity(update, context)
    scope = identity.desa_scope
    if scope is None:
        await _refuse(update, identity, "cascade.not_pps")
        return None
    return identity, scope
