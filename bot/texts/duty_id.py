"""Indonesian texts of the duty feature."""

TEXTS: dict[str, str] = {
    # Reminders (sent by the outbox; buttons under them)
    "duty.reminder": (
        "🔔 <b>Pengingat tugas</b>\n\n<b>{title}</b>{description}\n\nTenggat: {due} ({left}){link}\n\n{how}"
    ),
    "duty.reminder.link": "\n🔗 {link}",
    "duty.how.desa": (
        "Tekan <b>Selesai</b> bila sudah dikerjakan. Cukup satu anggota PPS desa Anda yang menandainya."
    ),
    "duty.how.member": "Tekan <b>Selesai</b> bila sudah Anda kerjakan.",
    "duty.left.today": "hari ini",
    "duty.left.tomorrow": "besok",
    "duty.left.days": "{days} hari lagi",
    "duty.left.overdue": "sudah lewat",
    "duty.button.done": "✅ Selesai",
    "duty.button.snooze": "⏰ Ingatkan besok",
    "duty.button.link": "🔗 Buka tautan",
    "duty.button.undo": "↩️ Batalkan tanda selesai",
    # What a press did, as a note under the reminder and as the button's answer
    "duty.by_me": "Anda",
    "duty.note.done_by_me": "✅ Anda menandai tugas ini selesai pada {when}.",
    "duty.note.done_by_mate": "✅ Sudah ditandai selesai oleh {name} pada {when}.",
    "duty.note.desa_told": " Anggota PPS lain di desa Anda tidak akan diingatkan lagi.",
    "duty.note.undo_hint": "\nSalah tekan? Tekan <b>Batalkan</b> dalam {minutes} menit.",
    "duty.note.undone": "↩️ Tanda selesai dibatalkan; tugas ini kembali terbuka.",
    "duty.note.snoozed": "⏰ Anda akan diingatkan lagi {when}.",
    "duty.note.withdrawn": "Tugas ini sudah dicabut atau tidak lagi untuk Anda.",
    "duty.answer.done": "Tercatat selesai: {title}",
    "duty.answer.undone": "Tanda selesai dibatalkan: {title}",
    "duty.answer.snoozed": "Baik, diingatkan lagi {when}.",
    "duty.answer.already": "{title} sudah ditandai selesai oleh {who} pada {when}.",
    "duty.answer.not_yours": "Tugas ini sudah dicabut atau tidak untuk Anda.",
    "duty.answer.snooze_past_due": (
        "Tenggatnya {due}, sebelum besok, jadi pengingat tidak dapat ditunda. Tekan Selesai bila sudah dikerjakan."
    ),
    "duty.answer.nothing_to_undo": "Tidak ada tanda selesai dari Anda untuk dibatalkan.",
    "duty.answer.undo_expired": (
        "Tanda selesai hanya dapat dibatalkan dalam {minutes} menit. Hubungi PPK bila tanda itu keliru."
    ),
    "duty.not_member": "Tombol ini untuk anggota PPS yang terdaftar.",
    # /tugas
    "duty.list.none": "Belum ada tugas untuk Anda. Tugas dan pengingatnya akan dikirim lewat bot ini.",
    "duty.list.coordinator": "/tugas untuk anggota PPS. Sebagai koordinator, lihat penyelesaiannya di /rekap_tugas.",
    "duty.list.title": "<b>Tugas Anda</b>",
    "duty.list.open_heading": "\n<b>Belum selesai</b>",
    "duty.list.open_line": "{n}. <b>{title}</b>\n    Tenggat: {due} ({left}){how}",
    "duty.list.how.member": "\n    (ditandai oleh tiap anggota)",
    "duty.list.link": "    🔗 {link}",
    "duty.list.done_heading": "\n<b>Selesai</b>",
    "duty.list.done_line": "✅ <b>{title}</b> — ditandai {who}, {when}",
    "duty.list.hint": "\nSudah mengerjakan? Tekan tombol tugasnya di bawah untuk menandainya selesai.",
    "duty.list.button_done": "✅ Selesai: {n}. {title}",
    "duty.list.button_undo": "↩️ Batalkan: {title}",
    # /rekap_tugas
    "duty.unit.desa": "desa",
    "duty.unit.member": "anggota",
    "duty.recap.none": "Belum ada tugas. Tugas datang dari berkas rencana atau dibuat dengan /tugas_baru.",
    "duty.recap.title": "<b>Rekap tugas — {scope}</b>",
    "duty.recap.line": "\n{n}. <b>{title}</b>\n    Tenggat {due}\n    Selesai {done} dari {total} {unit} ({share})",
    "duty.recap.hint": "\nTekan tugasnya untuk rincian per kecamatan dan desa yang belum selesai.",
    "duty.recap.button": "{n}. {title}",
    "duty.recap.duty_title": "<b>{title}</b>\nTenggat {due}\nSelesai {done} dari {total} {unit} ({share})\n",
    "duty.recap.kecamatan_line": "{kecamatan}: {done}/{total}",
    "duty.recap.kecamatan_hint": "\nTekan kecamatan untuk melihat desa yang belum selesai.",
    "duty.recap.kecamatan_button": "{kecamatan} ({pending})",
    "duty.recap.desa_title": (
        "<b>{title}</b> — Kec. {kecamatan}\nTenggat {due}\nSelesai {done} dari {total} {unit}"
    ),
    "duty.recap.pending_heading": "\nBelum selesai ({count} desa):",
    "duty.recap.desa_line": "• {desa}",
    "duty.recap.desa_members_line": "• {desa}: {done}/{total} (belum: {names})",
    "duty.recap.all_done": "\n✅ Semua sudah selesai.",
    "duty.recap.back": "⬅️ Kembali",
    # /tugas_baru
    "duty.new.ask_title": (
        "<b>Tugas baru</b>\n\nKirim judul tugasnya. Baris berikutnya, bila ada, menjadi keterangan.\n\n"
        "Ketik /batal untuk membatalkan."
    ),
    "duty.new.empty_title": "Judulnya kosong. Kirim judul tugasnya.",
    "duty.new.too_long": (
        "Terlalu panjang: judul paling banyak {title_max} karakter, keterangan {description_max}. Kirim ulang."
    ),
    "duty.new.ask_due": "Kapan tenggatnya? Ketik tanggal dan jam dalam WIB, misalnya: {examples}",
    "duty.new.due_error": "Waktu tidak dapat dibaca: «{text}». Contoh yang benar: {examples}",
    "duty.new.due_in_past": "Waktu itu sudah lewat ({time}). Pilih tenggat yang akan datang.",
    "duty.new.due_too_far": "Waktu itu terlalu jauh ke depan. Pilih tenggat dalam 400 hari ke depan.",
    "duty.new.ask_completion": "Bagaimana tugas ini dinyatakan selesai?",
    "duty.completion.desa": "Sekali per desa (salah satu PPS desa menandai)",
    "duty.completion.member": "Oleh tiap anggota",
    "duty.new.ask_audience": "Untuk siapa tugas ini?",
    "duty.audience.pps": "Semua PPS",
    "duty.audience.ketua": "Ketua PPS saja",
    "duty.new.ask_kecamatan": (
        "Pilih kecamatan (boleh lebih dari satu), lalu tekan <b>Lanjut</b>. Tanpa pilihan = semua kecamatan."
    ),
    "duty.new.button_next": "Lanjut ➡️",
    "duty.new.ask_reminders": "Kapan anggota diingatkan? Pilih satu atau lebih, lalu tekan <b>Lanjut</b>.",
    "duty.reminder_label.now": "Sekarang (pemberitahuan tugas baru)",
    "duty.reminder_label.days": "{days} hari sebelum tenggat",
    "duty.reminder_label.days_at": "{days} hari sebelum tenggat, pukul {time}",
    "duty.reminder_label.due_day": "Pagi hari tenggat ({time})",
    "duty.reminder_label.hours": "{hours} jam sebelum tenggat",
    "duty.new.summary": (
        "<b>Periksa tugas baru</b>\n\n<b>{title}</b>{description}\n\nTenggat: {due}\nUntuk: {audience}\n"
        "Selesai: {completion}\nPenerima pengingat saat ini: <b>{recipients}</b> orang "
        "({not_registered} belum terdaftar)\n\nPengingat:\n{reminders}"
    ),
    "duty.new.reminder_line": "• {label}: {when}",
    "duty.new.reminder_skipped": "• {label}: dilewati (sudah lewat atau tidak sebelum tenggat)",
    "duty.new.no_reminders": "• tidak ada",
    "duty.new.when_now": "begitu disimpan",
    "duty.new.button_save": "✅ Simpan",
    "duty.new.button_cancel": "❌ Batal",
    "duty.new.saved": "✅ Tugas #{id} disimpan: <b>{title}</b>. Pengingat terjadwal: {reminders}. Lihat /rekap_tugas.",
    "duty.new.cancelled": "Tugas baru dibatalkan. Tidak ada yang disimpan.",
    "duty.new.timeout": "Tugas baru tidak dilanjutkan selama 30 menit dan dibatalkan.",
    # The morning digest for PPK coordinators
    "duty.digest.title": "⏰ <b>Tugas lewat tenggat — Kec. {kecamatan}</b>",
    "duty.digest.duty": "\n<b>{title}</b> (tenggat {due})\nBelum selesai: {pending} dari {total} desa\n{lines}",
    "duty.digest.desa_line": "• {desa}",
    "duty.digest.desa_members_line": "• {desa}: {done}/{total} anggota",
    "duty.digest.more": "… dan {count} desa lainnya",
    "duty.digest.footer": "\nRinciannya: /rekap_tugas",
    # The duties sheet of the XLSX export (plain text)
    "duty.sheet.title": "Tugas",
    "duty.col.duty": "Tugas",
    "duty.col.due": "Tenggat ({zone})",
    "duty.col.kecamatan": "Kecamatan",
    "duty.col.desa": "Desa/Kelurahan",
    "duty.col.member": "Anggota",
    "duty.col.status": "Status",
    "duty.col.by": "Ditandai oleh",
    "duty.col.at": "Waktu ditandai ({zone})",
    "duty.status.done": "Selesai",
    "duty.status.open": "Belum",
    # plan import / plan show (plain text)
    "plan.duty.imported": (
        "Tugas: {duties} ({new} baru, {updated} diubah, {unchanged} tidak berubah, {withdrawn} dicabut); "
        "{reminders} pengingat dijadwalkan."
    ),
    "plan.duty.show.reminder": "  {time} {zone}  Pengingat tugas: {title} → {audience}, {members} anggota",
    "plan.duty.show.due": "  {time} {zone}  Tenggat tugas: {title} → {audience}, {members} anggota; {done_by}",
    "plan.error.duty_bad_name": (
        'nama {value} tidak sah; pakai huruf kecil, angka, - atau _ (paling banyak 64), misalnya "bentuk-kpps"'
    ),
    "plan.error.duty_duplicate_name": "nama {name} sudah dipakai di duty #{first}; beri name yang lain",
    "plan.error.duty_bad_link": "tautan harus diawali https://, tertulis {value}",
    "plan.error.duty_bad_audience": 'harus "pps" (semua PPS) atau "ketua" (Ketua PPS saja), tertulis {value}',
    "plan.error.duty_bad_done_by": 'harus "desa" (sekali per desa) atau "member" (tiap anggota), tertulis {value}',
    "plan.error.duty_not_a_list": 'harus daftar teks, misalnya ["7d", "1d", "07:00"]; tertulis {value}',
    "plan.error.duty_bad_reminder": (
        'pengingat {value} tidak dikenal; tulis "7d" (7 hari sebelum, pukul 07.00), "1d 18:00", '
        '"07:00" (pagi hari tenggat) atau "3h" (3 jam sebelum)'
    ),
    "plan.error.duty_reminder_not_before_due": "pengingat {value} tidak jatuh sebelum tenggat",
    "plan.warning.duty_past_due": "tenggat {due} sudah lewat; tugas disimpan untuk rekap tanpa pengingat",
}
