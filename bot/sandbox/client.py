"""Convenience for pointing python-telegram-bot at a sandbox (cheap to create, real HTTP stack)."""

from __future__ import annotations

import functools
import ssl
from typing import TYPE_CHECKING, Any

from telegram import Bot
from telegram.request import HTTPXRequest

if TYPE_CHECKING:
    from bot.sandbox.sandbox import Sandbox

__all__ = ["make_bot", "sandbox_request"]


@functools.cache
def _ssl_context() -> ssl.SSLContext:
    # httpx loads the CA bundle for every client (~50 ms); the sandbox speaks plain HTTP, so one
    # shared default context is enough and keeps test set-up fast.
    return ssl.create_default_context()


def sandbox_request(**kwargs: Any) -> HTTPXRequest:
    """An :class:`HTTPXRequest` (PTB's real HTTP stack) that reuses one SSL context."""
    httpx_kwargs = {"verify": _ssl_context(), **kwargs.pop("httpx_kwargs", {})}
    return HTTPXRequest(httpx_kwargs=httpx_kwargs, **kwargs)


def make_bot(sandbox: Sandbox, **kwargs: Any) -> Bot:
    """``telegram.Bot`` talking to ``sandbox``; extra keyword arguments go to ``Bot``."""
    kwargs.setdefault("request", sandbox_request())
    kwargs.setdefault("get_updates_request", sandbox_request())
    return Bot(sandbox.token, base_url=sandbox.base_url, base_file_url=sandbox.base_file_url, **kwargs)
