"""SQLAlchemy models of the PPS Bimtek bot: data only, no behaviour."""

from models.base import Base
from models.people import (
    AuditLog,
    Coordinator,
    Member,
    Position,
    RegistrationAttempt,
    RegistrationFailure,
    TelegramAccount,
)
from models.training import CheckIn, CheckInMethod, TrainingSession
from models.wilayah import Desa, DesaKind, Kecamatan

__all__ = [
    "AuditLog",
    "Base",
    "CheckIn",
    "CheckInMethod",
    "Coordinator",
    "Desa",
    "DesaKind",
    "Kecamatan",
    "Member",
    "Position",
    "RegistrationAttempt",
    "RegistrationFailure",
    "TelegramAccount",
    "TrainingSession",
]
