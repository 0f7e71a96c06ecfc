"""Waiting helpers for conversation tests: wait on the bot's own events, never on the clock."""

import asyncio

from bot.context import BotApplication
from bot.processing import PerUserUpdateProcessor


async def bot_idle(application: BotApplication, timeout: float = 5.0) -> None:
    """Wait until the bot has finished every update it is processing."""
    processor = application.update_processor
    assert isinstance(processor, PerUserUpdateProcessor)
    await asyncio.wait_for(processor.wait_idle(), timeout)
