"""English texts of the training plan: `plan import` errors, warnings and summary, and `plan show`."""

TEXTS: dict[str, str] = {
    # Babel patterns (https://babel.pocoo.org/en/latest/dates.html), not sentences.
    "plan.format.date": "EEEE, d MMMM y",
    "plan.format.time": "HH:mm",
    # Where a problem is; table names stay as written in the file.
    "plan.place.line": "line {line}",
    "plan.place.line_column": "line {line}, column {column}",
    "plan.place.table": "[{table}]",
    "plan.place.entry": "{table} #{number}",
    "plan.place.entry_named": "{table} #{number} ({name})",
    "plan.place.key": "{place} {key}",
    "plan.issue": "{place}: {message}",
    "plan.warning": "Warning: {issue}",
    "plan.rejected": "Plan refused: {count} error(s). Nothing was saved; fix the file and import it again.",
    # Errors: the whole file is refused.
    "plan.error.unreadable": "Cannot read the file {file}: {reason}",
    "plan.error.not_utf8": "the file is not UTF-8 text; save it again as UTF-8",
    "plan.error.syntax": "not valid TOML ({reason})",
    "plan.error.time_without_seconds": (
        "write times with their seconds, e.g. 08:00:00 (written {value}; TOML requires the seconds)"
    ),
    "plan.error.unknown_table": "unknown table [{table}]; known tables: {known}",
    "plan.error.unknown_table_similar": "unknown table [{table}]; did you mean [{suggestion}]?",
    "plan.error.missing_table": "the table [{table}] is required but missing",
    "plan.error.not_a_table": "must be a single table, written [{table}]",
    "plan.error.not_an_array": "write each entry as [[{table}]] (double brackets)",
    "plan.error.entry_not_a_table": "each entry must be a table",
    "plan.error.unknown_key": "unknown key; the keys known here: {known}",
    "plan.error.unknown_key_similar": "unknown key; did you mean {suggestion}?",
    "plan.error.missing_key": "is required",
    "plan.error.missing_time": "is required, in this entry or in [session_defaults]",
    "plan.error.not_text": "must be text in quotes, written {value}",
    "plan.error.empty_text": "must not be empty",
    "plan.error.too_long": "is too long: {length} characters, at most {limit}",
    "plan.error.not_number": "must be a number, written {value}",
    "plan.error.not_integer": "must be a whole number, written {value}",
    "plan.error.not_date": "must be a date without quotes, e.g. 2024-06-03; written {value}",
    "plan.error.not_time": (
        "must be a time without quotes, e.g. 08:00:00, 2024-06-03T08:00:00 or "
        "2024-06-03T08:00:00+07:00; written {value}"
    ),
    "plan.error.bad_timezone": 'unknown time zone {value}; write an IANA name such as "Asia/Jakarta"',
    "plan.error.latitude_range": "must be between -90 and 90, written {value}",
    "plan.error.longitude_range": "must be between -180 and 180, written {value}",
    "plan.error.coordinates_swapped": (
        "latitude {latitude} and longitude {longitude} look swapped; "
        "in Lebak the latitude is about -6.x and the longitude about 106.x"
    ),
    "plan.error.radius_range": "must be between 0 and {limit} metres (0 = no location check), written {value}",
    "plan.error.ends_not_after_starts": "ends ({ends}) must be after starts ({starts})",
    "plan.error.checkin_closes_not_after_opens": "checkin_closes ({closes}) must be after checkin_opens ({opens})",
    "plan.error.checkin_closes_before_starts": (
        "checkin_closes ({closes}) is before the session starts (starts {starts}); "
        "check-in must still be open when the session starts"
    ),
    "plan.error.checkin_closes_after_ends": (
        "checkin_closes ({closes}) is after the session ends (ends {ends}); "
        "check-in must close by the time the session ends"
    ),
    "plan.error.duplicate_kecamatan": "kecamatan {name} already has a session at session #{first}",
    "plan.error.no_sessions": "the plan has no [[session]] yet",
    "plan.error.unknown_kecamatan": "kecamatan {name} is not in the region list",
    "plan.error.unknown_kecamatan_similar": "kecamatan {name} is not in the region list; did you mean {suggestions}?",
    "plan.error.ambiguous_kecamatan": "several kecamatan are named {name}: {candidates}",
    "plan.error.wilayah_empty": (
        "The region list (kecamatan and desa) is empty. Import it first: python -m bot wilayah import FILE"
    ),
    # Warnings: the plan is imported anyway.
    "plan.warning.outside_area": (
        "the location ({latitude}, {longitude}) is outside Kabupaten Lebak; check the coordinates "
        "(swapped or mistyped?)"
    ),
    "plan.warning.outside_area_sign": (
        "the location ({latitude}, {longitude}) is outside Kabupaten Lebak; is the latitude's minus sign "
        "missing? (perhaps {fixed})"
    ),
    "plan.warning.offset_differs": (
        "the time {value} has the offset {offset}, but the plan's zone is {zone} ({zone_offset}); "
        "that is {local} {zone} time"
    ),
    "plan.warning.checkin_opens_early": (
        "check-in opens at {opens}, {hours} hours before the session starts ({starts}); is that right?"
    ),
    "plan.warning.other_day": "the session starts on {date}, not on the plan's date {plan_date}",
    "plan.warning.long_session": "the session lasts {hours} hours; is that right?",
    "plan.warning.not_applied": (
        "{count} [[{table}]] entries were read but not applied: this version of the bot does not handle them yet"
    ),
    "plan.warning.missing_session": (
        "kecamatan {kecamatan} has no session; its {members} members on the roster will get no Bimtek schedule"
    ),
    "plan.warning.missing_session_no_members": (
        "kecamatan {kecamatan} has no session (no members of it on the roster yet)"
    ),
    "plan.warning.kept_with_checkins": (
        "the session of {kecamatan} is no longer in the plan but was kept: it already has {checkins} check-ins"
    ),
    "plan.warning.changed_with_checkins": "the session of {kecamatan} changed although it already has {checkins} check-ins",
    # plan import
    "plan.past": (
        "The plan in {file} is for {date}, which is over; nothing was saved. Move it to the new training day "
        "with --on DATE (e.g. --on {example}), or store it as written with --past."
    ),
    "plan.imported": (
        "Plan “{name}” ({file}) imported: Bimtek on {date}, {sessions} sessions — "
        "{new} new, {updated} updated, {unchanged} unchanged."
    ),
    "plan.moved": "Plan moved from {written} to {date} ({days} days); times of day and the zone unchanged.",
    "plan.removed": "{count} sessions removed because their kecamatan is no longer in the plan.",
    # plan show
    "plan.show.empty": "No Bimtek sessions yet. Import the plan first: python -m bot plan import FILE",
    "plan.show.header": "Bimtek schedule: {sessions} sessions (times in {zone})",
    "plan.show.day": "\n{date}",
    "plan.show.event": "  {time} {zone}  {event}: {sessions} sessions, {members} members",
    "plan.show.event_some": "  {time} {zone}  {event}: {sessions} sessions ({names}), {members} members",
    "plan.show.more": "{names} and {more} more",
    "plan.event.checkin_opens": "Check-in opens",
    "plan.event.starts": "Bimtek starts",
    "plan.event.checkin_closes": "Check-in closes",
    "plan.event.ends": "Bimtek ends",
    "plan.show.venues": "\nVenues by kecamatan:",
    "plan.show.venue_address": "{venue}, {address}",
    "plan.show.session": (
        "  {kecamatan}: {place}\n"
        "      {date} {starts}–{ends} {zone}; check-in {opens}–{closes}; {check}; "
        "location {latitude}, {longitude}; {members} members"
    ),
    "plan.show.radius": "radius {radius} m",
    "plan.show.no_radius": "no location check",
}
