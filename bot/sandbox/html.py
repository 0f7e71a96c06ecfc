"""Telegram-flavoured HTML (parse_mode=HTML): strict parsing into plain text plus MessageEntity dicts."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

__all__ = ["HtmlParseError", "ParsedText", "parse_html", "utf16_len"]

_SIMPLE_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "code": "code",
    "pre": "pre",
}
_SPECIAL_TAGS = {"span", "a", "blockquote", "tg-emoji", "tg-time"}
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_SPECIAL_CHAR = re.compile(r"[<&]")
_TAG_NAME = re.compile(r"[A-Za-z][A-Za-z0-9-]*")
_ATTR_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.:-]*")
_ENTITY = re.compile(r"&(?:#(\d{1,7})|#[xX]([0-9A-Fa-f]{1,6})|([A-Za-z]+));")


class HtmlParseError(ValueError):
    """Telegram's ``can't parse entities`` failure; the message is the detail after the colon."""


@dataclass(frozen=True)
class ParsedText:
    """Plain text as the user sees it plus Telegram MessageEntity dicts (UTF-16 offsets)."""

    text: str
    entities: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class _Open:
    tag: str
    start: int
    entity: dict[str, Any] | None


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit of Telegram entity offsets."""
    return len(text.encode("utf-16-le")) // 2


class _Parser:
    def __init__(self, source: str) -> None:
        self.source = source
        self.pos = 0
        self.out: list[str] = []
        self.utf16 = 0
        self.stack: list[_Open] = []
        self.entities: list[dict[str, Any]] = []

    def byte_offset(self, index: int) -> int:
        return len(self.source[:index].encode("utf-8"))

    def emit(self, text: str) -> None:
        self.out.append(text)
        self.utf16 += utf16_len(text)

    def run(self) -> ParsedText:
        src = self.source
        while self.pos < len(src):
            match = _SPECIAL_CHAR.search(src, self.pos)
            end = match.start() if match else len(src)
            if end > self.pos:
                self.emit(src[self.pos : end])
                self.pos = end
            if match is None:
                break
            if src[end] == "&":
                self.emit(self.entity())
            elif src.startswith("</", end):
                self.end_tag()
            else:
                self.start_tag()
        if self.stack:
            raise HtmlParseError(f'Can\'t find end tag corresponding to start tag "{self.stack[-1].tag}"')
        self.entities.sort(key=lambda e: (e["offset"], -e["length"]))
        return ParsedText("".join(self.out), self.entities)

    def entity(self) -> str:
        match = _ENTITY.match(self.source, self.pos)
        if match is None:
            raise HtmlParseError(f"Unsupported HTML entity at byte offset {self.byte_offset(self.pos)}")
        decimal, hexadecimal, name = match.groups()
        if name is not None:
            if name not in _NAMED_ENTITIES:
                raise HtmlParseError(
                    f'Unsupported HTML entity "&{name};" at byte offset {self.byte_offset(self.pos)}'
                )
            char = _NAMED_ENTITIES[name]
        else:
            code = int(decimal) if decimal is not None else int(hexadecimal, 16)
            if not 0 < code <= 0x10FFFF or 0xD800 <= code <= 0xDFFF:
                raise HtmlParseError(f"Invalid character entity at byte offset {self.byte_offset(self.pos)}")
            char = chr(code)
        self.pos = match.end()
        return char

    def end_tag(self) -> None:
        start = self.pos
        close = self.source.find(">", start)
        if close < 0:
            raise HtmlParseError(f"Unclosed end tag at byte offset {self.byte_offset(start)}")
        name = self.source[start + 2 : close].strip().lower()
        if not self.stack:
            raise HtmlParseError(f'Unexpected end tag "{name}" at byte offset {self.byte_offset(start)}')
        top = self.stack[-1]
        if top.tag != name:
            raise HtmlParseError(
                f"Unmatched end tag at byte offset {self.byte_offset(start)}, "
                f'expected "</{top.tag}>", found "</{name}>"'
            )
        self.stack.pop()
        self.pos = close + 1
        if top.entity is not None and self.utf16 > top.start:
            top.entity["offset"] = top.start
            top.entity["length"] = self.utf16 - top.start
            self.entities.append(top.entity)

    def start_tag(self) -> None:
        start = self.pos
        match = _TAG_NAME.match(self.source, start + 1)
        name = match.group(0).lower() if match else ""
        if name not in _SIMPLE_TAGS and name not in _SPECIAL_TAGS:
            raise HtmlParseError(f'Unsupported start tag "{name}" at byte offset {self.byte_offset(start)}')
        assert match is not None
        self.pos = match.end()
        attrs = self.attributes(start)
        self.stack.append(_Open(name, self.utf16, self.make_entity(name, attrs, start)))

    def attributes(self, tag_start: int) -> dict[str, str]:
        src = self.source
        attrs: dict[str, str] = {}
        while True:
            while self.pos < len(src) and src[self.pos].isspace():
                self.pos += 1
            if self.pos >= len(src):
                raise HtmlParseError(f"Unclosed start tag at byte offset {self.byte_offset(tag_start)}")
            if src[self.pos] == ">":
                self.pos += 1
                return attrs
            match = _ATTR_NAME.match(src, self.pos)
            if match is None:
                raise HtmlParseError(
                    "Expected equal sign in declaration of an attribute of the tag at byte offset "
                    f"{self.byte_offset(tag_start)}"
                )
            key = match.group(0).lower()
            self.pos = match.end()
            while self.pos < len(src) and src[self.pos].isspace():
                self.pos += 1
            if self.pos < len(src) and src[self.pos] == "=":
                self.pos += 1
                while self.pos < len(src) and src[self.pos].isspace():
                    self.pos += 1
                attrs[key] = self.attribute_value(tag_start)
            else:
                attrs[key] = ""

    def attribute_value(self, tag_start: int) -> str:
        src = self.source
        if self.pos < len(src) and src[self.pos] in "\"'":
            quote = src[self.pos]
            close = src.find(quote, self.pos + 1)
            if close < 0:
                raise HtmlParseError(f"Unclosed start tag at byte offset {self.byte_offset(tag_start)}")
            raw = src[self.pos + 1 : close]
            self.pos = close + 1
        else:
            end = self.pos
            while end < len(src) and not src[end].isspace() and src[end] != ">":
                end += 1
            raw = src[self.pos : end]
            self.pos = end
        return _decode_attribute(raw, self.byte_offset(tag_start))

    def make_entity(self, name: str, attrs: dict[str, str], start: int) -> dict[str, Any] | None:
        if name in ("code", "pre") or name in _SIMPLE_TAGS:
            language = attrs.get("class", "")
            if (
                name == "code"
                and self.stack
                and self.stack[-1].tag == "pre"
                and language.startswith("language-")
            ):
                pre = self.stack[-1].entity
                if pre is not None:
                    pre["language"] = language[len("language-") :]
                return None
            return {"type": _SIMPLE_TAGS[name]}
        if name == "span":
            if attrs.get("class") != "tg-spoiler":
                raise HtmlParseError(
                    f'Tag "span" must have class "tg-spoiler" at byte offset {self.byte_offset(start)}'
                )
            return {"type": "spoiler"}
        if name == "a":
            href = attrs.get("href", "")
            return {"type": "text_link", "url": href} if href else None
        if name == "blockquote":
            return {"type": "expandable_blockquote" if "expandable" in attrs else "blockquote"}
        if name == "tg-emoji":
            emoji_id = attrs.get("emoji-id", "")
            if not emoji_id:
                raise HtmlParseError(
                    f'Tag "tg-emoji" must have attribute "emoji-id" at byte offset {self.byte_offset(start)}'
                )
            return {"type": "custom_emoji", "custom_emoji_id": emoji_id}
        unix = attrs.get("unix", "")
        if not unix.isdigit():
            raise HtmlParseError(
                f'Tag "tg-time" must have a numeric attribute "unix" at byte offset {self.byte_offset(start)}'
            )
        entity: dict[str, Any] = {"type": "date_time", "unix_time": int(unix)}
        if attrs.get("format"):
            entity["date_time_format"] = attrs["format"]
        return entity


def _decode_attribute(raw: str, tag_offset: int) -> str:
    def replace(match: re.Match[str]) -> str:
        decimal, hexadecimal, name = match.groups()
        if name is not None:
            if name not in _NAMED_ENTITIES:
                raise HtmlParseError(
                    f'Unsupported HTML entity "&{name};" in the tag at byte offset {tag_offset}'
                )
            return _NAMED_ENTITIES[name]
        code = int(decimal) if decimal is not None else int(hexadecimal, 16)
        if not 0 < code <= 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            raise HtmlParseError(f"Invalid character entity in the tag at byte offset {tag_offset}")
        return chr(code)

    decoded = _ENTITY.sub(replace, raw)
    if "&" in _ENTITY.sub("", raw):
        raise HtmlParseError(f"Unsupported HTML entity in the tag at byte offset {tag_offset}")
    return decoded


def parse_html(source: str) -> ParsedText:
    """Parse Telegram HTML; raise :class:`HtmlParseError` where Telegram answers "can't parse entities"."""
    return _Parser(source).run()
