"""Storage of files uploaded by the bot or sent by simulated users, addressed by file_id and path."""

from __future__ import annotations

import itertools
import mimetypes
import secrets
import struct

from bot.sandbox.models import StoredFile

__all__ = ["FileStore", "image_size"]

_PREFIX = {"photo": "AgACAgIAAxkBAAI", "document": "BQACAgIAAxkBAAI"}
_DEFAULT_SIZE = (512, 512)


def _sniff_image(data: bytes) -> str | None:
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8"):
        return "image/jpeg"
    return None


def image_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG or JPEG header; 512x512 when unknown."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return int(width), int(height)
    if data.startswith(b"\xff\xd8"):
        index = 2
        while index + 9 < len(data):
            if data[index] != 0xFF:
                break
            marker = data[index + 1]
            length = int.from_bytes(data[index + 2 : index + 4], "big")
            if marker in (0xC0, 0xC1, 0xC2):
                height, width = struct.unpack(">HH", data[index + 5 : index + 9])
                return int(width), int(height)
            index += 2 + length
    return _DEFAULT_SIZE


class FileStore:
    """All files of one sandbox run; file_ids are opaque, Telegram-looking strings."""

    def __init__(self) -> None:
        self._by_id: dict[str, StoredFile] = {}
        self._by_path: dict[str, StoredFile] = {}
        self._counter = itertools.count(1)

    def add(self, kind: str, data: bytes, filename: str | None, mime_type: str | None) -> StoredFile:
        """Store ``data`` as a new photo or document and return its record."""
        number = next(self._counter)
        if mime_type in (None, "", "application/octet-stream") and filename:
            mime_type = mimetypes.guess_type(filename, strict=False)[0] or mime_type
        if kind == "photo":
            mime_type = _sniff_image(data) or (
                mime_type if mime_type and mime_type.startswith("image/") else None
            )
        mime_type = mime_type or ("image/jpeg" if kind == "photo" else "application/octet-stream")
        extension = ".jpg" if kind == "photo" else mimetypes.guess_extension(mime_type) or ".bin"
        width, height = image_size(data) if kind == "photo" else (0, 0)
        stored = StoredFile(
            file_id=f"{_PREFIX.get(kind, 'BQAC')}{number:06d}{secrets.token_urlsafe(24)}",
            file_unique_id=f"AQAD{number:06d}{secrets.token_hex(3)}",
            kind=kind,
            data=data,
            filename=filename,
            mime_type=mime_type,
            file_path=f"{kind}s/file_{number}{extension}",
            width=width,
            height=height,
        )
        self._by_id[stored.file_id] = stored
        self._by_path[stored.file_path] = stored
        return stored

    def get(self, file_id: str) -> StoredFile | None:
        """Look a file up by file_id."""
        return self._by_id.get(file_id)

    def by_path(self, file_path: str) -> StoredFile | None:
        """Look a file up by the file_path that getFile returned."""
        return self._by_path.get(file_path)

    def __len__(self) -> int:
        return len(self._by_id)
