"""English texts of the Bimtek day for members and venues: /jadwal, /hadir, /qr and manual check-in."""

TEXTS: dict[str, str] = {
    # /jadwal
    "schedule.none": "There is no Bimtek schedule for Kecamatan {kecamatan} yet. Watch for announcements from your PPK or KPU Lebak.",
    "schedule.card": (
        "<b>PPS Bimtek — Kecamatan {kecamatan}</b>\n\n"
        "Venue: {venue}\nAddress: {address}\nDate: {date}\nTime: {times}\nCheck-in open: {checkin_times}\n\n"
        "{status}"
    ),
    "schedule.status_present": "✅ You checked in at {time}.",
    "schedule.status_absent": "⏳ You have not checked in yet. At the venue, scan the QR code or send /hadir and the code.",
    # /hadir and check-in
    "checkin.ask_code": (
        "To check in, scan the QR code at the Bimtek venue with your phone's camera, or send /hadir followed "
        "by the 6-digit code shown on the screen, e.g. <code>/hadir 123456</code>."
    ),
    "checkin.ask_location": (
        "Code accepted. One more step: tap <b>Send my location</b> so your check-in is recorded at the "
        "Bimtek venue ({venue}, radius {radius})."
    ),
    "checkin.ask_location_only": (
        "Bimtek check-in at {venue}: tap <b>Send my location</b> (you must be within {radius}), "
        "or send /hadir followed by the 6-digit code on the screen."
    ),
    "checkin.button_location": "📍 Send my location",
    "checkin.done": "✅ Check-in recorded, <b>{name}</b>!\n{venue}, Kec. {kecamatan}\nTime: {time}",
    "checkin.already": "You already checked in at {time}. No need to check in again.",
    "checkin.no_session": "There is no Bimtek session for your kecamatan yet. Contact your PPK or KPU Lebak.",
    "checkin.not_today": "Your Bimtek is not today but on {date}. Send /jadwal for details.",
    "checkin.not_open": "Check-in is not open yet. It opens at {time}.",
    "checkin.closed": (
        "Check-in closed at {time}. If you are present but not recorded, ask the PPK or KPU staff at the "
        "venue to record your attendance."
    ),
    "checkin.wrong_code": (
        "The code is wrong or has expired (it changes every {minutes} minutes). Read the current code at the "
        "Bimtek venue and send /hadir followed by the 6 digits, or scan the QR code again."
    ),
    "checkin.other_kecamatan": (
        "This code is for the Bimtek of Kecamatan {kecamatan}, not your kecamatan. Check in at your own "
        "kecamatan's venue."
    ),
    "checkin.too_far": (
        "Your location is {distance} from {venue}; check-in only works within {radius}. Make sure GPS is on "
        "and send your location again from the venue."
    ),
    "checkin.forwarded_location": (
        "A location forwarded from someone else cannot be used to check in. Tap <b>Send my location</b>."
    ),
    "checkin.location_expired": "This check-in step has expired. Send /hadir and the code again.",
    # Coordinators: /qr and manual check-in
    "qr.caption": (
        "<b>Bimtek check-in — Kecamatan {kecamatan}</b>\n{venue}\n\n"
        "Scan this QR code with your phone's camera, or send:\n<code>/hadir {code}</code>\n\n"
        "The code changes at {until}. Check-in closes at {closes}."
    ),
    "qr.closed": "<b>Bimtek check-in — Kecamatan {kecamatan}</b>\n\nCheck-in closed at {closes}.",
    "qr.ask_kecamatan": "Name the kecamatan, e.g. <code>/qr Malingping</code>.",
    "qr.unknown_kecamatan": "There is no Bimtek session for kecamatan «{name}». Check the spelling (see /rekap).",
    "coordinator.out_of_scope": "You can only manage Kecamatan {kecamatan}.",
    "manual.usage": (
        "Record attendance by hand (e.g. the member's phone failed):\n"
        "<code>/hadirkan 081234567890 reason</code>\nThe reason is required."
    ),
    "manual.done": "✅ Attendance of <b>{name}</b> recorded at {time} (by hand: {reason}).",
    "manual.already": "<b>{name}</b> already checked in at {time}.",
    "manual.not_found": "The number {phone} is not on the PPS/PPK roster.",
    "manual.no_session": "There is no Bimtek session for this member's kecamatan yet.",
}
