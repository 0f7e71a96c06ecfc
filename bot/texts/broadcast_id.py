"""Indonesian texts of broadcasts: the /umumkan wizard and /terjadwal."""

TEXTS: dict[str, str] = {
    # /umumkan wizard
    "bc.ask_message": (
        "<b>Pengumuman baru</b>\n\nKirim isi pengumumannya: teks, atau foto/dokumen dengan keterangan.\n"
        "Penanda yang diisi otomatis untuk tiap penerima: {placeholders}\n\nKetik /batal untuk membatalkan."
    ),
    "bc.unknown_placeholders": "Penanda tidak dikenal: {names}. Yang bisa dipakai: {placeholders}. Kirim ulang pesannya.",
    "bc.empty_message": "Pesannya kosong. Kirim teks, atau foto/dokumen dengan keterangan.",
    "bc.too_long": "Pesan terlalu panjang untuk Telegram: {length} karakter setelah penanda diisi (batas {limit}). Perpendek lalu kirim ulang.",
    "bc.ask_audience": "Kepada siapa pengumuman ini dikirim?",
    "bc.audience.all": "Semua PPS dan PPK",
    "bc.audience.pps": "Semua PPS",
    "bc.audience.ketua": "Ketua PPS saja",
    "bc.audience.ppk": "PPK saja",
    "bc.audience.not_checked_in": "Belum presensi hari ini",
    "bc.ask_kecamatan": "Pilih kecamatan (boleh lebih dari satu), lalu tekan <b>Lanjut</b>. Tanpa pilihan = semua kecamatan.",
    "bc.button_next": "Lanjut ➡️",
    "bc.ask_when": (
        "Kapan dikirim? Tekan <b>Kirim sekarang</b>, atau ketik waktunya dalam WIB, misalnya: {examples}"
    ),
    "bc.button_now": "Kirim sekarang",
    "bc.time_error": "Waktu tidak dapat dibaca: «{text}». Contoh yang benar: {examples}",
    "bc.time_in_past": "Waktu itu sudah lewat ({time}). Pilih waktu yang akan datang.",
    "bc.time_too_far": "Waktu itu terlalu jauh ke depan. Pilih waktu dalam 400 hari ke depan.",
    "bc.preview_intro": "Pratinjau — begini pesan akan terlihat oleh penerima (contoh: {name}):",
    "bc.summary": (
        "<b>Siap dikirim</b>\nPenerima: <b>{recipients}</b> orang\n"
        "Tidak menerima: {not_registered} belum terdaftar, {unreachable} tidak dapat dihubungi\n"
        "Waktu: {when}\nJuga untuk yang mendaftar belakangan: {late}"
    ),
    "bc.when_now": "sekarang",
    "bc.yes": "ya",
    "bc.no": "tidak",
    "bc.button_send": "✅ Kirim",
    "bc.button_schedule": "✅ Jadwalkan",
    "bc.button_cancel": "❌ Batal",
    "bc.button_late": "Pendaftar belakangan: {late}",
    "bc.nobody": "Tidak ada penerima yang dapat dihubungi untuk pilihan ini. Pilih penerima lain atau /batal.",
    "bc.cancelled": "Pengumuman dibatalkan. Tidak ada yang dikirim.",
    "bc.scheduled": "🕒 Pengumuman #{id} dijadwalkan {when} untuk {recipients} orang. Lihat /terjadwal untuk membatalkan.",
    "bc.progress": "📤 Mengirim pengumuman #{id}… terkirim {sent} dari {total}",
    "bc.report": (
        "✅ Pengumuman #{id} selesai.\nTerkirim: {sent} dari {total}\n"
        "Tidak dapat dihubungi (memblokir bot): {blocked}\nGagal: {failed}"
    ),
    "bc.report_resent": "\nDikirim ulang setelah gangguan (mungkin terima dua kali): {resent}",
    "bc.stopped": (
        "⛔ Pengumuman #{id} dihentikan: Telegram menolak format pesannya ({error}). "
        "Terkirim {sent} dari {total}. Perbaiki pesannya lalu kirim ulang dengan /umumkan."
    ),
    "bc.button_undelivered": "Daftar yang tidak menerima",
    "bc.undelivered_none": "Semua penerima pengumuman #{id} sudah menerima pesannya.",
    "bc.undelivered_title": "Tidak menerima pengumuman #{id}:",
    "bc.undelivered_line": "{kecamatan} — {name} ({phone}): {status}",
    # A recipient's delivery status, as the list of who did not receive it says it.
    "bc.delivery_status.pending": "belum terkirim",
    "bc.delivery_status.sending": "belum terkirim",
    "bc.delivery_status.sent": "terkirim",
    "bc.delivery_status.blocked": "diblokir",
    "bc.delivery_status.failed": "gagal",
    "bc.delivery_status.cancelled": "dibatalkan",
    "bc.missed": (
        "⚠️ Pengumuman #{id} yang dijadwalkan {when} tidak terkirim: bot tidak berjalan pada waktunya "
        "dan batas toleransi sudah lewat. Kirim ulang dengan /umumkan bila masih perlu:\n«{first_line}»"
    ),
    "bc.conversation_cancelled": "Dibatalkan.",
    "bc.conversation_timeout": "Pengumuman tidak dilanjutkan selama 30 menit dan dibatalkan.",
    # /terjadwal
    "sched.none": "Tidak ada pengumuman terjadwal.",
    "sched.title": "<b>Pengumuman terjadwal</b>",
    "sched.page": "Halaman {page} dari {pages} · {total} pengumuman",
    "sched.line": "#{id} · {when} · {audience} · {recipients} penerima\n«{first_line}»",
    "sched.button_previous": "‹ Sebelumnya",
    "sched.button_next": "Berikutnya ›",
    "sched.button_cancel": "Batalkan #{id}",
    "sched.confirm": "Batalkan pengumuman #{id} ({when})?\n«{first_line}»",
    "sched.button_yes": "Ya, batalkan",
    "sched.button_no": "Tidak",
    "sched.cancelled": "Pengumuman #{id} dibatalkan.",
    "sched.not_cancellable": "Pengumuman ini sudah tidak terjadwal (sudah dikirim atau dibatalkan).",
    "sched.kept": "Tidak jadi dibatalkan.",
    # "Sudah dibaca" (acknowledgements): the wizard's toggles, the button, the reminder, the coordinator's views
    "bc.button_ack": "Minta konfirmasi dibaca: {ack}",
    "bc.button_ack_reminder": "Ingatkan yang belum membaca: {reminder}",
    "bc.reminder_none": "tidak ada",
    "bc.reminder_hours": "setelah {hours} jam",
    "bc.ack_note": "\n📖 Penerima diminta menekan <b>Sudah dibaca ✅</b>. Pengingat bagi yang belum membaca: {reminder}.",
    "bc.report_ack": "\nSudah dibaca: {acknowledged} dari {received}",
    "bc.button_acks": "📖 Siapa sudah membaca",
    "ack.button": "Sudah dibaca ✅",
    "ack.button_done": "✅ Tercatat sudah dibaca",
    "ack.recorded": "Terima kasih, tercatat sudah dibaca.",
    "ack.already": "Sudah tercatat.",
    "ack.not_recipient": "Tombol ini bukan untuk Anda: pengumuman ini tidak dikirim kepada Anda.",
    "ack.reminder_body": (
        "⏰ <b>Pengingat</b>\nAnda belum menandai pengumuman ini sudah dibaca:\n«{first_line}»\n\n"
        "Mohon baca pengumuman tersebut, lalu tekan <b>Sudah dibaca ✅</b>."
    ),
    "ack.overview_title": "📖 <b>Konfirmasi dibaca — pengumuman #{id}</b>\n«{first_line}»\nDikirim {when}",
    "ack.overview_total": "Sudah dibaca: <b>{acknowledged}</b> dari {received} penerima ({percent})",
    "ack.overview_line": "{kecamatan}: {acknowledged}/{received} ({percent})",
    "ack.overview_none": "Belum ada penerima yang menerima pengumuman ini.",
    "ack.overview_hint": "Tekan nama kecamatan untuk melihat siapa saja per desa.",
    "ack.as_of": "<i>Keadaan {when}</i>",
    "ack.button_refresh": "🔄 Perbarui",
    "ack.button_back": "‹ Semua kecamatan",
    "ack.kecamatan_title": (
        "📖 <b>Pengumuman #{id} — Kecamatan {kecamatan}</b>\n«{first_line}»\n"
        "Sudah dibaca: <b>{acknowledged}</b> dari {received} ({percent})"
    ),
    "ack.desa_line": "<b>{desa}</b> — {acknowledged}/{received}",
    "ack.ppk_line": "<b>PPK</b> — {acknowledged}/{received}",
    "ack.names_done": "  ✅ {names}",
    "ack.names_waiting": "  ⏳ belum: {names}",
    "ack.kecamatan_none": "Tidak ada penerima pengumuman ini di Kecamatan {kecamatan}.",
    "ack.file_caption": "Daftarnya panjang, jadi dikirim sebagai berkas: {title}",
    "ack.file_title": "Konfirmasi dibaca pengumuman #{id}, Kecamatan {kecamatan}",
    "ack.rekap": (
        "📖 <b>Konfirmasi dibaca</b> — pengumuman terakhir #{id}\n«{first_line}»\n"
        "Sudah dibaca: <b>{acknowledged}</b> dari {received} penerima ({percent})"
    ),
    "ack.rekap_button": "📖 Rincian per kecamatan/desa",
}
