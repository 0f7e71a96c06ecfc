"""PostgreSQL advisory locks of the processes sharing one database: their key spaces, and a lost lock."""

OWNER_LOCK_SPACE = 0x5050_0001
"""First key of the outbox owners' advisory locks (the second is the owner's key; bot/delivery/owner.py)."""
LEADER_LOCK_SPACE = 0x5050_0002
"""First key of the update process's advisory lock (bot/runtime/processes.py)."""


class LockLost(RuntimeError):
    """The connection holding this process's advisory lock is gone: it must stop (another may take over)."""
