"""SQLAlchemy models of the PPS Bimtek bot: data only, no behaviour."""

from models.base import Base
from models.board import BoardLink
from models.broadcast import Broadcast, BroadcastStatus, Delivery, DeliveryStatus, TelegramBudget
from models.cascade import CascadeMember, CascadeRole
from models.duty import Duty, DutyCompletion, DutyStatus
from models.people import (
    PPS_POSITIONS,
    ROSTER_POSITIONS,
    AuditLog,
    Coordinator,
    Member,
    Position,
    RegistrationAttempt,
    RegistrationFailure,
    TelegramAccount,
)
from models.training import PPS_LEVEL, CheckIn, CheckInMethod, TrainingSession
from models.wilayah import Desa, DesaKind, Kecamatan

__all__ = [
    "PPS_LEVEL",
    "PPS_POSITIONS",
    "ROSTER_POSITIONS",
    "AuditLog",
    "Base",
    "BoardLink",
    "Broadcast",
    "BroadcastStatus",
    "CascadeMember",
    "CascadeRole",
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
