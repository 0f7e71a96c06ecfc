"""English texts of broadcasts: the /umumkan wizard and /terjadwal."""

TEXTS: dict[str, str] = {
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
    # A recipient's delivery status, as the list of who did not receive it says it.
    "bc.delivery_status.pending": "not sent yet",
    "bc.delivery_status.sending": "not sent yet",
    "bc.delivery_status.sent": "sent",
    "bc.delivery_status.blocked": "blocked the bot",
    "bc.delivery_status.failed": "failed",
    "bc.delivery_status.cancelled": "cancelled",
    "bc.missed": (
        "⚠️ Announcement #{id} scheduled for {when} was not sent: the bot was not running at the time and "
        "the grace period has passed. Send it again with /umumkan if still needed:\n«{first_line}»"
    ),
    "bc.conversation_cancelled": "Cancelled.",
    "bc.conversation_timeout": "The announcement was left unfinished for 30 minutes and has been cancelled.",
    # /terjadwal
    "sched.none": "No scheduled announcements.",
    "sched.title": "<b>Scheduled announcements</b>",
    "sched.page": "Page {page} of {pages} · {total} announcements",
    "sched.line": "#{id} · {when} · {audience} · {recipients} recipients\n«{first_line}»",
    "sched.button_previous": "‹ Previous",
    "sched.button_next": "Next ›",
    "sched.button_cancel": "Cancel #{id}",
    "sched.confirm": "Cancel announcement #{id} ({when})?\n«{first_line}»",
    "sched.button_yes": "Yes, cancel it",
    "sched.button_no": "No",
    "sched.cancelled": "Announcement #{id} cancelled.",
    "sched.not_cancellable": "This announcement is no longer scheduled (already sent or cancelled).",
    "sched.kept": "Kept as scheduled.",
    # "Sudah dibaca" (acknowledgements): the wizard's toggles, the button, the reminder, the coordinator's views
    "bc.button_ack": "Ask to confirm reading: {ack}",
    "bc.button_ack_reminder": "Remind who has not read it: {reminder}",
    "bc.reminder_none": "none",
    "bc.reminder_hours": "after {hours} h",
    "bc.ack_note": "\n📖 Recipients are asked to press <b>Read ✅</b>. Reminder to those who have not: {reminder}.",
    "bc.report_ack": "\nRead: {acknowledged} of {received}",
    "bc.button_acks": "📖 Who has read it",
    "ack.button": "Read ✅",
    "ack.button_done": "✅ Recorded as read",
    "ack.recorded": "Thank you, recorded as read.",
    "ack.already": "Already recorded.",
    "ack.not_recipient": "This button is not for you: this announcement was not sent to you.",
    "ack.reminder_body": (
        "⏰ <b>Reminder</b>\nYou have not marked this announcement as read yet:\n«{first_line}»\n\n"
        "Please read it, then press <b>Read ✅</b>."
    ),
    "ack.overview_title": "📖 <b>Read confirmations — announcement #{id}</b>\n«{first_line}»\nSent {when}",
    "ack.overview_total": "Read: <b>{acknowledged}</b> of {received} recipients ({percent})",
    "ack.overview_line": "{kecamatan}: {acknowledged}/{received} ({percent})",
    "ack.overview_none": "Nobody has received this announcement yet.",
    "ack.overview_hint": "Press a kecamatan to see who, per desa.",
    "ack.as_of": "<i>As of {when}</i>",
    "ack.button_refresh": "🔄 Refresh",
    "ack.button_back": "‹ All kecamatan",
    "ack.kecamatan_title": (
        "📖 <b>Announcement #{id} — Kecamatan {kecamatan}</b>\n«{first_line}»\n"
        "Read: <b>{acknowledged}</b> of {received} ({percent})"
    ),
    "ack.desa_line": "<b>{desa}</b> — {acknowledged}/{received}",
    "ack.ppk_line": "<b>PPK</b> — {acknowledged}/{received}",
    "ack.names_done": "  ✅ {names}",
    "ack.names_waiting": "  ⏳ not yet: {names}",
    "ack.kecamatan_none": "Nobody in Kecamatan {kecamatan} received this announcement.",
    "ack.file_caption": "The list is long, so it comes as a file: {title}",
    "ack.file_title": "Read confirmations of announcement #{id}, Kecamatan {kecamatan}",
    "ack.rekap": (
        "📖 <b>Read confirmations</b> — latest announcement #{id}\n«{first_line}»\n"
        "Read: <b>{acknowledged}</b> of {received} recipients ({percent})"
    ),
    "ack.rekap_button": "📖 Details per kecamatan/desa",
}
