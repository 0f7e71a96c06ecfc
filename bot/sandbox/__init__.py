"""Local Telegram Bot API emulator (real HTTP on 127.0.0.1) with simulated users, limits and faults."""

from bot.sandbox.client import make_bot, sandbox_request
from bot.sandbox.errors import ApiError
from bot.sandbox.faults import Fault, FaultInjector, FloodControl, TelegramLimits
from bot.sandbox.html import HtmlParseError, ParsedText, parse_html
from bot.sandbox.models import (
    BotMessage,
    CallbackAnswer,
    CallRecord,
    InlineButton,
    ReplyButton,
    SandboxStats,
    StoredFile,
)
from bot.sandbox.sandbox import Sandbox
from bot.sandbox.spec import ApiSpec, default_spec_path
from bot.sandbox.users import SELF, SimUser
from bot.sandbox.waiting import SandboxTimeout

__all__ = [
    "SELF",
    "ApiError",
    "ApiSpec",
    "BotMessage",
    "CallRecord",
    "CallbackAnswer",
    "Fault",
    "FaultInjector",
    "FloodControl",
    "HtmlParseError",
    "InlineButton",
    "ParsedText",
    "ReplyButton",
    "Sandbox",
    "SandboxStats",
    "SandboxTimeout",
    "SimUser",
    "StoredFile",
    "TelegramLimits",
    "default_spec_path",
    "make_bot",
    "parse_html",
    "sandbox_request",
]
