"""The bot's HTTP transport to the Bot API: python-telegram-bot's request interface on aiohttp's client.

python-telegram-bot sends through httpx by default. Under a broadcast's hundreds of concurrent requests,
httpx's connection pool scans every queued request and every idle connection (with a system call each)
for every request, and that bookkeeping, not the bot, was most of the CPU per message (issue 12's
profile). aiohttp's client, which the project already has for its web servers, takes a free connection
from a queue and parses responses in C. ``BaseRequest`` is the library's documented seam for another
HTTP library; everything above it (parameters, files, errors, 429 handling) stays python-telegram-bot's.
"""

from __future__ import annotations

import functools
import ssl
import urllib.request
from typing import Any
from urllib.parse import urlencode, urlsplit

import aiohttp
import certifi
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

__all__ = ["REPLY_CONNECTIONS", "AiohttpTransport"]

REPLY_CONNECTIONS = 32
"""Connections kept beside the broadcast's in-flight cap, so replies never wait for a free one."""

_NOT_SENT_MESSAGE = (
    "Timed out before sending: no connection to Telegram could be opened, or all of them were busy. "
    "The request was not sent."
)


class AiohttpTransport(BaseRequest):
    """Requests to the Bot API over one aiohttp ``ClientSession`` with up to ``pool_size`` connections.

    The timeouts have python-telegram-bot's meanings and defaults (``HTTPXRequest``'s): aiohttp has no
    write timeout, so a request as a whole is bounded by the sum of the four (the write timeout is
    ``media_write_timeout`` when files are uploaded)."""

    __slots__ = (
        "_connect_timeout",
        "_media_write_timeout",
        "_pool_size",
        "_pool_timeout",
        "_proxies",
        "_read_timeout",
        "_session",
        "_write_timeout",
    )

    def __init__(
        self,
        *,
        pool_size: int = 256,
        connect_timeout: float | None = 5.0,
        read_timeout: float | None = 5.0,
        write_timeout: float | None = 5.0,
        media_write_timeout: float | None = 20.0,
        pool_timeout: float | None = 1.0,
    ) -> None:
        if pool_size < 1:
            raise ValueError("pool_size must be at least 1")
        self._pool_size = pool_size
        self._connect_timeout = connect_timeout
        self._read_timeout = read_timeout
        self._write_timeout = write_timeout
        self._media_write_timeout = media_write_timeout
        self._pool_timeout = pool_timeout
        # A ClientSession belongs to the loop it is made on, so it is made in initialize(), not here.
        self._session: aiohttp.ClientSession | None = None
        self._proxies: dict[tuple[str, str], str | None] = {}

    @property
    def read_timeout(self) -> float | None:
        """The default read timeout (python-telegram-bot adds it to getUpdates' long-poll timeout)."""
        return self._read_timeout

    async def initialize(self) -> None:
        """Opens the session (again, after a shutdown)."""
        if self._session is not None and not self._session.closed:
            return
        connector = aiohttp.TCPConnector(limit=self._pool_size, limit_per_host=0, ssl=_tls())
        # Not trust_env: aiohttp would then read ~/.netrc and the proxy variables on a worker thread for
        # every request. The proxy is looked up once per host instead (_proxy); Telegram sets no cookies.
        self._session = aiohttp.ClientSession(
            connector=connector,
            headers={"User-Agent": self.USER_AGENT},
            timeout=aiohttp.ClientTimeout(total=None),
            cookie_jar=aiohttp.DummyCookieJar(),
        )

    async def shutdown(self) -> None:
        """Closes the session and its connections."""
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """One request; a timeout becomes ``TimedOut`` and any other client failure ``NetworkError``."""
        session = self._session
        if session is None or session.closed:
            raise RuntimeError("This AiohttpTransport is not initialized!")
        files = request_data.multipart_data if request_data else None
        timeout = self._timeout(read_timeout, write_timeout, connect_timeout, pool_timeout, bool(files))
        try:
            async with session.request(
                method,
                url,
                data=_body(request_data, files),
                headers=_FORM if request_data and not files else None,
                timeout=timeout,
                proxy=self._proxy(url),
                # Never follow a redirect (httpx, python-telegram-bot's default, does not either): the
                # token is in the path, and a redirect would send it on to wherever the answer points.
                allow_redirects=False,
            ) as response:
                return response.status, await response.read()
        except aiohttp.ConnectionTimeoutError as error:  # waiting for a connection, or opening one
            raise TimedOut(message=_NOT_SENT_MESSAGE) from error
        except TimeoutError as error:  # aiohttp's own timeouts are TimeoutErrors too
            raise TimedOut from error
        except aiohttp.ClientError as error:
            # The class name says what went wrong when the message is empty (as httpx's errors do in
            # python-telegram-bot's own transport). Some errors quote the URL, whose path holds the
            # token: the path is left out.
            text = str(error).replace(urlsplit(url).path, "/…")
            raise NetworkError(f"aiohttp.{error.__class__.__name__}: {text}") from error

    def _proxy(self, url: str) -> str | None:
        """The proxy the environment names for this URL's host (HTTPS_PROXY, NO_PROXY …), as httpx would."""
        parts = urlsplit(url)
        key = (parts.scheme, parts.hostname or "")
        if key not in self._proxies:
            proxies = urllib.request.getproxies()
            bypass = urllib.request.proxy_bypass(key[1]) if key[1] else True
            self._proxies[key] = None if bypass else proxies.get(key[0]) or proxies.get("all")
        return self._proxies[key]

    def _timeout(
        self, read: Any, write: Any, connect: Any, pool: Any, uploads_files: bool
    ) -> aiohttp.ClientTimeout:
        read = self._read_timeout if read is BaseRequest.DEFAULT_NONE else read
        connect = self._connect_timeout if connect is BaseRequest.DEFAULT_NONE else connect
        pool = self._pool_timeout if pool is BaseRequest.DEFAULT_NONE else pool
        if write is BaseRequest.DEFAULT_NONE:
            write = self._media_write_timeout if uploads_files else self._write_timeout
        parts = (read, write, connect, pool)
        total = None if any(part is None for part in parts) else sum(parts)
        # aiohttp's "connect" covers waiting for a free connection and opening a new one.
        waiting = None if pool is None or connect is None else pool + connect
        return aiohttp.ClientTimeout(total=total, connect=waiting, sock_connect=connect, sock_read=read)


@functools.cache
def _tls() -> ssl.SSLContext:
    # Loading the CA bundle takes ~50 ms; one context serves every transport (httpx's bundle: certifi).
    return ssl.create_default_context(cafile=certifi.where())


_FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def _body(
    request_data: RequestData | None, files: dict[str, tuple[str, Any, str]] | None
) -> aiohttp.FormData | bytes | None:
    """The form python-telegram-bot's httpx transport sends: url-encoded, or multipart with ``files``
    (``request_data.multipart_data``, which the caller has already built once)."""
    if request_data is None:
        return None
    parameters = request_data.json_parameters
    if not files:
        return urlencode(parameters).encode("ascii")
    form = aiohttp.FormData(parameters)
    for name, (filename, content, mimetype) in files.items():
        form.add_field(name, content, filename=filename, content_type=mimetype)
    return form
