"""The one scope rule: which kecamatan a coordinator sees and which items they may change.

A coordinator's scope is the whole regency (KPU staff, `[bot] admins`) or one kecamatan (PPK). Every item a
coordinator meets (a broadcast, a duty, a check-in, a recap row) is addressed to a set of kecamatan, where the
empty set means the whole regency. The rule, used by every command and button:

* **sees**: a regency coordinator sees everything; a PPK sees an item that reaches their kecamatan, which
  includes every regency-wide item (a PPK sees the regency's announcements and duties, with the numbers of
  their own kecamatan only).
* **controls**: a regency coordinator may change or cancel anything; a PPK only what is addressed to their
  kecamatan alone (never a regency-wide item, which belongs to KPU).
* **narrow**: what a coordinator addresses is cut to their scope: a PPK always addresses their own kecamatan;
  asking for another kecamatan is refused with OutOfScope.
"""

from collections.abc import Sequence
from dataclasses import dataclass


class OutOfScope(Exception):
    """The coordinator asked for a kecamatan outside their scope."""


@dataclass(frozen=True)
class CoordinatorScope:
    """What a coordinator may see and do: the whole regency (kecamatan_id None) or one kecamatan."""

    kecamatan_id: int | None
    kecamatan: str | None

    @property
    def regency_wide(self) -> bool:
        return self.kecamatan_id is None

    def covers(self, kecamatan_id: int) -> bool:
        """Whether this scope includes the given kecamatan."""
        return self.kecamatan_id is None or self.kecamatan_id == kecamatan_id

    def sees(self, kecamatan_ids: Sequence[int]) -> bool:
        """Whether an item addressed to these kecamatan (empty: the whole regency) is visible in this scope."""
        return self.kecamatan_id is None or not kecamatan_ids or self.kecamatan_id in kecamatan_ids

    def controls(self, kecamatan_ids: Sequence[int]) -> bool:
        """Whether this scope may change or cancel an item addressed to these kecamatan (empty: regency)."""
        return self.kecamatan_id is None or tuple(kecamatan_ids) == (self.kecamatan_id,)

    def narrow(self, kecamatan_ids: Sequence[int]) -> tuple[int, ...]:
        """The kecamatan an item from this coordinator is addressed to; raise OutOfScope for others'."""
        if self.kecamatan_id is None:
            return tuple(kecamatan_ids)
        if kecamatan_ids and set(kecamatan_ids) != {self.kecamatan_id}:
            raise OutOfScope
        return (self.kecamatan_id,)

    def kecamatan_filter(self) -> list[int] | None:
        """The kecamatan ids a query is limited to, or None for no limit (regency-wide)."""
        return None if self.kecamatan_id is None else [self.kecamatan_id]


REGENCY = CoordinatorScope(kecamatan_id=None, kecamatan=None)


# --- The cascade: the PPS coordinate their desa's next level ------------------------------------------
#
# The same rule one level down:
# * a PPS member (Ketua or Anggota) coordinates their own desa, and only for the next level (Pantarlih,
#   KPPS): the desa's session, its next-level roster, its recap and its announcements (DesaScope);
# * a PPK sees their kecamatan's cascade and the KPU all of it (CoordinatorScope.covers on the desa's
#   kecamatan), for reading; the PPS of the desa are the ones who change it;
# * the next level (Pantarlih, KPPS) coordinate nothing and see nothing of others: they have no scope.


@dataclass(frozen=True)
class DesaScope:
    """What a PPS member coordinates: the next level of their own desa."""

    desa_id: int
    desa: str
    kecamatan_id: int
    kecamatan: str

    def controls_desa(self, desa_id: int) -> bool:
        """Whether this PPS may change the cascade of that desa (only their own)."""
        return desa_id == self.desa_id
