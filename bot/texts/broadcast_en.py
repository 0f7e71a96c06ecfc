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
}
