"""Indonesian texts of the program feature."""

TEXTS: dict[str, str] = {
    # plan import: [[announcement]] errors (the place, e.g. `announcement #2 (apel-pagi) at:`, comes first)
    "plan.error.announcement_bad_name": (
        "nama {value} tidak dapat dipakai: gunakan huruf kecil a–z, angka, - dan _ (contoh: malam-sebelum)"
    ),
    "plan.error.announcement_duplicate_name": "nama {name} sudah dipakai di announcement #{first}",
    "plan.error.announcement_bad_audience": "audience {value} tidak dikenal; pilih salah satu: {known}",
    "plan.error.announcement_bad_at": "waktu {value} tidak terbaca; contoh yang benar: {forms}",
    "plan.error.announcement_unknown_event": (
        "{event} tidak dikenal (maksudnya {suggestion}?); pilih salah satu: {known}"
    ),
    "plan.error.announcement_bad_clock": "jam {value} tidak ada; tulis 00:00 sampai 23:59",
    "plan.error.announcement_unknown_placeholder": ("penanda tidak dikenal: {names}; yang tersedia: {known}"),
    "plan.error.announcement_bad_ack": "ack harus true atau false, bukan {value}",
    "plan.error.announcement_bad_ack_reminder": (
        "ack_reminder_hours {value} tidak dapat dipakai: harus bilangan bulat 1 sampai {most}, dan hanya bersama ack = true"
    ),
    "plan.error.announcement_too_long": (
        "teks bisa mencapai {length} karakter setelah penanda diisi; batas Telegram {limit}"
    ),
    # plan import: warnings
    "plan.warning.announcement_past": "waktunya ({time}) sudah lewat; tidak dijadwalkan",
    "plan.warning.announcement_cancelled_kept": (
        "jadwal {time} sudah dibatalkan koordinator dan tetap batal (ganti name untuk menjadwalkannya lagi)"
    ),
    "program.imported": (
        "Program: {announcements} pengumuman — {new} jadwal kirim baru, {updated} diubah, "
        "{unchanged} tidak berubah, {removed} dihapus, {past} sudah lewat."
    ),
    # plan show
    "program.show.announcement": (
        "  {time} {zone}  Pengumuman {name} → {audience}, {where}: {recipients} penerima — {first_line}"
    ),
    "program.show.announcement_status": (
        "  {time} {zone}  Pengumuman {name} → {audience}, {where}: {recipients} penerima [{status}] — "
        "{first_line}"
    ),
    "program.show.everywhere": "seluruh kabupaten",
    "program.show.kecamatan_count": "{count} kecamatan",
    "program.audience.all": "semua PPS dan PPK",
    "program.audience.pps": "semua PPS",
    "program.audience.ketua": "ketua PPS",
    "program.audience.ppk": "PPK",
    "program.audience.not_checked_in": "yang belum presensi",
    "program.status.scheduled": "terjadwal",
    "program.status.sending": "sedang dikirim",
    "program.status.done": "terkirim",
    "program.status.cancelled": "dibatalkan",
    "program.status.missed": "terlewat",
    "program.status.failed": "gagal",
}
