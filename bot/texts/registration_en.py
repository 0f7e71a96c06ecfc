"""English texts of registration: /start's contact button, the roster match and the confirmation."""

TEXTS: dict[str, str] = {
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
}
