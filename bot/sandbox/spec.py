"""Validation of Bot API calls against the machine-readable Bot API description (api.json)."""

from __future__ import annotations

import functools
import json
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.data import BOT_API_EXTRACT
from bot.sandbox.errors import ApiError, bad_request
from bot.sandbox.params import (
    ATTACH_PREFIX,
    Params,
    UploadedFile,
    coerce_bool,
    coerce_float,
    coerce_int,
    coerce_json,
    coerce_string,
)

__all__ = ["ApiSpec", "FieldSpec", "MethodSpec", "TypeSpec", "default_spec_path"]

log = logging.getLogger(__name__)

_ARRAY = "Array of "
_SCALARS = {"Integer": coerce_int, "Float": coerce_float, "Boolean": coerce_bool, "String": coerce_string}


# "Type of the … , must be “photo”" / "always “text”": the value a subtype's discriminating field takes.
_DISCRIMINATOR_RE = re.compile(r"(?:must be|always)\s+(?!one of)[\"“]?([A-Za-z_]+)")


def _field(item: dict[str, Any]) -> dict[str, Any]:
    field: dict[str, Any] = {
        "name": item["name"],
        "types": list(item["types"]),
        "required": bool(item["required"]),
    }
    if "discriminator" in item:  # already extracted
        field["discriminator"] = item["discriminator"]
    elif item["name"] == "type" and item["types"] == ["String"] and item["required"]:
        match = _DISCRIMINATOR_RE.search(item.get("description", ""))
        if match:
            field["discriminator"] = match.group(1)
    return field


def _entry(body: dict[str, Any]) -> dict[str, Any]:
    entry: dict[str, Any] = {}
    if "fields" in body:
        entry["fields"] = [_field(item) for item in body["fields"]]
    if body.get("subtypes"):
        entry["subtypes"] = list(body["subtypes"])
    return entry


def extract(raw: dict[str, Any]) -> dict[str, Any]:
    """The structural extract of a parsed api.json."""
    return {
        "version": raw.get("version", "unknown"),
        "release_date": raw.get("release_date", ""),
        "methods": {name: _entry(body) for name, body in raw["methods"].items()},
        "types": {name: _entry(body) for name, body in raw["types"].items()},
    }


def default_spec_path() -> Path:
    """The structural Bot API extract the project ships (bot/data, made by bot.sandbox.extract_spec)."""
    return BOT_API_EXTRACT


@dataclass(frozen=True)
class FieldSpec:
    """One parameter of a method or field of a type."""

    name: str
    types: tuple[str, ...]
    required: bool
    discriminator: str | None = None


@dataclass(frozen=True)
class MethodSpec:
    """One Bot API method and its parameters."""

    name: str
    fields: dict[str, FieldSpec]


@dataclass(frozen=True)
class TypeSpec:
    """One Bot API type: an object with fields, or an abstract union of subtypes."""

    name: str
    fields: dict[str, FieldSpec] | None
    subtypes: tuple[str, ...]


class _Mismatch(Exception):
    """A nested value does not fit its declared type; the message is a path-qualified detail."""


def _fields(raw: list[dict[str, Any]]) -> dict[str, FieldSpec]:
    result: dict[str, FieldSpec] = {}
    for item in raw:
        result[item["name"]] = FieldSpec(
            item["name"], tuple(item["types"]), bool(item["required"]), item.get("discriminator")
        )
    return result


class ApiSpec:
    """The Bot API description: method lookup (case-insensitive) and parameter validation."""

    def __init__(self, version: str, methods: dict[str, MethodSpec], types: dict[str, TypeSpec]) -> None:
        self.version = version
        self.methods = methods
        self.types = types
        self._by_lower = {name.lower(): name for name in methods}

    @classmethod
    def load(cls, path: Path) -> ApiSpec:
        """Parse the shipped extract, or a full api.json (PaulSonOfLars/telegram-bot-api-spec format)."""
        # A full api.json (given with --spec) goes through the same extraction as the shipped file.
        raw = extract(json.loads(path.read_text(encoding="utf-8")))
        methods = {
            name: MethodSpec(name, _fields(body.get("fields", []))) for name, body in raw["methods"].items()
        }
        types = {
            name: TypeSpec(
                name,
                _fields(body["fields"]) if "fields" in body else None,
                tuple(body.get("subtypes", [])),
            )
            for name, body in raw["types"].items()
        }
        return cls(str(raw.get("version", "unknown")), methods, types)

    @classmethod
    def load_or_none(cls, path: Path | None) -> ApiSpec | None:
        """Load ``path`` (default location when ``None``); ``None`` with a warning when missing."""
        path = (path or default_spec_path()).resolve()
        if not path.is_file():
            log.warning("Bot API description %s not found: sandbox request validation is disabled", path)
            return None
        return _load_cached(path, path.stat().st_mtime_ns)

    def resolve(self, method: str) -> str | None:
        """Canonical spelling of ``method`` (Bot API method names are case-insensitive)."""
        return self._by_lower.get(method.lower())

    def validate(self, method: str, params: Params) -> None:
        """Raise a 400 :class:`ApiError` for unknown, missing or ill-typed parameters."""
        spec = self.methods[method]
        for name in params.values:
            if name not in spec.fields:
                raise bad_request(f'unknown parameter "{name}" for method {method}')
        for field in spec.fields.values():
            if not params.has(field.name):
                if field.required:
                    raise bad_request(_missing(field))
                continue
            self._validate_param(field, params)

    def _validate_param(self, field: FieldSpec, params: Params) -> None:
        uploaded = params.files.get(field.name)
        if uploaded is not None and field.name not in params.values:
            if "InputFile" not in field.types:
                raise bad_request(f'field "{field.name}" can\'t be a file upload')
            return
        value = params.values[field.name]
        errors: list[str] = []
        for type_expr in field.types:
            try:
                self._check(type_expr, value, field.name, params, top=True)
                return
            except _Mismatch as exc:
                errors.append(str(exc))
            except ApiError:
                raise
        if all(t in _SCALARS or t == "InputFile" for t in field.types):
            raise bad_request(f'field "{field.name}" must be of type {" or ".join(field.types)}')
        what = "reply keyboard markup" if field.name == "reply_markup" else field.name
        raise bad_request(f"can't parse {what} JSON object: {_best(errors)}")

    def _check(self, type_expr: str, value: Any, path: str, params: Params, *, top: bool = False) -> None:
        if type_expr.startswith(_ARRAY):
            items = self._decode(value, list, path, top)
            for index, item in enumerate(items):
                self._check(type_expr[len(_ARRAY) :], item, f"{path}[{index}]", params)
            return
        coerce = _SCALARS.get(type_expr)
        if coerce is not None:
            try:
                coerce(value)
            except ValueError:
                raise _Mismatch(f"{path} must be of type {type_expr}") from None
            return
        if type_expr == "InputFile":
            if isinstance(value, UploadedFile):
                return
            if isinstance(value, str) and value.startswith(ATTACH_PREFIX):
                params.resolve_attach(value)
                return
            raise _Mismatch(f"{path} must be an uploaded file")
        if type_expr == "KeyboardButton" and isinstance(value, str):
            return  # Telegram still accepts a plain string as a text-only reply keyboard button
        self._check_object(type_expr, self._decode(value, dict, path, top), path, params)

    @staticmethod
    def _decode(value: Any, kind: type, path: str, top: bool) -> Any:
        if top:
            try:
                value = coerce_json(value)
            except ValueError as exc:
                raise _Mismatch(f"{path}: {exc}") from None
        if not isinstance(value, kind):
            raise _Mismatch(f"{path} must be a JSON {'array' if kind is list else 'object'}")
        return value

    def _candidates(self, spec: TypeSpec, value: dict[str, Any]) -> list[str]:
        """Subtypes to try: those whose ``type`` discriminator matches the value, else all."""
        matching = [
            name
            for name in spec.subtypes
            if (sub := self.types.get(name)) is not None
            and sub.fields is not None
            and (field := sub.fields.get("type")) is not None
            and field.discriminator is not None
            and field.discriminator == value.get("type")
        ]
        return matching or list(spec.subtypes)

    def _check_object(self, type_name: str, value: dict[str, Any], path: str, params: Params) -> None:
        spec = self.types.get(type_name)
        if spec is None:
            return
        if spec.subtypes:
            errors: list[str] = []
            for subtype in self._candidates(spec, value):
                try:
                    self._check_object(subtype, value, path, params)
                    return
                except _Mismatch as exc:
                    errors.append(str(exc))
            raise _Mismatch(_best(errors))
        if spec.fields is None:
            return
        for key in value:
            if key not in spec.fields:
                raise _Mismatch(f'{path}: unknown field "{key}" for {type_name}')
        for field in spec.fields.values():
            if field.name not in value:
                if field.required:
                    raise _Mismatch(f'{path}: field "{field.name}" of {type_name} is required')
                continue
            item = value[field.name]
            if field.discriminator is not None and item != field.discriminator:
                raise _Mismatch(f'{path}: {type_name} needs type "{field.discriminator}", got {item!r}')
            errors = []
            for type_expr in field.types:
                try:
                    self._check(type_expr, item, f"{path}.{field.name}", params)
                    break
                except _Mismatch as exc:
                    errors.append(str(exc))
            else:
                raise _Mismatch(_best(errors))


def _missing(field: FieldSpec) -> str:
    """Telegram's wording for an absent required parameter."""
    if field.name == "text":
        return "message text is empty"
    if "InputFile" in field.types:
        return f"there is no {field.name} in the request"
    return f"{field.name} is empty"


@functools.lru_cache(maxsize=4)
def _load_cached(path: Path, mtime_ns: int) -> ApiSpec:
    """Parse each api.json version once per process (an ApiSpec is never mutated)."""
    return ApiSpec.load(path)


def _best(errors: list[str]) -> str:
    """The most specific of several alternative mismatch explanations (the deepest path)."""
    if not errors:
        return "invalid value"
    return max(errors, key=lambda e: (e.count(".") + e.count("["), -errors.index(e)))
