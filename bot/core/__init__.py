"""The kernel every feature shares: config, database, clock, logs, phones, time parsing, regions, identity."""
