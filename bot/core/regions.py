"""The official region list in memory (kecamatan and desa/kelurahan): name lookup and the one kecamatan resolver."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Desa, DesaKind, Kecamatan


class WilayahEmpty(Exception):
    """The region list has not been imported yet, so names cannot be matched."""


# --- Matching names as people write them -------------------------------------------------------------

# A leading "Desa ", "Kel. ", "Kec. " ... is how people label a name, not part of it.
_PREFIX = re.compile(
    r"^(?:kecamatan|kelurahan|desa|kec\.|kel\.|ds\.|kec|kel|ds)(?:\s+|(?<=\.))", re.IGNORECASE
)


def normalize_name(name: str) -> str:
    """A region name as compared: casefolded, spaces collapsed, a leading 'Desa '/'Kec. '... dropped."""
    collapsed = " ".join(name.casefold().split())
    stripped = _PREFIX.sub("", collapsed, count=1).strip()
    return stripped or collapsed


def name_key(name: str) -> str:
    """The key names are matched on: normalize_name without any spaces ('Curug Bitung' == 'Curugbitung')."""
    return normalize_name(name).replace(" ", "")


@dataclass(frozen=True)
class KecamatanRef:
    """A kecamatan as plain data."""

    id: int
    code: str
    name: str


@dataclass(frozen=True)
class DesaRef:
    """A desa/kelurahan as plain data."""

    id: int
    code: str
    name: str
    kind: DesaKind
    kecamatan_id: int


class WilayahIndex:
    """The whole region list in memory, looked up by name the way people write names."""

    def __init__(self, kecamatan: Iterable[KecamatanRef], desa: Iterable[DesaRef]) -> None:
        self.kecamatan_by_id: dict[int, KecamatanRef] = {k.id: k for k in kecamatan}
        self.desa_by_id: dict[int, DesaRef] = {d.id: d for d in desa}
        self.kecamatan_by_code: dict[str, KecamatanRef] = {k.code: k for k in self.kecamatan_by_id.values()}
        self._kecamatan_by_key: dict[str, list[KecamatanRef]] = {}
        for k in self.kecamatan_by_id.values():
            self._kecamatan_by_key.setdefault(name_key(k.name), []).append(k)
        self._desa_by_key: dict[str, list[DesaRef]] = {}
        for d in self.desa_by_id.values():
            self._desa_by_key.setdefault(name_key(d.name), []).append(d)

        # A roster names the same kecamatan on hundreds of rows: normalise each spelling once.
        self._keys: dict[str, str] = {}

    def _key(self, name: str) -> str:
        key = self._keys.get(name)
        if key is None:
            key = self._keys[name] = name_key(name)
        return key

    def kecamatan_matches(self, name: str) -> list[KecamatanRef]:
        """Every kecamatan with this name (more than one only when names repeat, e.g. nationwide)."""
        return list(self._kecamatan_by_key.get(self._key(name), ()))

    def find_kecamatan(self, name: str) -> KecamatanRef | None:
        """The one kecamatan resolve_kecamatan finds for this code or name, or None when there is none or more
        than one (so what an import's check accepted is what it later writes)."""
        try:
            return resolve_kecamatan(self, name)
        except KecamatanNotFound:
            return None

    def desa_matches(self, kecamatan_id: int, name: str) -> list[DesaRef]:
        """Every desa/kelurahan of this name in the given kecamatan."""
        return [d for d in self._desa_by_key.get(self._key(name), ()) if d.kecamatan_id == kecamatan_id]

    def kecamatan_having_desa(self, name: str) -> list[KecamatanRef]:
        """The kecamatan that do have a desa/kelurahan of this name, sorted by name."""
        ids = {d.kecamatan_id for d in self._desa_by_key.get(self._key(name), ())}
        return sorted((self.kecamatan_by_id[i] for i in ids), key=lambda k: k.name)

    def similar_kecamatan(self, name: str, limit: int = 3) -> list[KecamatanRef]:
        """Kecamatan whose names look like `name` (for "did you mean" hints)."""
        keys = difflib.get_close_matches(self._key(name), list(self._kecamatan_by_key), n=limit, cutoff=0.75)
        return [k for key in keys for k in self._kecamatan_by_key[key]]


async def load_wilayah_index(session: AsyncSession, *, with_desa: bool = True) -> WilayahIndex:
    """Read the region list (kecamatan only, if asked) in two queries; raise WilayahEmpty when empty."""
    kecamatan = [
        KecamatanRef(kecamatan_id, code, name)
        for kecamatan_id, code, name in await session.execute(
            select(Kecamatan.id, Kecamatan.code, Kecamatan.name)
        )
    ]
    if not kecamatan:
        raise WilayahEmpty
    if not with_desa:
        return WilayahIndex(kecamatan, ())
    desa = [
        DesaRef(desa_id, code, name, kind, kecamatan_id)
        for desa_id, code, name, kind, kecamatan_id in await session.execute(
            select(Desa.id, Desa.code, Desa.name, Desa.kind, Desa.kecamatan_id)
        )
    ]
    return WilayahIndex(kecamatan, desa)


# Not frozen: Python sets __traceback__ on an exception as it propagates (through `async with` too).
@dataclass(eq=False)
class KecamatanNotFound(Exception):
    """No single kecamatan answers to what was written: the near names, or the several it could mean."""

    written: str
    suggestions: tuple[KecamatanRef, ...] = ()
    candidates: tuple[KecamatanRef, ...] = ()


def resolve_kecamatan(index: WilayahIndex, written: str) -> KecamatanRef:
    """The one kecamatan meant by a code ('36.02.01') or a name as people write it ('kec. malingping').

    Every command, button and import that takes a kecamatan goes through here, so each gives the same
    answer and the same "did you mean" suggestions. Raises KecamatanNotFound.
    """
    text = written.strip()
    by_code = index.kecamatan_by_code.get(text)
    matches = [by_code] if by_code is not None else index.kecamatan_matches(text)
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise KecamatanNotFound(text, candidates=tuple(sorted(matches, key=lambda k: k.code)))
    raise KecamatanNotFound(text, suggestions=tuple(index.similar_kecamatan(text)))
