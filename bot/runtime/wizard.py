"""Wizard scaffolding for coordinator conversations (/umumkan, /tugas_baru): draft, re-check, kecamatan picker.

What every coordinator wizard needs, written once:

* a **draft** kept in the coordinator's own `user_data` under one key (`begin`, `draft`, `drop`);
* the **re-check on every step**: each message or button of the conversation asks again who is talking
  (role and scope as of now, never as of /start) and whether a draft is still in progress (`step`); a button
  that fails the check is answered (so the client stops spinning) and the conversation ends;
* the **kecamatan multi-select keyboard** (`KecamatanPicker`): two names per row, ✅ on the chosen ones,
  and a "next" button; its buttons are `<prefix>:k:<id>` and `<prefix>:k:ok`;
* **/batal**, the **conversation timeout** (30 minutes) and their messages (`conversation`);
* the **stale-button answer** (`answer_stale`): the one alert for a button that is forged, outdated or not
  this step's, used by every coordinator screen with buttons.

Usage (handlers/broadcasts/compose.py and handlers/duties/wizard.py are the examples)::

    WIZARD = Wizard("umumkan", Draft, guard=require_coordinator,
                    cancelled_key="bc.conversation_cancelled", timeout_key="bc.conversation_timeout")
    PICKER = KecamatanPicker(CallbackCodec("um"))

    async def start(update, context):            # entry point
        step = await WIZARD.begin(update, context, Draft())
        ...
    async def some_button(update, context):
        step = await WIZARD.step(update, context)
        if step is None:
            return ConversationHandler.END
        ...                                      # step.identity, step.scope, step.draft, step.language
    handler = WIZARD.conversation(CommandHandler("umumkan", start), {COMPOSE: [...], ...})

The guard is injected (bot.runtime.guards.require_coordinator: it tells a non-coordinator so). The /batal
and timeout messages go only to someone who is still a coordinator.
"""

import warnings
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.ext import BaseHandler, CommandHandler, ConversationHandler, MessageHandler, filters
from telegram.warnings import PTBUserWarning

from bot.core.identity import Identity
from bot.core.regions import WilayahEmpty, load_wilayah_index
from bot.core.scope import CoordinatorScope
from bot.runtime.callbacks import CallbackCodec, parse_id
from bot.runtime.context import BotContext
from bot.texts import render, render_plain

DraftT = TypeVar("DraftT")
Guard = Callable[[Update, BotContext], Awaitable[tuple[Identity, CoordinatorScope] | None]]
States = dict[object, list[BaseHandler[Update, BotContext, Any]]]

CONVERSATION_TIMEOUT_SECONDS = 30 * 60
CANCEL_COMMAND = "batal"


async def answer_stale(update: Update, language: str) -> None:
    """Answer a forged or outdated button with the stale-button alert (plain text: an alert has no markup)."""
    assert update.callback_query is not None
    await update.callback_query.answer(render_plain(language, "error.stale_button"), show_alert=True)


@dataclass(frozen=True)
class WizardStep(Generic[DraftT]):
    """One update of a wizard, re-checked: the coordinator as of now and their draft in progress."""

    identity: Identity
    scope: CoordinatorScope
    draft: DraftT

    @property
    def language(self) -> str:
        return self.identity.language


class Wizard(Generic[DraftT]):
    """The frame of one coordinator wizard: its draft, the re-check of every step, /batal and the timeout."""

    def __init__(
        self,
        name: str,
        draft_type: type[DraftT],
        *,
        guard: Guard,
        cancelled_key: str,
        timeout_key: str,
        timeout_seconds: float = CONVERSATION_TIMEOUT_SECONDS,
    ) -> None:
        self.name = name
        self._draft_type = draft_type
        self._key = f"{name}_draft"
        self._guard = guard
        self._cancelled_key = cancelled_key
        self._timeout_key = timeout_key
        self._timeout_seconds = timeout_seconds

    def draft(self, context: BotContext) -> DraftT | None:
        """The draft in progress, if any."""
        draft = (context.user_data or {}).get(self._key)
        return draft if isinstance(draft, self._draft_type) else None

    def drop(self, context: BotContext) -> None:
        """Forget the draft (sent, cancelled, timed out)."""
        if context.user_data is not None:
            context.user_data.pop(self._key, None)

    async def begin(self, update: Update, context: BotContext, draft: DraftT) -> WizardStep[DraftT] | None:
        """The entry point: a coordinator (else None, after telling them) starts a fresh draft."""
        found = await self._guard(update, context)
        if found is None:
            return None
        assert context.user_data is not None
        context.user_data[self._key] = draft
        return WizardStep(found[0], found[1], draft)

    async def step(self, update: Update, context: BotContext) -> WizardStep[DraftT] | None:
        """A message or button of the wizard, re-checked: still a coordinator, and a draft in progress.

        None ends the conversation; a button press is answered first so the client stops waiting."""
        found = await self._guard(update, context)
        draft = self.draft(context)
        if found is None or draft is None:
            if update.callback_query is not None:
                await update.callback_query.answer()
            return None
        return WizardStep(found[0], found[1], draft)

    async def cancel(self, update: Update, context: BotContext) -> int:
        """/batal: drop the draft and say so."""
        self.drop(context)
        found = await self._guard(update, context)
        message = update.effective_message
        if found is not None and message is not None:
            await message.reply_html(render(found[0].language, self._cancelled_key))
        return ConversationHandler.END

    async def timed_out(self, update: Update, context: BotContext) -> None:
        """The wizard was left unfinished: drop the draft and tell the coordinator."""
        self.drop(context)
        found = await self._guard(update, context)
        chat = update.effective_chat
        if found is not None and chat is not None:
            await chat.send_message(render(found[0].language, self._timeout_key), parse_mode=ParseMode.HTML)

    def conversation(
        self, entry: BaseHandler[Update, BotContext, Any], states: States
    ) -> ConversationHandler[BotContext]:
        """The ConversationHandler: the given states plus the timeout state, /batal and the timeout."""
        with warnings.catch_warnings():
            # PTB warns that callback buttons are tracked per chat, not per message; per chat is what we want.
            warnings.filterwarnings("ignore", message="If 'per_message=False'", category=PTBUserWarning)
            return ConversationHandler(
                entry_points=[entry],
                states={
                    **states,
                    ConversationHandler.TIMEOUT: [MessageHandler(filters.ALL, self.timed_out)],
                },
                fallbacks=[CommandHandler(CANCEL_COMMAND, self.cancel)],
                conversation_timeout=self._timeout_seconds,
                name=self.name,
            )


NEXT = "ok"


class KecamatanPicker:
    """The multi-select keyboard of kecamatan: `<prefix>:k:<id>` toggles one, `<prefix>:k:ok` goes on."""

    part = "k"

    def __init__(self, codec: CallbackCodec) -> None:
        self._codec = codec

    @property
    def pattern(self) -> str:
        """The CallbackQueryHandler pattern of the picker's buttons."""
        return f"{self._codec.pattern}{self.part}:"

    async def keyboard(self, context: BotContext, chosen: set[int], next_label: str) -> InlineKeyboardMarkup:
        """Every kecamatan by name, two per row, ✅ on the chosen ones; then the 'next' button."""
        async with context.read() as session:
            try:
                index = await load_wilayah_index(session, with_desa=False)
            except WilayahEmpty:
                index = None
        kecamatan = sorted(index.kecamatan_by_id.values(), key=lambda k: k.name) if index else []
        rows = [
            [
                InlineKeyboardButton(
                    ("✅ " if k.id in chosen else "") + k.name,
                    callback_data=self._codec.encode(self.part, k.id),
                )
                for k in kecamatan[i : i + 2]
            ]
            for i in range(0, len(kecamatan), 2)
        ]
        rows.append([InlineKeyboardButton(next_label, callback_data=self._codec.encode(self.part, NEXT))])
        return InlineKeyboardMarkup(rows)

    async def press(
        self, update: Update, context: BotContext, chosen: set[int], next_label: str, language: str
    ) -> bool:
        """Handle a press on the picker: toggle a kecamatan in `chosen` and redraw the keyboard, or, for the
        'next' button, remove the keyboard. True when the coordinator went on; a forged button gets the
        stale-button answer and changes nothing."""
        query = update.callback_query
        assert query is not None
        choice = self.read(query.data)
        if choice is None:
            await answer_stale(update, language)
            return False
        await query.answer()
        if choice == NEXT:
            await query.edit_message_reply_markup(None)
            return True
        assert isinstance(choice, int)
        chosen ^= {choice}
        await query.edit_message_reply_markup(await self.keyboard(context, chosen, next_label))
        return False

    def read(self, data: str | None) -> int | str | None:
        """A picker button: the kecamatan id to toggle, NEXT, or None when forged or stale."""
        parts = self._codec.decode(data)
        if parts is None or len(parts) != 2 or parts[0] != self.part:
            return None
        if parts[1] == NEXT:
            return NEXT
        return parse_id(parts[1])
