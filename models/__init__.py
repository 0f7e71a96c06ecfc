"""SQLAlchemy models of the PPS Bimtek bot: data only, no behaviour."""

from models.base import Base
from models.broadcast import Broadcast, BroadcastStatus, Delivery, DeliveryStatus, TelegramBudget
from models.duty import Duty, DutyCompletion, DutyStatus
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
    "Broadcast",
    "BroadcastStatus",
    "CheckIn",
    "CheckInMethod",
    "Coordinator",
    "Delivery",
    "DeliveryStatus",
    "Desa",
    "DesaKind",
    "Duty",
    "DutyCompletion",
    "DutyStatus",
    "Kecamatan",
    "Member",
    "Position",
    "RegistrationAttempt",
    "RegistrationFailure",
    "TelegramAccount",
    "TelegramBudget",
    "TrainingSession",
]
