"""Delivery: the outbox that fans broadcasts out through the rate limiter, and the jobs that start them on time."""
