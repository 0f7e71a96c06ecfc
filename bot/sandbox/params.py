"""Decoding of Bot API request parameters (query, form, multipart, JSON) and value coercion."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from aiohttp import BodyPartReader, web

from bot.sandbox.errors import bad_request

__all__ = [
    "ATTACH_PREFIX",
    "Params",
    "UploadedFile",
    "coerce_bool",
    "coerce_float",
    "coerce_int",
    "coerce_json",
    "coerce_string",
    "read_params",
]

ATTACH_PREFIX = "attach://"
_INT_RE = re.compile(r"^[+-]?\d+$")
_TRUE = frozenset({"true", "1", "yes", "on"})
_FALSE = frozenset({"false", "0", "no", "off", ""})


@dataclass(frozen=True)
class UploadedFile:
    """One multipart file part of a request."""

    field: str
    filename: str | None
    content_type: str
    data: bytes


class _Invalid(ValueError):
    """A value does not fit the requested type (turned into a 400 by the caller)."""


def coerce_int(value: object) -> int:
    """Integer from a JSON number or a form string (PTB sends ``"123"``)."""
    if isinstance(value, bool):
        raise _Invalid("boolean is not an integer")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and _INT_RE.match(value.strip()):
        return int(value.strip())
    raise _Invalid(f"{value!r} is not an integer")


def coerce_float(value: object) -> float:
    """Float from a JSON number or a form string."""
    if isinstance(value, bool):
        raise _Invalid("boolean is not a number")
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            pass
    raise _Invalid(f"{value!r} is not a number")


def coerce_bool(value: object) -> bool:
    """Boolean from JSON ``true``/``false`` or the strings Telegram accepts."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        lowered = value.strip().lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
    raise _Invalid(f"{value!r} is not a boolean")


def coerce_string(value: object) -> str:
    """String; JSON numbers are accepted and stringified like Telegram does."""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raise _Invalid(f"{value!r} is not a string")


def coerce_json(value: object) -> Any:
    """A JSON object/array: already decoded (JSON body) or a JSON-serialized string (form)."""
    if isinstance(value, dict | list):
        return value
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError as exc:
            raise _Invalid(f"can't parse JSON: {exc}") from None
    raise _Invalid(f"{value!r} is not a JSON object")


class Params:
    """Typed, Telegram-lenient access to one request's parameters and uploaded files."""

    def __init__(self, values: dict[str, Any], files: dict[str, UploadedFile]) -> None:
        self.values = values
        self.files = files

    def has(self, name: str) -> bool:
        """Whether the parameter was sent at all."""
        return name in self.values or name in self.files

    def _get(self, name: str, required: bool) -> Any:
        if name not in self.values:
            if required:
                raise bad_request(f"{name} is empty")
            return None
        return self.values[name]

    def opt_int(self, name: str, *, required: bool = False) -> int | None:
        """Integer parameter, ``None`` when absent and optional."""
        value = self._get(name, required)
        if value is None:
            return None
        try:
            return coerce_int(value)
        except _Invalid:
            raise bad_request(f'field "{name}" must be of type Integer') from None

    def req_int(self, name: str) -> int:
        """Required integer parameter."""
        value = self.opt_int(name, required=True)
        assert value is not None
        return value

    def opt_float(self, name: str, *, required: bool = False) -> float | None:
        """Float parameter, ``None`` when absent and optional."""
        value = self._get(name, required)
        if value is None:
            return None
        try:
            return coerce_float(value)
        except _Invalid:
            raise bad_request(f'field "{name}" must be of type Float') from None

    def req_float(self, name: str) -> float:
        """Required float parameter."""
        value = self.opt_float(name, required=True)
        assert value is not None
        return value

    def flag(self, name: str, default: bool = False) -> bool:
        """Boolean parameter with a default."""
        value = self._get(name, False)
        if value is None:
            return default
        try:
            return coerce_bool(value)
        except _Invalid:
            raise bad_request(f'field "{name}" must be of type Boolean') from None

    def opt_str(self, name: str, *, required: bool = False) -> str | None:
        """String parameter, ``None`` when absent and optional."""
        value = self._get(name, required)
        if value is None:
            return None
        try:
            return coerce_string(value)
        except _Invalid:
            raise bad_request(f'field "{name}" must be of type String') from None

    def req_str(self, name: str) -> str:
        """Required string parameter."""
        value = self.opt_str(name, required=True)
        assert value is not None
        return value

    def json_value(self, name: str) -> Any:
        """JSON object/array parameter, ``None`` when absent."""
        value = self._get(name, False)
        if value is None:
            return None
        try:
            return coerce_json(value)
        except _Invalid as exc:
            raise bad_request(f"can't parse {name} JSON object: {exc}") from None

    def file_or_str(self, name: str) -> UploadedFile | str | None:
        """An InputFile parameter: an uploaded part, an ``attach://`` reference, or a file_id/URL."""
        if name in self.files:
            return self.files[name]
        value = self.opt_str(name)
        if value is None:
            return None
        return self.resolve_attach(value)

    def resolve_attach(self, value: str) -> UploadedFile | str:
        """Resolve ``attach://<part>`` to the uploaded part; other strings are returned unchanged."""
        if value.startswith(ATTACH_PREFIX):
            part = value[len(ATTACH_PREFIX) :]
            if part not in self.files:
                raise bad_request(f"file {part!r} referenced by attach:// was not uploaded")
            return self.files[part]
        return value


async def read_params(request: web.Request) -> Params:
    """Merge query-string and body parameters; body wins, like the Bot API server."""
    values: dict[str, Any] = dict(request.query)
    files: dict[str, UploadedFile] = {}
    if request.can_read_body:
        ctype = request.content_type
        if ctype == "application/json":
            try:
                body = await request.json()
            except ValueError:
                raise bad_request("can't parse JSON request body") from None
            if not isinstance(body, dict):
                raise bad_request("JSON request body must be an object")
            values.update(body)
        elif ctype == "multipart/form-data":
            await _read_multipart(request, values, files)
        else:
            form = await request.post()
            for key, value in form.items():
                values[key] = value if isinstance(value, str) else str(value)
    return Params(values, files)


async def _read_multipart(
    request: web.Request, values: dict[str, Any], files: dict[str, UploadedFile]
) -> None:
    reader = await request.multipart()
    while True:
        part = await reader.next()
        if part is None:
            return
        if not isinstance(part, BodyPartReader) or part.name is None:
            raise bad_request("unsupported nested multipart body")
        if part.filename is not None:
            data = await part.read(decode=True)
            ctype = part.headers.get("Content-Type", "application/octet-stream")
            files[part.name] = UploadedFile(
                part.name, part.filename, ctype.split(";")[0].strip(), bytes(data)
            )
        else:
            values[part.name] = await part.text()
