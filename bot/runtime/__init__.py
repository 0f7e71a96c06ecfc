"""The Telegram runtime: typed context, per-person update processing, the rate limiter."""
