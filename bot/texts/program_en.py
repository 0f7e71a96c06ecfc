"""English texts of the program feature."""

TEXTS: dict[str, str] = {
    # plan import: [[announcement]] errors (the place, e.g. `announcement #2 (apel-pagi) at:`, comes first)
    "plan.error.announcement_bad_name": (
        "the name {value} cannot be used: write lowercase a–z, digits, - and _ (e.g. malam-sebelum)"
    ),
    "plan.error.announcement_duplicate_name": "the name {name} is already used by announcement #{first}",
    "plan.error.announcement_bad_audience": "unknown audience {value}; choose one of: {known}",
    "plan.error.announcement_bad_at": "cannot read the time {value}; write it like: {forms}",
    "plan.error.announcement_unknown_event": "unknown {event} (did you mean {suggestion}?); choose one of: {known}",
    "plan.error.announcement_bad_clock": "there is no time {value}; write 00:00 to 23:59",
    "plan.error.announcement_unknown_placeholder": "unknown placeholder(s): {names}; available: {known}",
    "plan.error.announcement_bad_ack": "ack must be true or false, not {value}",
    "plan.error.announcement_bad_ack_reminder": (
        "ack_reminder_hours {value} cannot be used: it must be a whole number from 1 to {most}, and only with ack = true"
    ),
    "plan.error.announcement_too_long": (
        "the text can reach {length} characters once the placeholders are filled in; Telegram's limit is {limit}"
    ),
    # plan import: warnings
    "plan.warning.announcement_past": "its time ({time}) has passed; not scheduled",
    "plan.warning.announcement_cancelled_kept": (
        "the broadcast at {time} was cancelled by a coordinator and stays cancelled (rename it to schedule it again)"
    ),
    "program.imported": (
        "Program: {announcements} announcements — {new} new broadcasts, {updated} updated, "
        "{unchanged} unchanged, {removed} removed, {past} past."
    ),
    # plan show
    "program.show.announcement": (
        "  {time} {zone}  Announcement {name} → {audience}, {where}: {recipients} recipients — {first_line}"
    ),
    "program.show.announcement_status": (
        "  {time} {zone}  Announcement {name} → {audience}, {where}: {recipients} recipients [{status}] — "
        "{first_line}"
    ),
    "program.show.everywhere": "the whole regency",
    "program.show.kecamatan_count": "{count} kecamatan",
    "program.audience.all": "all PPS and PPK",
    "program.audience.pps": "all PPS",
    "program.audience.ketua": "PPS chairs",
    "program.audience.ppk": "PPK",
    "program.audience.not_checked_in": "not checked in",
    "program.status.scheduled": "scheduled",
    "program.status.sending": "sending",
    "program.status.done": "sent",
    "program.status.cancelled": "cancelled",
    "program.status.missed": "missed",
    "program.status.failed": "failed",
}
