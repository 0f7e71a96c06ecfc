"""Administrative regions: kecamatan (districts) and desa/kelurahan (villages)."""

import enum

from sqlalchemy import Enum, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base


class DesaKind(enum.StrEnum):
    """A desa (village) or a kelurahan (urban village)."""

    DESA = "desa"
    KELURAHAN = "kelurahan"


class Kecamatan(Base):
    """A district; one Bimtek venue each."""

    __tablename__ = "kecamatan"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(100))

    desa: Mapped[list["Desa"]] = relationship(back_populates="kecamatan", lazy="raise")


class Desa(Base):
    """A desa or kelurahan; its PPS has three members."""

    __tablename__ = "desa"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[DesaKind] = mapped_column(
        Enum(DesaKind, name="desa_kind", native_enum=False, values_callable=lambda e: [m.value for m in e])
    )
    kecamatan_id: Mapped[int] = mapped_column(ForeignKey("kecamatan.id"), index=True)

    kecamatan: Mapped[Kecamatan] = relationship(back_populates="desa", lazy="raise")
