"""Broadcasts: compose, audience, the outbox that delivers them, and their scheduling."""
