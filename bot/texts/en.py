"""English texts shared by every feature (errors, greetings, roles and places, /profil, /bantuan, /bahasa, the menu)."""

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
        "/tugas_baru — create a duty\n/rekap_tugas — duty completion summary\n/papan — a link to the live attendance board for the projector"
    ),
    # /bahasa
    "language.ask": "Choose a language:",
    "language.set": "Language changed to English.",
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
