"""English texts."""

TEXTS: dict[str, str] = {
    # General
    "error.generic": (
        "Sorry, something went wrong while handling your request. Please try again in a moment. "
        "If it keeps failing, contact your PPK or KPU Lebak."
    ),
    "error.not_registered": (
        "You are not registered yet. Send /daftar to register with the phone number on the PPS roster."
    ),
    "error.not_coordinator": "This command is only for KPU Lebak and PPK coordinators.",
    "error.stale_button": "This button is no longer valid. Please repeat the command.",
    "unknown_command": "Unknown command. Send /bantuan to see the list of commands.",
    "unknown_text": "Sorry, I did not understand that. Send /bantuan to see the list of commands.",
    # /start
    "start.unregistered": (
        "Welcome to the <b>KPU Lebak PPS Bimtek bot</b>, {first_name}!\n\n"
        "This bot helps PPS members: registration, Bimtek schedule and attendance, and duty reminders.\n\n"
        "To begin, send /daftar and share your phone number. It must be the number on the PPS/PPK roster."
    ),
    "start.registered": "Welcome back, <b>{name}</b>!\n{role_line}\n\nSend /bantuan to see the commands.",
    "start.coordinator": "Welcome, coordinator for <b>{scope}</b>!\n\nSend /bantuan to see coordinator commands.",
    # Registration
    "register.ask_contact": (
        "To register, tap the <b>Share my phone number</b> button below.\n\n"
        "Your number is matched against KPU Lebak's official PPS/PPK roster."
    ),
    "register.button_share": "📱 Share my phone number",
    "register.foreign_contact": (
        "The contact you sent is not your own number. For security, you can only register with your "
        "own Telegram account's number. Tap <b>Share my phone number</b>."
    ),
    "register.no_user_id": (
        "This contact card cannot be used to register because it is not linked to a Telegram account. "
        "Tap <b>Share my phone number</b> to share your own number."
    ),
    "register.invalid_phone": (
        "The number {phone} cannot be read as an Indonesian phone number. Contact your PPK or KPU Lebak."
    ),
    "register.not_on_roster": (
        "The number {phone} is not on KPU Lebak's PPS/PPK roster.\n\n"
        "If you are a PPS member, ask the PPK of your kecamatan or KPU Lebak to record your number, "
        "then send /daftar again. This attempt has been recorded for the coordinators."
    ),
    "register.linked_elsewhere": (
        "The number {phone} is already linked to another Telegram account. If that is not you, or you "
        "changed accounts, contact your PPK or KPU Lebak. This attempt has been recorded."
    ),
    "register.confirm": (
        "Your number matches this record:\n\n"
        "Name: <b>{name}</b>\nPosition: {position}\n{place}\n\nIs this you?"
    ),
    "register.button_yes": "✅ Yes, that's me",
    "register.button_no": "❌ Not me",
    "register.thanks": "Thank you. Your number is being matched against the PPS/PPK roster.",
    "register.confirm_coordinator": (
        "Your number is registered as coordinator for <b>{scope}</b>.\n\nLink this Telegram account?"
    ),
    "register.done": (
        "Registration complete. Welcome, <b>{name}</b>!\n\n"
        "Send /jadwal for your Bimtek schedule, or /bantuan for all commands."
    ),
    "register.coordinator_done": (
        "Registration complete. You are registered as coordinator for <b>{scope}</b>.\n\n"
        "Send /bantuan to see coordinator commands."
    ),
    "register.declined": (
        "All right, your account was not linked. If the roster is wrong, contact your PPK or KPU Lebak."
    ),
    "register.expired": "This confirmation has expired. Send /daftar to start again.",
    "register.already": "You are already registered as <b>{name}</b> ({position}, {place_short}).",
    # Roles and places
    "position.ketua": "PPS Chair",
    "position.anggota": "PPS Member",
    "position.ppk": "PPK Member",
    "place.desa": "Village: {desa}\nKecamatan: {kecamatan}",
    "place.kecamatan": "Kecamatan: {kecamatan}",
    "place.short_desa": "{desa}, Kec. {kecamatan}",
    "place.short_kecamatan": "Kec. {kecamatan}",
    "scope.regency": "Lebak Regency",
    "scope.kecamatan": "Kecamatan {kecamatan}",
    # /profil
    "profile.member": (
        "<b>Your profile</b>\n\nName: {name}\nPosition: {position}\n{place}\nPhone: {phone}\n"
        "Registered: {registered_at}"
    ),
    "profile.coordinator_line": "\nCoordinator: {scope}",
    "profile.coordinator_only": "<b>Your profile</b>\n\nCoordinator: {scope}",
    "profile.telegram_id": "\nTelegram user id: <code>{user_id}</code>",
    "profile.unregistered_id": (
        "\n\nYour Telegram user id: <code>{user_id}</code> (KPU staff who are not on the PPS roster can be made "
        "coordinators by putting this id in [bot] admins of the bot's config file)."
    ),
    # /bantuan
    "help.unregistered": (
        "<b>Help</b>\n\n/daftar — register with your phone number\n/bahasa — change language\n"
        "/bantuan — this help\n\nRegistration problems? Contact the PPK of your kecamatan or KPU Lebak."
    ),
    "help.basic": "<b>Help</b>\n\n/profil — your details\n/bahasa — change language\n/bantuan — this help",
    "help.member": (
        "<b>Help for PPS/PPK members</b>\n\n"
        "/jadwal — your Bimtek schedule and venue\n/hadir — Bimtek check-in (code, QR or location)\n"
        "/tugas — your duties and deadlines\n/profil — your details\n/bahasa — change language\n"
        "/bantuan — this help"
    ),
    "help.coordinator": (
        "\n\n<b>Coordinator commands</b>\n\n"
        "/umumkan — send an announcement (now or scheduled)\n/terjadwal — scheduled announcements\n"
        "/rekap — attendance summary\n/qr — check-in QR code\n/ekspor — download the summary (XLSX)\n"
        "/tugas_baru — create a duty\n/rekap_tugas — duty completion summary"
    ),
    # /bahasa
    "language.ask": "Choose a language:",
    "language.set": "Language changed to English.",
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
    # /umumkan wizard
    "bc.ask_message": (
        "<b>New announcement</b>\n\nSend the announcement: text, or a photo/document with a caption.\n"
        "Placeholders filled in for each recipient: {placeholders}\n\nSend /batal to cancel."
    ),
    "bc.unknown_placeholders": "Unknown placeholders: {names}. You can use: {placeholders}. Send the message again.",
    "bc.empty_message": "The message is empty. Send text, or a photo/document with a caption.",
    "bc.too_long": "The message is too long for Telegram: {length} characters with placeholders filled in (limit {limit}). Shorten it and send again.",
    "bc.ask_audience": "Who should receive this announcement?",
    "bc.audience.all": "All PPS and PPK",
    "bc.audience.pps": "All PPS",
    "bc.audience.ketua": "PPS chairs only",
    "bc.audience.ppk": "PPK only",
    "bc.audience.not_checked_in": "Not checked in today",
    "bc.ask_kecamatan": "Choose kecamatan (several allowed), then tap <b>Next</b>. No choice = every kecamatan.",
    "bc.button_next": "Next ➡️",
    "bc.ask_when": "When should it go out? Tap <b>Send now</b>, or type the time in WIB, e.g.: {examples}",
    "bc.button_now": "Send now",
    "bc.time_error": "Cannot read the time «{text}». Examples that work: {examples}",
    "bc.time_in_past": "That time has already passed ({time}). Choose a time in the future.",
    "bc.time_too_far": "That time is too far ahead. Choose a time within the next 400 days.",
    "bc.preview_intro": "Preview — this is how recipients will see it (example: {name}):",
    "bc.summary": (
        "<b>Ready to send</b>\nRecipients: <b>{recipients}</b> people\n"
        "Not receiving: {not_registered} not registered, {unreachable} unreachable\n"
        "Time: {when}\nAlso for late registrants: {late}"
    ),
    "bc.when_now": "now",
    "bc.yes": "yes",
    "bc.no": "no",
    "bc.button_send": "✅ Send",
    "bc.button_schedule": "✅ Schedule",
    "bc.button_cancel": "❌ Cancel",
    "bc.button_late": "Late registrants: {late}",
    "bc.nobody": "Nobody reachable matches this choice. Choose other recipients or /batal.",
    "bc.cancelled": "Announcement cancelled. Nothing was sent.",
    "bc.scheduled": "🕒 Announcement #{id} scheduled for {when} to {recipients} people. See /terjadwal to cancel it.",
    "bc.progress": "📤 Sending announcement #{id}… {sent} of {total} sent",
    "bc.report": (
        "✅ Announcement #{id} finished.\nSent: {sent} of {total}\n"
        "Unreachable (blocked the bot): {blocked}\nFailed: {failed}"
    ),
    "bc.report_resent": "\nResent after an outage (may have received it twice): {resent}",
    "bc.stopped": (
        "⛔ Announcement #{id} stopped: Telegram rejected its formatting ({error}). "
        "{sent} of {total} sent. Fix the message and send it again with /umumkan."
    ),
    "bc.button_undelivered": "Who did not receive it",
    "bc.undelivered_none": "Every recipient of announcement #{id} received it.",
    "bc.undelivered_title": "Did not receive announcement #{id}:",
    "bc.undelivered_line": "{kecamatan} — {name} ({phone}): {status}",
    "bc.missed": (
        "⚠️ Announcement #{id} scheduled for {when} was not sent: the bot was not running at the time and "
        "the grace period has passed. Send it again with /umumkan if still needed:\n«{first_line}»"
    ),
    "bc.conversation_cancelled": "Cancelled.",
    "bc.conversation_timeout": "The announcement was left unfinished for 30 minutes and has been cancelled.",
    # /terjadwal
    "sched.none": "No scheduled announcements.",
    "sched.title": "<b>Scheduled announcements</b>",
    "sched.line": "#{id} · {when} · {audience}\n«{first_line}»",
    "sched.button_cancel": "Cancel #{id}",
    "sched.confirm": "Cancel announcement #{id} ({when})?\n«{first_line}»",
    "sched.button_yes": "Yes, cancel it",
    "sched.button_no": "No",
    "sched.cancelled": "Announcement #{id} cancelled.",
    "sched.not_cancellable": "This announcement is no longer scheduled (already sent or cancelled).",
    "sched.kept": "Kept as scheduled.",
    # Command menu (setMyCommands)
    "cmd.start": "Start",
    "cmd.daftar": "Register with your phone number",
    "cmd.jadwal": "Bimtek schedule and venue",
    "cmd.hadir": "Bimtek check-in",
    "cmd.tugas": "Duties and deadlines",
    "cmd.profil": "My details",
    "cmd.bantuan": "Help",
    "cmd.bahasa": "Change language",
}
