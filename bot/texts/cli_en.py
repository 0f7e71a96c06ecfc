"""English texts of the command line (roster and region imports, coordinator grants)."""

TEXTS: dict[str, str] = {
    # Shared by the imports
    "cli.row": "Row {row}: {message}",
    "cli.rejected": "Nothing was saved: fix {count} error(s) and import again.",
    "cli.nothing_saved": "Nothing was saved.",
    "cli.wilayah_empty": (
        "The region list (kecamatan and desa/kelurahan) is empty. Import it first with:\n"
        "  python -m bot wilayah import FILE"
    ),
    # Every command: the database it used, what `migrate` did, and the one line for each expected failure
    "cli.database": "Database: {url}",
    "cli.migrate.created": "Database set up from empty: schema installed up to revision {after}.",
    "cli.migrate.upgraded": "Database schema upgraded from revision {before} to {after}.",
    "cli.migrate.current": "Database schema already current (revision {after}); nothing changed.",
    "cli.fail.config": "The configuration is not right: {detail}",
    "cli.fail.placeholder_token": (
        "The bot token is still the example from config.example.toml. Get the real token from @BotFather "
        "in Telegram, then set [telegram] token or PPSBOT_TELEGRAM_TOKEN."
    ),
    "cli.fail.token_rejected": (
        "Telegram rejected the bot token (401 Unauthorized). Get the right token from @BotFather, "
        "then set [telegram] token or PPSBOT_TELEGRAM_TOKEN."
    ),
    "cli.fail.telegram_unreachable": (
        "Telegram cannot be reached at {url} (attempt {attempt}): trying again in {seconds} s. "
        "Check the internet connection or [telegram] base_url."
    ),
    "cli.fail.polling": "Could not fetch new updates from Telegram ({error}); retrying automatically.",
    # The webhook endpoint (bot/runtime/webhook.py): one line per refused request, never its body
    "cli.webhook.listening": "Webhook ready for updates from Telegram at {address}.",
    "cli.webhook.refused": "Webhook request from {peer} refused ({status}): {reason}.",
    "cli.webhook.no_secret": "no secret token, so not from Telegram",
    "cli.webhook.wrong_secret": "wrong secret token, so not from Telegram",
    "cli.webhook.too_large": "the body is too large for an update",
    "cli.webhook.not_utf8": "the body is not UTF-8 text",
    "cli.webhook.not_json": "the body is not JSON",
    "cli.webhook.not_update": "the body is not a Telegram update",
    "cli.fail.db_unreachable": (
        "The database server {url} cannot be reached. Make sure PostgreSQL is running, "
        "and check the address in [database] url or PPSBOT_DATABASE_URL."
    ),
    "cli.fail.db_missing": (
        "The database {url} does not exist. Create it first (for example: createdb {name}), "
        "then run: python -m bot migrate"
    ),
    "cli.fail.db_folder_missing": (
        "The folder {folder} for the database file does not exist. Create it, or fix [database] url."
    ),
    "cli.fail.db_refused_login": (
        "The database server {url} refused the login. Check the user name and password in [database] url."
    ),
    "cli.fail.db_empty": "The database {url} is empty. Run first: python -m bot migrate",
    "cli.fail.db_not_migrated": (
        "The database schema {url} is at revision {current}, the program needs {head}. "
        "Run first: python -m bot migrate"
    ),
    "cli.fail.unexpected": "Unexpected error: {error}. Run again with --debug to see the details.",
    "cli.fail.interrupted": "Stopped (Ctrl-C).",
    # backup
    "cli.backup.written": "Backup written: {file} ({size}); the copy opens and is at schema revision {revision}.",
    "cli.backup.exists": (
        "The file {file} already exists and was not overwritten. Choose another name, or add --force to "
        "overwrite it."
    ),
    "cli.backup.no_folder": "The folder {folder} for the backup file does not exist. Create it first.",
    "cli.backup.no_file": (
        "The database file {file} does not exist, so there is nothing to back up. Check [database] url."
    ),
    "cli.backup.unusable": (
        "The copy {file} is not usable ({reason}); the previous backup (if any) was left alone. Try again."
    ),
    "cli.backup.postgres": (
        "This database is PostgreSQL: the backup command is for SQLite only. Back it up with pg_dump: {command}"
    ),
    "cli.backup.postgres_password": (
        "(*** stands for the password in [database] url: give it through PGPASSWORD or ~/.pgpass, "
        "and remove :*** from the address.)"
    ),
    # wilayah import
    "cli.wilayah.imported": (
        "Regions imported: {kecamatan} kecamatan (new {kecamatan_new}, updated {kecamatan_updated}, "
        "unchanged {kecamatan_unchanged}); {desa} desa/kelurahan, {kelurahan} of them kelurahan "
        "(new {desa_new}, updated {desa_updated}, unchanged {desa_unchanged})."
    ),
    "cli.wilayah.not_in_file": (
        "Note: {kecamatan} kecamatan and {desa} desa/kelurahan in the database are not in this file; "
        "they are kept."
    ),
    "cli.wilayah.error.unreadable": "The file {file} cannot be read: {reason}",
    "cli.wilayah.error.unsupported_file": (
        "The file {file} is not a CSV. The region list is imported from a .csv file with the columns "
        "kode_kecamatan, kecamatan, kode_desa, desa, jenis."
    ),
    "cli.wilayah.error.no_rows": "The file holds no regions.",
    "cli.wilayah.error.missing_columns": (
        "column(s) {columns} missing from the header row (required: kode_kecamatan, kecamatan, kode_desa, "
        "desa, jenis)"
    ),
    "cli.wilayah.error.missing_value": "column {column} is empty",
    "cli.wilayah.error.bad_kind": "jenis '{value}' is unknown (desa or kelurahan)",
    "cli.wilayah.error.code_outside_kecamatan": (
        "desa code {desa_code} is not under kecamatan code {kecamatan_code}"
    ),
    "cli.wilayah.error.duplicate_desa_code": "desa code {code} is already used on row {first_row}",
    "cli.wilayah.error.kecamatan_name_conflict": (
        "kecamatan {code} is written '{name}', but '{first_name}' on row {first_row}"
    ),
    # roster import: the file as a whole
    "cli.roster.error.unsupported_file": "The file {file} is not supported: use CSV (.csv) or Excel (.xlsx).",
    "cli.roster.error.unreadable": "The file {file} cannot be read: {reason}",
    "cli.roster.error.invalid_xlsx": (
        "The file {file} is not a valid Excel .xlsx file. Save it again from Excel as .xlsx or CSV."
    ),
    "cli.roster.error.no_header": (
        "The file is empty: no header row (kecamatan, desa, nama, jabatan, telepon) was found."
    ),
    "cli.roster.error.missing_columns": (
        "Column(s) {columns} not found in the header row. "
        "Required columns: kecamatan, desa, nama, jabatan, telepon."
    ),
    "cli.roster.error.duplicate_columns": "Column(s) {columns} appear more than once in the header row.",
    "cli.roster.error.no_rows": "The file holds no members.",
    # roster import: one row
    "cli.roster.error.empty_name": "the name is empty",
    "cli.roster.error.name_too_long": "the name is longer than {max} characters",
    "cli.roster.error.unknown_position": "jabatan '{value}' is unknown (Ketua, Anggota or PPK)",
    "cli.roster.error.missing_phone": "the phone number is empty",
    "cli.roster.error.invalid_phone": "phone number '{value}' cannot be read as an Indonesian mobile number",
    "cli.roster.error.duplicate_phone": "phone number {phone} is already used on row {first_row}",
    "cli.roster.error.missing_kecamatan": "the kecamatan is empty",
    "cli.roster.error.unknown_kecamatan": "kecamatan '{kecamatan}' is not in the region list",
    "cli.roster.error.unknown_kecamatan_similar": (
        "kecamatan '{kecamatan}' is not in the region list; did you mean {suggestions}?"
    ),
    "cli.roster.error.ambiguous_kecamatan": (
        "the kecamatan name '{kecamatan}' belongs to more than one kecamatan ({codes})"
    ),
    "cli.roster.error.missing_desa": "the desa/kelurahan is empty; a PPS Ketua or Anggota needs one",
    "cli.roster.error.ppk_with_desa": (
        "a PPK row names desa/kelurahan '{desa}'; PPK work at kecamatan level: leave the desa column empty, "
        "or correct the jabatan if this is a PPS member"
    ),
    "cli.roster.error.unknown_desa": "desa/kelurahan '{desa}' is not in Kecamatan {kecamatan}",
    "cli.roster.error.desa_in_other_kecamatan": (
        "desa/kelurahan '{desa}' is not in Kecamatan {kecamatan} but in Kecamatan {actual}"
    ),
    "cli.roster.error.ambiguous_desa": (
        "there is more than one desa/kelurahan named '{desa}' in Kecamatan {kecamatan} ({codes})"
    ),
    "cli.roster.error.second_ketua": "desa/kelurahan {desa} already has a Ketua on row {first_row}",
    "cli.roster.error.desa_full": "desa/kelurahan {desa} already has {limit} PPS members (rows {rows})",
    # roster import: the summary
    "cli.roster.imported": (
        "Roster imported: {kecamatan} kecamatan, {desa} desa/kelurahan; Ketua {ketua}, Anggota {anggota}, "
        "PPK {ppk}; new {new}, updated {updated}, unchanged {unchanged}, deactivated {deactivated}."
    ),
    "cli.roster.reactivated": "Reactivated: {count} member(s) who had been deactivated.",
    "cli.roster.understaffed": (
        "Note: according to this file, {understaffed} desa/kelurahan have fewer than {limit} PPS members "
        "and {without_ketua} desa/kelurahan have no Ketua yet."
    ),
    "cli.roster.member": "{name} — {position}, {place}, {phone}",
    "cli.roster.place_desa": "{desa}, Kecamatan {kecamatan}",
    "cli.roster.place_kecamatan": "Kecamatan {kecamatan}",
    "cli.roster.item": "  - {member}",
    "cli.roster.item_registered": "  - {member} (registered with the bot)",
    "cli.roster.more": "  … and {count} more (--dry-run lists them all)",
    "cli.roster.deactivated_header": "Deactivated because the file no longer lists them ({count}):",
    "cli.roster.added_header": "Added ({count}):",
    "cli.roster.changed_header": "Changed ({count}):",
    "cli.roster.changed": "{member}: {changes}",
    "cli.roster.change.name": "name {before} → {after}",
    "cli.roster.change.position": "jabatan {before} → {after}",
    "cli.roster.change.place": "place {before} → {after}",
    "cli.roster.change.reactivated": "reactivated",
    "cli.roster.confirm": (
        "This import would deactivate {count} of {active} active members (more than {limit}%); "
        "nothing was saved. Check the list (--dry-run shows every change); if it is right, run it again "
        "with --yes."
    ),
    "cli.roster.dry_run": (
        "Dry run (--dry-run), nothing saved: new {new}, updated {updated}, reactivated {reactivated}, "
        "deactivated {deactivated}, unchanged {unchanged}."
    ),
    "cli.roster.dry_run_confirm": (
        "The real import needs --yes: it deactivates {count} of {active} active members (more than {limit}%)."
    ),
    # coordinator add
    "cli.scope.regency": "Lebak Regency",
    "cli.scope.kecamatan": "Kecamatan {kecamatan}",
    "cli.coordinator.added": "Coordinator added: {phone}, scope {scope}.",
    "cli.coordinator.changed": "Scope of coordinator {phone} changed: {previous} → {scope}.",
    "cli.coordinator.unchanged": "{phone} is already a coordinator with scope {scope}; nothing changed.",
    "cli.coordinator.next_step": (
        "The owner of that number then opens the bot and types /daftar to sign in as a coordinator."
    ),
    "cli.coordinator.none": (
        "No coordinators yet. Add one with: python -m bot coordinator add --phone NUMBER [--kecamatan K]"
    ),
    "cli.coordinator.list_header": "Coordinators ({count}):",
    "cli.coordinator.list_item": "  - {phone} · {name} · {scope} · {status}",
    "cli.coordinator.no_name": "(not on the roster)",
    "cli.coordinator.registered": "signed in to the bot (Telegram id {user_id})",
    "cli.coordinator.not_registered": "not signed in yet (/daftar)",
    "cli.coordinator.removed": "Coordinator role of {phone} (scope {scope}) revoked.",
    "cli.coordinator.not_found": (
        "No coordinator has the number {phone}; nothing changed. See the list: python -m bot coordinator list"
    ),
    "cli.coordinator.invalid_phone": "'{phone}' cannot be read as a phone number.",
    "cli.coordinator.unknown_kecamatan": "Kecamatan '{kecamatan}' is not in the region list.",
    "cli.coordinator.ambiguous_kecamatan": (
        "The kecamatan name '{kecamatan}' belongs to more than one kecamatan: {candidates}."
    ),
    "cli.coordinator.suggestions": "Did you mean: {names}",
    # python -m bot rehearse
    "rh.title": "Bimtek rehearsal (offline, no token): Telegram sandbox + the bot on a temporary database",
    "rh.folder": "Output folder: {path}",
    "rh.step": "• {text}",
    "rh.wilayah_fallback": "The official region list was not found ({path}); using regions made from the plan's kecamatan.",
    "rh.people": (
        "Simulated members: {registered} registered beforehand, {late} register late through the bot, "
        "{never} never register, {blocked} blocked the bot."
    ),
    "rh.checkin_plan": (
        "Check-in plan: {qr} by QR/code, {far} from too far away, {expired} with an expired code, "
        "{absent} absent."
    ),
    "rh.clock": "Plan time starts at {start}; speed {speed}× (1 real minute = {speed} plan minutes).",
    "rh.jump": "… jumping to {time} (nothing happens before then)",
    "rh.broadcast_start": "▶ {plan_time} | real +{real} | «{first_line}» → {recipients} recipients",
    "rh.broadcast_done": "✔ {plan_time} | real +{real} | #{id} sent {sent}, unreachable {blocked}, failed {failed}",
    "rh.progress": "Check-ins {bar} {done}/{total}",
    "rh.recap_title": "Attendance recap",
    "rh.recap_line": "{kecamatan}: present {present}/{roster} ({percent})",
    "rh.recap_total": "Total: {present} of {roster} PPS present ({percent}); desa complete 3/3: {full}, 0/3: {empty}",
    "rh.outcomes": (
        "Simulated check-ins: recorded {ok}, refused as too far {far}, expired code {expired}, "
        "late registrants who made it {late}"
    ),
    "rh.delivery_title": "Delivery report",
    "rh.delivery_line": "#{id} {plan_time} «{first_line}»: sent {sent}/{total}, unreachable {blocked}, failed {failed}",
    "rh.files": "XLSX export: {xlsx}\nAttendance chart: {chart}",
    "rh.no_program": "This plan has no scheduled announcements ([[announcement]]); only check-in is simulated.",
    "rh.plan_failed": "The plan was refused; fix the errors above and rehearse again.",
    "rh.checkin_plan_ppk": "PPK: {coming} of {total} check in at their kecamatan's session too.",
    "rh.limits": (
        "Telegram's limits (30 messages/s, announcements 25/s, 1 message/s per chat) hold in plan time: "
        "sending takes its time on the plan clock. The sandbox itself does not limit."
    ),
    "rh.sample_note": "Announcements' first lines are shown filled in for one sample recipient (marked «sample: …»).",
    "rh.sample": "sample: {name}",
    "rh.placeholders": "placeholders, no recipient",
    "rh.duties_skipped": (
        "{count} duty reminders after the training day are not rehearsed (add --with-duties for the duty period)."
    ),
    "rh.interrupted": "Stopped (Ctrl-C): closing the rehearsal and writing the summary so far…",
    # Several processes on one database (bot/runtime/processes.py)
    "cli.fail.sqlite_in_use": (
        "The SQLite database {database} is in use by another bot process (lock {lock}). SQLite is for one bot "
        "process: stop the other one, or use PostgreSQL to run several processes."
    ),
    "cli.fail.worker_needs_postgres": (
        "`python -m bot worker` needs PostgreSQL ([database] url). With SQLite, `python -m bot run` sends "
        "broadcasts itself: run only that."
    ),
    "cli.fail.lock_lost": (
        "The database connection holding this process's lock failed ({detail}); stopping so that another "
        "process can take over. Start it again (systemd does so by itself)."
    ),
    "cli.processes.standby": (
        "Another `run` process already receives Telegram updates for this database; this one waits as a "
        "standby and takes over when that one stops."
    ),
    "cli.processes.leader": "This process receives Telegram updates and runs the schedule (the update process).",
}
