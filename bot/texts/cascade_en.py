"""English texts of the cascade: the PPS's own Bimtek for their Pantarlih and KPPS, its roster, /kaskade."""

TEXTS: dict[str, str] = {
    "position.pantarlih": "Pantarlih",
    "position.kpps": "KPPS member",
    "cascade.level.pantarlih": "Pantarlih",
    "cascade.level.kpps": "KPPS",
    "cascade.not_pps": "This command is for PPS members running the Pantarlih/KPPS Bimtek of their own desa.",
    # The session card
    "cascade.card": (
        "<b>{level} Bimtek — {desa}</b>\n"
        "Date: {date}\nTime: {times}\nPlace: {place}\nCheck-in: {checkin}\n{radius}"
    ),
    "cascade.card_radius": "Check-in by location: within {radius} m of the place",
    "cascade.card_no_radius": "Check-in by code/QR (no location check)",
    # /bimtek_baru
    "cascade.ask_level": "<b>Bimtek of desa {desa}</b>\n\nWho is this Bimtek for?",
    "cascade.level_chosen": "Bimtek for: <b>{level}</b>",
    "cascade.exists": "Your desa already has this Bimtek. Change or cancel it?",
    "cascade.button_edit": "✏️ Change",
    "cascade.button_cancel_session": "🗑 Cancel the Bimtek",
    "cascade.button_close": "Close",
    "cascade.closed": "OK, nothing was changed.",
    "cascade.ask_cancel": "Really cancel the {level} Bimtek? Its schedule is deleted.",
    "cascade.button_yes_cancel": "Yes, cancel it",
    "cascade.button_no_keep": "No",
    "cascade.kept": "OK, the Bimtek stays as it was.",
    "cascade.cancel_has_checkins": (
        "This Bimtek cannot be cancelled: {count} people have checked in. Change its schedule if needed."
    ),
    "cascade.cancel_gone": "This Bimtek no longer exists (it may have been cancelled).",
    "cascade.cancelled": "🗑 The {level} Bimtek of desa {desa} is cancelled.",
    "cascade.ask_start": (
        "When does the Bimtek start? Type the date and time (WIB), for example: {examples}.\nType /batal to stop."
    ),
    "cascade.start_in_past": "That time has passed. Type a date and time still to come.",
    "cascade.start_error": 'The time "{text}" could not be read. Examples: {examples}.',
    "cascade.ask_end": "Bimtek on {date}. What time does it end? For example: 12:00",
    "cascade.end_error": 'The time "{text}" could not be read. Type for example 12:00.',
    "cascade.end_before_start": "The end must be after the start (on the same day). Type it again.",
    "cascade.ask_place": (
        "Where is it? Send the <b>location</b> (📎 → Location) so people can check in by location, "
        "or type the address."
    ),
    "cascade.ask_venue_name": "What is the place called? For example: Balai Desa Sukamaju",
    "cascade.ask_window": "When is check-in open?",
    "cascade.window.a": "From 30 minutes before the start to the end",
    "cascade.window.b": "From 1 hour before to 1 hour after the start",
    "cascade.window.c": "From 30 minutes before to 30 minutes after the start",
    "cascade.ask_radius": "Check-in by location: how far from the place at most?",
    "cascade.radius_none": "No location check",
    "cascade.ask_confirm": "Save this Bimtek?",
    "cascade.button_save": "✅ Save",
    "cascade.button_discard": "❌ Cancel",
    "cascade.discarded": "Cancelled. Nothing was saved.",
    "cascade.saved_new": (
        "✅ The {level} Bimtek of desa {desa} is saved.\n\nSend the {level} list (XLSX/CSV) here if you have "
        "not yet, then /umumkan the schedule. On the day, show /qr for check-in."
    ),
    "cascade.saved_changed": "✅ The {level} Bimtek of desa {desa} is updated.",
    "cascade.no_session": "Desa {desa} has no Pantarlih/KPPS Bimtek yet. Create one with /bimtek_baru.",
    "cascade.sessions_hint": "Change or cancel it with /bimtek_baru.",
    # /rekap of a PPS
    "cascade.recap_empty": (
        "Desa {desa} has neither a Bimtek nor a Pantarlih/KPPS list yet.\n"
        "Create the Bimtek with /bimtek_baru and send the list (XLSX/CSV) here."
    ),
    "cascade.recap_title": "<b>Bimtek recap of desa {desa}</b>",
    "cascade.recap_when": "{date}, {time} — {venue}",
    "cascade.recap_no_session": "not scheduled yet (/bimtek_baru)",
    "cascade.recap_level": (
        "<b>{level}</b>: {when}\nOn the list: {roster} · registered with the bot: {registered} · present: {present}"
    ),
    "cascade.recap_absent_title": "Not present yet:",
    "cascade.recap_absent": "• {name} (TPS {tps})",
    "cascade.recap_absent_unregistered": "• {name} (TPS {tps}) — not registered with the bot",
    # /hadirkan of a PPS
    "cascade.manual_usage": (
        "Record the attendance of a Pantarlih/KPPS of your desa by hand:\n"
        "<code>/hadirkan 081234567890 reason</code>\nThe reason is required."
    ),
    "cascade.manual_not_found": "Number {phone} is not on the Pantarlih/KPPS list of desa {desa}.",
    # The roster document
    "cascade.roster_not_a_table": (
        "Send the Pantarlih/KPPS list as an XLSX or CSV file (columns: nama, jabatan, tps, telepon)."
    ),
    "cascade.roster_too_big": "The file is too large for one desa's list (2 MB at most).",
    "cascade.roster_rejected": "❌ The list was <b>not saved</b>: {count} errors. Fix them and send the file again.",
    "cascade.roster_row": "Row {row}: {problem}",
    "cascade.roster_more": "… and {count} more errors",
    "cascade.roster_format": (
        "Columns: <b>nama, jabatan, tps, telepon</b>. Jabatan: Pantarlih or KPPS; TPS is required for KPPS."
    ),
    "cascade.roster_imported": (
        "✅ The list of desa {desa} is saved: {pantarlih} Pantarlih, {kpps} KPPS "
        "({added} new, {removed} removed; {registered} already registered with the bot).\n\n"
        "Ask them to open this bot and type /daftar with the phone number on the list."
    ),
    "cascade.roster.error.empty_name": "the name is empty",
    "cascade.roster.error.name_too_long": "the name is longer than {max} characters",
    "cascade.roster.error.unknown_role": "unknown jabatan '{value}' (Pantarlih or KPPS)",
    "cascade.roster.error.missing_tps": "the TPS is empty (required for KPPS)",
    "cascade.roster.error.invalid_tps": "TPS '{value}' is not a TPS number",
    "cascade.roster.error.missing_phone": "the phone number is empty",
    "cascade.roster.error.invalid_phone": "phone number '{value}' cannot be read as an Indonesian mobile number",
    "cascade.roster.error.duplicate_phone": "phone number {phone} is already used on row {first_row}",
    "cascade.roster.error.other_desa": "number {phone} already has this jabatan in desa {desa}",
    # /umumkan of a PPS
    "cascade.announce_ask": "Write the announcement for the Pantarlih/KPPS of desa {desa}. Type /batal to stop.",
    "cascade.announce_no_placeholders": "Desa announcements use no {…} placeholders. Write the text as it is.",
    "cascade.announce_ask_who": "Send it to whom?",
    "cascade.announce_who.pantarlih": "My desa's Pantarlih",
    "cascade.announce_who.kpps": "My desa's KPPS",
    "cascade.announce_who.both": "My desa's Pantarlih and KPPS",
    "cascade.announce_summary": (
        "To: {roles} of desa {desa}\nRecipients: <b>{recipients}</b> "
        "(not registered: {not_registered}, unreachable: {unreachable})\n\nSend now?"
    ),
    # /kaskade
    "cascade.progress_title": (
        "<b>{level} Bimtek in the desa — {scope}</b>\n"
        "{scheduled} of {total} desa have scheduled it, {held} have held it."
    ),
    "cascade.progress_kecamatan": "{kecamatan}: {scheduled}/{total} desa scheduled · present {present}/{roster}",
    "cascade.progress_desa": "{desa}: {when} · present {present}/{roster}",
    "cascade.progress_more": "… and {count} more",
    "cascade.progress_late_deadline": "<b>Not scheduled before {deadline}</b> ({count} desa):",
    "cascade.progress_late": "<b>Not scheduled</b> ({count} desa):",
    "cascade.progress_late_item": "• {desa} (Kec. {kecamatan})",
    # /bantuan for a PPS
    "help.cascade": (
        "\n\n<b>The Pantarlih/KPPS Bimtek of your desa</b>\n\n"
        "/bimtek_baru — create, change or cancel your desa's Bimtek\n/bimtek — your desa's Bimtek\n"
        "Send an XLSX/CSV file — your desa's Pantarlih/KPPS list\n"
        "/umumkan — announce to your desa's Pantarlih/KPPS\n/qr — the check-in QR code\n"
        "/rekap — attendance recap\n/hadirkan — record attendance by hand"
    ),
    "help.cascade_coordinator": "\n/kaskade — progress of the Pantarlih/KPPS Bimtek in the desa",
    # The command line
    "cascade.cli_unknown_desa": "Desa/kelurahan '{desa}' not found. Give its code (e.g. 36.02.01.2001) or its name with --kecamatan.",
    "cascade.cli_desa_candidates": "Several have that name: {candidates}",
    "cascade.cli_imported": "The Pantarlih/KPPS list of desa {desa} is saved: {pantarlih} Pantarlih, {kpps} KPPS ({added} new, {removed} removed).",
    # plan import: [[desa_bimtek]]
    "plan.desa_bimtek.imported": "Desa Bimtek (cascade): {count} ({new} new).",
    "plan.error.desa_bimtek_level": 'level must be "pantarlih" or "kpps", written {value}',
    "plan.error.desa_bimtek_end_before_start": "end must be after start",
    "plan.error.desa_bimtek_half_location": "give both latitude and longitude, or neither",
    "plan.error.desa_bimtek_radius": "radius_m must be a positive whole number and needs latitude/longitude, written {value}",
    "plan.error.desa_bimtek_unknown_desa": "{desa} is not in the region list (or not the only one)",
    # rehearse: the cascade
    "rh.cascade_title": "Cascade: the Pantarlih Bimtek of desa {desa}, run by PPS {name}",
    "rh.cascade_no_pps": "Cascade: desa {desa} has no registered PPS for the rehearsal; skipped.",
    "rh.cascade_scheduled": "  /bimtek_baru: moved to {start} WIB at {venue}",
    "rh.cascade_registered": "  the Pantarlih list sent as a document; {count} Pantarlih registered with /daftar",
    "rh.cascade_done": "  /qr: {present} of {total} Pantarlih checked in; /rekap: {recap}",
    "checkin.other_desa": "This code is for the Bimtek of desa {desa}, not yours. Check in at your own Bimtek's venue.",
    "cascade.progress_none_late": "✅ Every desa has scheduled it.",
}
