"""English texts of the duty feature."""

TEXTS: dict[str, str] = {
    # Reminders (sent by the outbox; buttons under them)
    "duty.reminder": "🔔 <b>Duty reminder</b>\n\n<b>{title}</b>{description}\n\nDue: {due} ({left}){link}\n\n{how}",
    "duty.reminder.link": "\n🔗 {link}",
    "duty.how.desa": "Press <b>Done</b> once it is done. One PPS member of your desa marking it is enough.",
    "duty.how.member": "Press <b>Done</b> once you have done it.",
    "duty.left.today": "today",
    "duty.left.tomorrow": "tomorrow",
    "duty.left.days": "in {days} days",
    "duty.left.overdue": "passed",
    "duty.button.done": "✅ Done",
    "duty.button.snooze": "⏰ Remind me tomorrow",
    "duty.button.link": "🔗 Open link",
    "duty.button.undo": "↩️ Undo done",
    # What a press did, as a note under the reminder and as the button's answer
    "duty.by_me": "you",
    "duty.note.done_by_me": "✅ You marked this duty done on {when}.",
    "duty.note.done_by_mate": "✅ Already marked done by {name} on {when}.",
    "duty.note.desa_told": " The other PPS members of your desa will not be reminded again.",
    "duty.note.undo_hint": "\nTapped by mistake? Press <b>Undo</b> within {minutes} minutes.",
    "duty.note.undone": "↩️ Done mark undone; this duty is open again.",
    "duty.note.snoozed": "⏰ You will be reminded again {when}.",
    "duty.note.withdrawn": "This duty was withdrawn or is no longer yours.",
    "duty.answer.done": "Marked done: {title}",
    "duty.answer.undone": "Done mark undone: {title}",
    "duty.answer.snoozed": "OK, reminding you again {when}.",
    "duty.answer.already": "{title} was already marked done by {who} on {when}.",
    "duty.answer.not_yours": "This duty was withdrawn or is not yours.",
    "duty.answer.snooze_past_due": (
        "It is due {due}, before tomorrow, so the reminder cannot be postponed. Press Done once it is done."
    ),
    "duty.answer.nothing_to_undo": "You have no done mark to undo.",
    "duty.answer.undo_expired": (
        "A done mark can only be undone within {minutes} minutes. Contact your PPK if it is wrong."
    ),
    "duty.not_member": "This button is for registered PPS members.",
    # /tugas
    "duty.list.none": "You have no duties yet. Duties and their reminders will come through this bot.",
    "duty.list.coordinator": "/tugas is for PPS members. As a coordinator, see completion with /rekap_tugas.",
    "duty.list.title": "<b>Your duties</b>",
    "duty.list.open_heading": "\n<b>Open</b>",
    "duty.list.open_line": "{n}. <b>{title}</b>\n    Due: {due} ({left}){how}",
    "duty.list.how.member": "\n    (marked by each member)",
    "duty.list.link": "    🔗 {link}",
    "duty.list.done_heading": "\n<b>Done</b>",
    "duty.list.done_line": "✅ <b>{title}</b> — marked by {who}, {when}",
    "duty.list.hint": "\nDone already? Press the duty's button below to mark it done.",
    "duty.list.button_done": "✅ Done: {n}. {title}",
    "duty.list.button_undo": "↩️ Undo: {title}",
    # /rekap_tugas
    "duty.unit.desa": "desa",
    "duty.unit.member": "members",
    "duty.recap.none": "No duties yet. Duties come from the plan file or are created with /tugas_baru.",
    "duty.recap.title": "<b>Duty summary — {scope}</b>",
    "duty.recap.line": "\n{n}. <b>{title}</b>\n    Due {due}\n    Done {done} of {total} {unit} ({share})",
    "duty.recap.hint": "\nPress a duty for the details per kecamatan and the desa not done.",
    "duty.recap.button": "{n}. {title}",
    "duty.recap.duty_title": "<b>{title}</b>\nDue {due}\nDone {done} of {total} {unit} ({share})\n",
    "duty.recap.kecamatan_line": "{kecamatan}: {done}/{total}",
    "duty.recap.kecamatan_hint": "\nPress a kecamatan to see the desa not done.",
    "duty.recap.kecamatan_button": "{kecamatan} ({pending})",
    "duty.recap.desa_title": "<b>{title}</b> — Kec. {kecamatan}\nDue {due}\nDone {done} of {total} {unit}",
    "duty.recap.pending_heading": "\nNot done ({count} desa):",
    "duty.recap.desa_line": "• {desa}",
    "duty.recap.desa_members_line": "• {desa}: {done}/{total} (not yet: {names})",
    "duty.recap.all_done": "\n✅ All done.",
    "duty.recap.back": "⬅️ Back",
    # /tugas_baru
    "duty.new.ask_title": (
        "<b>New duty</b>\n\nSend the duty's title. Further lines, if any, become its description.\n\n"
        "Type /batal to cancel."
    ),
    "duty.new.empty_title": "The title is empty. Send the duty's title.",
    "duty.new.too_long": (
        "Too long: the title takes at most {title_max} characters, the description {description_max}. Send it again."
    ),
    "duty.new.ask_due": "When is it due? Type the date and time in WIB, for example: {examples}",
    "duty.new.due_error": "Cannot read that time: «{text}». Correct examples: {examples}",
    "duty.new.due_in_past": "That time has passed ({time}). Choose a due time in the future.",
    "duty.new.due_too_far": "That time is too far ahead. Choose a due time within the next 400 days.",
    "duty.new.ask_completion": "How is this duty done?",
    "duty.completion.desa": "Once per desa (any PPS member of the desa marks it)",
    "duty.completion.member": "By each member",
    "duty.new.ask_audience": "Who is this duty for?",
    "duty.audience.pps": "All PPS",
    "duty.audience.ketua": "PPS chairs only",
    "duty.new.ask_kecamatan": "Choose kecamatan (one or more), then press <b>Next</b>. None chosen = every kecamatan.",
    "duty.new.button_next": "Next ➡️",
    "duty.new.ask_reminders": "When are members reminded? Choose one or more, then press <b>Next</b>.",
    "duty.reminder_label.now": "Now (new duty notice)",
    "duty.reminder_label.days": "{days} days before the due date",
    "duty.reminder_label.days_at": "{days} days before the due date, at {time}",
    "duty.reminder_label.due_day": "Morning of the due day ({time})",
    "duty.reminder_label.hours": "{hours} hours before it is due",
    "duty.new.summary": (
        "<b>Check the new duty</b>\n\n<b>{title}</b>{description}\n\nDue: {due}\nFor: {audience}\n"
        "Done: {completion}\nReminder recipients now: <b>{recipients}</b> people "
        "({not_registered} not registered)\n\nReminders:\n{reminders}"
    ),
    "duty.new.reminder_line": "• {label}: {when}",
    "duty.new.reminder_skipped": "• {label}: skipped (already past or not before the due time)",
    "duty.new.no_reminders": "• none",
    "duty.new.when_now": "as soon as it is saved",
    "duty.new.button_save": "✅ Save",
    "duty.new.button_cancel": "❌ Cancel",
    "duty.new.saved": "✅ Duty #{id} saved: <b>{title}</b>. Reminders scheduled: {reminders}. See /rekap_tugas.",
    "duty.new.cancelled": "New duty cancelled. Nothing was saved.",
    "duty.new.timeout": "The new duty was left unfinished for 30 minutes and has been cancelled.",
    # The morning digest for PPK coordinators
    "duty.digest.title": "⏰ <b>Overdue duties — Kec. {kecamatan}</b>",
    "duty.digest.duty": "\n<b>{title}</b> (due {due})\nNot done: {pending} of {total} desa\n{lines}",
    "duty.digest.desa_line": "• {desa}",
    "duty.digest.desa_members_line": "• {desa}: {done}/{total} members",
    "duty.digest.more": "… and {count} more desa",
    "duty.digest.footer": "\nDetails: /rekap_tugas",
    # The duties sheet of the XLSX export (plain text)
    "duty.sheet.title": "Duties",
    "duty.col.duty": "Duty",
    "duty.col.due": "Due ({zone})",
    "duty.col.kecamatan": "Kecamatan",
    "duty.col.desa": "Desa/Kelurahan",
    "duty.col.member": "Member",
    "duty.col.status": "Status",
    "duty.col.by": "Marked by",
    "duty.col.at": "Marked at ({zone})",
    "duty.status.done": "Done",
    "duty.status.open": "Open",
    # plan import / plan show (plain text)
    "plan.duty.imported": (
        "Duties: {duties} ({new} new, {updated} changed, {unchanged} unchanged, {withdrawn} withdrawn); "
        "{reminders} reminders scheduled."
    ),
    "plan.duty.show.reminder": "  {time} {zone}  Duty reminder: {title} → {audience}, {members} members",
    "plan.duty.show.due": "  {time} {zone}  Duty due: {title} → {audience}, {members} members; {done_by}",
    "plan.error.duty_bad_name": (
        'name {value} is not valid; use lower-case letters, digits, - or _ (at most 64), e.g. "form-kpps"'
    ),
    "plan.error.duty_duplicate_name": "name {name} is already used at duty #{first}; give it another name",
    "plan.error.duty_bad_link": "the link must start with https://, written {value}",
    "plan.error.duty_bad_audience": 'must be "pps" (all PPS) or "ketua" (PPS chairs only), written {value}',
    "plan.error.duty_bad_done_by": 'must be "desa" (once per desa) or "member" (each member), written {value}',
    "plan.error.duty_not_a_list": 'must be a list of texts, e.g. ["7d", "1d", "07:00"]; written {value}',
    "plan.error.duty_bad_reminder": (
        'unknown reminder {value}; write "7d" (7 days before, at 07:00), "1d 18:00", '
        '"07:00" (the morning of the due day) or "3h" (3 hours before)'
    ),
    "plan.error.duty_reminder_not_before_due": "reminder {value} does not fall before the due time",
    "plan.warning.duty_past_due": "the due time {due} has passed; the duty is kept for the summary, without reminders",
}
