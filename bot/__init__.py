"""PPS Bimtek bot: a Telegram bot for KPU Lebak's PPS training."""
