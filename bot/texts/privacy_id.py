"""Indonesian texts of personal data: the registration notice, /datasaya, /hapus, `purge` and `audit export`."""

TEXTS: dict[str, str] = {
    # The notice shown before the registration's confirm button ([privacy] notice_file replaces it)
    "privacy.notice": (
        "🔒 <b>Pemberitahuan data pribadi</b> (UU No. 27 Tahun 2022)\n"
        "• <b>Yang disimpan:</b> nama, jabatan, desa/kecamatan dan nomor HP dari daftar resmi KPU; akun Telegram "
        "Anda (ID dan bahasa); waktu presensi Bimtek dengan jarak ke lokasi (bukan titik lokasi Anda); pesan "
        "yang Anda terima; tanda tugas selesai.\n"
        "• <b>Untuk apa:</b> presensi Bimtek dan koordinasi tugas pemilihan.\n"
        "• <b>Siapa yang melihat:</b> koordinator PPK kecamatan Anda dan KPU Kabupaten Lebak.\n"
        "• <b>Berapa lama:</b> sampai {retain_days} hari setelah tahapan selesai; daftar resmi dan presensi "
        "disimpan sebagai arsip KPU.\n"
        "• <b>Hak Anda:</b> /datasaya untuk melihat semua data Anda, /hapus untuk menghapus akun Anda dari bot."
    ),
    # /datasaya
    "privacy.own_data_caption": (
        "📄 Semua data tentang Anda di bot ini, per {when}: {check_ins} presensi, {deliveries} pesan, "
        "{duties} tanda tugas, {audit} catatan audit.\n"
        "Berkas JSON: bisa dibuka sebagai teks di HP, dan dibaca komputer. Untuk menghapus akun: /hapus"
    ),
    "privacy.own_data_filename": "data-saya-{stamp}.json",
    "privacy.own_data_about": (
        "Data pribadi Anda di Bot Bimtek PPS KPU Kabupaten Lebak (UU No. 27 Tahun 2022), untuk presensi Bimtek "
        "dan koordinasi tugas pemilihan. Presensi menyimpan jarak ke lokasi, bukan titik lokasi. Waktu dalam "
        "{zone}. Data keliru? Hubungi PPK kecamatan Anda atau KPU Lebak."
    ),
    # /hapus
    "privacy.erase_ask_member": (
        "⚠️ <b>Hapus akun Anda dari bot?</b>\n\n"
        "Yang dihapus: ID Telegram dan pilihan bahasa Anda, riwayat {deliveries} pesan dan pesan yang belum "
        "terkirim. Anda tidak lagi menerima pengumuman dan pengingat.\n"
        "Yang tetap disimpan sebagai arsip resmi KPU: data Anda di daftar PPS/PPK (<b>{name}</b>) dan presensi "
        "Bimtek.\n\nAnda bisa mendaftar lagi kapan saja dengan /daftar."
    ),
    "privacy.erase_ask_coordinator": (
        "\n\nAnda juga koordinator: akun ini dilepas dari peran koordinator; daftar lagi dengan /daftar untuk "
        "memakainya. Catatan audit akses Anda tetap disimpan sampai masa simpannya habis."
    ),
    "privacy.erase_ask_not_member": (
        "⚠️ <b>Hapus data Anda dari bot?</b>\n\n"
        "Akun ini tidak terhubung ke daftar PPS/PPK. Yang dihapus: ID Telegram, pilihan bahasa dan percobaan pendaftaran Anda."
    ),
    "privacy.button_erase": "🗑 Ya, hapus",
    "privacy.button_keep": "Batal",
    "privacy.erase_done_member": (
        "✅ Akun Anda sudah dihapus dari bot: {deliveries} catatan pesan dihapus. Data Anda di daftar resmi "
        "dan presensi tetap disimpan KPU.\n\nUntuk mendaftar lagi, ketik /daftar."
    ),
    "privacy.erase_done_other": "✅ Data Anda sudah dihapus dari bot. Untuk mendaftar, ketik /daftar.",
    "privacy.erase_kept": "Baik, tidak ada yang dihapus.",
    # Coordinators' lists: a member who deleted their account
    "attendance.status_account_deleted": "akun dihapus",
    # Command menu and help
    "cmd.datasaya": "Data pribadi saya",
    "cmd.hapus": "Hapus akun saya dari bot",
    # python -m bot purge [--dry-run]
    "cli.purge.not_yet": (
        "Belum ada yang dihapus: tahapan berakhir {plan_end}; data disimpan sampai {kept_until} "
        "([privacy] retain_days = {days})."
    ),
    "cli.purge.cutoff": "Menghapus data pribadi yang lebih tua dari {cutoff} ([privacy] retain_days = {days}):",
    "cli.purge.cutoff_dry": (
        "Uji coba (--dry-run), tidak ada yang diubah. Yang akan dihapus, lebih tua dari {cutoff} "
        "([privacy] retain_days = {days}):"
    ),
    "cli.purge.line": "  {kind}: {count}",
    "cli.purge.deliveries": "catatan pengiriman pesan",
    "cli.purge.deleted_account_deliveries": "catatan pengiriman akun yang dihapus",
    "cli.purge.messages": "isi pengumuman yang sudah selesai",
    "cli.purge.audit_entries": "catatan audit",
    "cli.purge.registration_attempts": "percobaan pendaftaran yang ditolak",
    "cli.purge.locations": "  lokasi: 0 (presensi hanya menyimpan jarak, tidak pernah titik lokasi)",
    "cli.purge.total": "Jumlah: {count}.",
    "cli.purge.total_dry": "Jumlah yang akan dihapus: {count}. Jalankan tanpa --dry-run untuk menghapus.",
    "cli.purge.no_plan": "belum ada rencana",
    "cli.purge.started": "Pembersihan data pribadi saat bot mulai: {count} catatan dihapus.",
    # python -m bot audit export [--output F]
    "cli.audit.written": "Log audit ditulis ke {path}: {count} catatan.",
    "cli.audit.unwritable": "Berkas {file} tidak bisa ditulis: {reason}",
    "audit.personal_data": (
        "BERISI DATA PRIBADI (UU No. 27 Tahun 2022): log audit akses Bot Bimtek PPS KPU Kabupaten Lebak, "
        "untuk pengawasan siapa mengakses data peserta. Jangan disebarkan."
    ),
    "audit.columns": "waktu,pelaku,nama pelaku (sekarang),koordinator (sekarang),tindakan,rincian,catatan",
}
