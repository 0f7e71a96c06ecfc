"""English texts of personal data: the registration notice, /datasaya, /hapus, `purge` and `audit export`."""

TEXTS: dict[str, str] = {
    # The notice shown before the registration's confirm button ([privacy] notice_file replaces it)
    "privacy.notice": (
        "🔒 <b>Personal data notice</b> (Law No. 27 of 2022)\n"
        "• <b>What is stored:</b> your name, position, village/kecamatan and phone number from KPU's official "
        "roster; your Telegram account (id and language); your Bimtek check-in time with the distance to the "
        "venue (not your location); the messages you receive; duties you mark done.\n"
        "• <b>What for:</b> Bimtek attendance and coordinating election duties.\n"
        "• <b>Who sees it:</b> the PPK coordinators of your kecamatan and KPU Kabupaten Lebak.\n"
        "• <b>How long:</b> up to {retain_days} days after the election stage ends; the official roster and "
        "attendance are kept as KPU's record.\n"
        "• <b>Your rights:</b> /datasaya to see all your data, /hapus to remove your account from the bot."
    ),
    # /datasaya
    "privacy.own_data_caption": (
        "📄 Everything this bot holds about you, as of {when}: {check_ins} check-ins, {deliveries} messages, "
        "{duties} duty marks, {audit} audit entries.\n"
        "A JSON file: opens as text on a phone, and a computer can read it. To remove your account: /hapus"
    ),
    "privacy.own_data_filename": "my-data-{stamp}.json",
    "privacy.own_data_about": (
        "Your personal data in the KPU Kabupaten Lebak PPS Bimtek bot (Law No. 27 of 2022), for Bimtek "
        "attendance and coordinating election duties. Check-ins keep the distance to the venue, not your "
        "location. Times in {zone}. Something wrong? Contact your kecamatan's PPK or KPU Lebak."
    ),
    # /hapus
    "privacy.erase_ask_member": (
        "⚠️ <b>Remove your account from the bot?</b>\n\n"
        "Deleted: your Telegram id and language choice, the record of {deliveries} messages and any message not "
        "yet sent. You will no longer receive announcements and reminders.\n"
        "Kept as KPU's official record: your roster entry (<b>{name}</b>) and your Bimtek attendance.\n\n"
        "You can register again at any time with /daftar."
    ),
    "privacy.erase_ask_coordinator": (
        "\n\nYou are also a coordinator: this account is unlinked from the coordinator role; register again with "
        "/daftar to use it. The audit of your accesses is kept until its retention ends."
    ),
    "privacy.erase_ask_not_member": (
        "⚠️ <b>Remove your data from the bot?</b>\n\n"
        "This account is not linked to the PPS/PPK roster. Deleted: your Telegram id, language choice and registration attempts."
    ),
    "privacy.button_erase": "🗑 Yes, remove",
    "privacy.button_keep": "Cancel",
    "privacy.erase_done_member": (
        "✅ Your account has been removed from the bot: {deliveries} message records deleted. Your roster entry "
        "and attendance stay with KPU.\n\nTo register again, send /daftar."
    ),
    "privacy.erase_done_other": "✅ Your data has been removed from the bot. To register, send /daftar.",
    "privacy.erase_kept": "All right, nothing was deleted.",
    # Coordinators' lists: a member who deleted their account
    "attendance.status_account_deleted": "account deleted",
    # Command menu and help
    "cmd.datasaya": "My personal data",
    "cmd.hapus": "Remove my account from the bot",
    # python -m bot purge [--dry-run]
    "cli.purge.not_yet": (
        "Nothing deleted yet: the plan ended {plan_end}; data is kept until {kept_until} "
        "([privacy] retain_days = {days})."
    ),
    "cli.purge.cutoff": "Deleting personal details older than {cutoff} ([privacy] retain_days = {days}):",
    "cli.purge.cutoff_dry": (
        "Dry run (--dry-run), nothing changed. Would delete, older than {cutoff} ([privacy] retain_days = {days}):"
    ),
    "cli.purge.line": "  {kind}: {count}",
    "cli.purge.deliveries": "message delivery records",
    "cli.purge.deleted_account_deliveries": "delivery records of deleted accounts",
    "cli.purge.messages": "texts of finished announcements",
    "cli.purge.audit_entries": "audit entries",
    "cli.purge.registration_attempts": "refused registration attempts",
    "cli.purge.locations": "  locations: 0 (check-ins keep only the distance, never a location)",
    "cli.purge.total": "Total: {count}.",
    "cli.purge.total_dry": "Total that would be deleted: {count}. Run without --dry-run to delete.",
    "cli.purge.no_plan": "no plan yet",
    "cli.purge.started": "Personal-data purge at start-up: {count} records deleted.",
    # python -m bot audit export [--output F]
    "cli.audit.written": "Audit log written to {path}: {count} entries.",
    "cli.audit.unwritable": "Cannot write {file}: {reason}",
    "audit.personal_data": (
        "CONTAINS PERSONAL DATA (Law No. 27 of 2022): the access audit of the KPU Kabupaten Lebak PPS Bimtek bot, "
        "for overseeing who accessed participants' data. Do not share."
    ),
    "audit.columns": "time,actor,actor name (today),coordinator (today),action,detail,note",
}
