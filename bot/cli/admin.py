"""Command-line actions of the operator: import the region list and the roster, grant coordinators."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TextIO

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.cli.problems import ProblemReport
from bot.core.phones import display
from bot.core.regions import WilayahEmpty
from bot.roster.checking import PPS_PER_DESA, RosterRejected
from bot.roster.coordinators import InvalidCoordinatorPhone, UnknownKecamatan, grant_coordinator
from bot.roster.files import RosterFileError, read_roster_file
from bot.roster.importer import import_roster
from bot.roster.wilayah import WilayahFileRejected, import_wilayah, read_wilayah_file

CLI_ACTOR = "cli"
EXIT_OK = 0
EXIT_REFUSED = 1
REJECTED = "cli.rejected"  # every error was listed: how many to fix
NOTHING_SAVED = "cli.nothing_saved"  # the file could not be read at all


async def wilayah_import(
    factory: async_sessionmaker[AsyncSession], path: Path, *, language: str, out: TextIO
) -> int:
    """`python -m bot wilayah import FILE`: upsert kecamatan and desa/kelurahan by code."""
    printer = ProblemReport(language, out, catalog="cli.wilayah")
    try:
        rows = await asyncio.to_thread(read_wilayah_file, path)
    except WilayahFileRejected as rejected:
        printer.rejected(rejected.errors, closing=REJECTED)
        return EXIT_REFUSED
    async with factory() as session, session.begin():
        summary = await import_wilayah(session, rows, actor=CLI_ACTOR, source_name=path.name)
    n = printer.number
    printer.line(
        "cli.wilayah.imported",
        kecamatan=n(summary.kecamatan),
        kecamatan_new=n(summary.kecamatan_new),
        kecamatan_updated=n(summary.kecamatan_updated),
        kecamatan_unchanged=n(summary.kecamatan_unchanged),
        desa=n(summary.desa),
        kelurahan=n(summary.kelurahan),
        desa_new=n(summary.desa_new),
        desa_updated=n(summary.desa_updated),
        desa_unchanged=n(summary.desa_unchanged),
    )
    if summary.kecamatan_not_in_file or summary.desa_not_in_file:
        printer.line(
            "cli.wilayah.not_in_file",
            kecamatan=n(summary.kecamatan_not_in_file),
            desa=n(summary.desa_not_in_file),
        )
    return EXIT_OK


async def roster_import(
    factory: async_sessionmaker[AsyncSession], path: Path, *, language: str, out: TextIO
) -> int:
    """`python -m bot roster import FILE`: the summary, or every error with its row number; nothing partial."""
    printer = ProblemReport(language, out, catalog="cli.roster")
    try:
        rows = await asyncio.to_thread(read_roster_file, path)
        async with factory() as session, session.begin():
            summary = await import_roster(session, rows, actor=CLI_ACTOR, source_name=path.name)
    except RosterFileError as unreadable:
        printer.rejected(unreadable.errors, closing=NOTHING_SAVED)
        return EXIT_REFUSED
    except RosterRejected as rejected:
        printer.rejected(rejected.errors, closing=REJECTED)
        return EXIT_REFUSED
    except WilayahEmpty:
        printer.line("cli.wilayah_empty")
        printer.line("cli.nothing_saved")
        return EXIT_REFUSED
    n = printer.number
    printer.line(
        "cli.roster.imported",
        kecamatan=n(summary.kecamatan),
        desa=n(summary.desa),
        ketua=n(summary.ketua),
        anggota=n(summary.anggota),
        ppk=n(summary.ppk),
        new=n(summary.new),
        updated=n(summary.updated),
        unchanged=n(summary.unchanged),
        deactivated=n(summary.deactivated),
    )
    if summary.reactivated:
        printer.line("cli.roster.reactivated", count=n(summary.reactivated))
    if summary.desa_understaffed or summary.desa_without_ketua:
        printer.line(
            "cli.roster.understaffed",
            understaffed=n(summary.desa_understaffed),
            limit=n(PPS_PER_DESA),
            without_ketua=n(summary.desa_without_ketua),
        )
    return EXIT_OK


async def coordinator_add(
    factory: async_sessionmaker[AsyncSession],
    phone: str,
    kecamatan: str | None,
    *,
    language: str,
    out: TextIO,
) -> int:
    """`python -m bot coordinator add --phone P [--kecamatan K]`: grant or change a coordinator's scope."""
    printer = ProblemReport(language, out, catalog="cli")
    try:
        async with factory() as session, session.begin():
            grant = await grant_coordinator(
                session, phone_raw=phone, kecamatan_name=kecamatan, actor=CLI_ACTOR
            )
    except InvalidCoordinatorPhone as error:
        printer.line("cli.coordinator.invalid_phone", phone=error.raw)
        return EXIT_REFUSED
    except UnknownKecamatan as error:
        if error.ambiguous:
            printer.line(
                "cli.coordinator.ambiguous_kecamatan",
                kecamatan=error.name,
                candidates=", ".join(error.suggestions),
            )
        else:
            printer.line("cli.coordinator.unknown_kecamatan", kecamatan=error.name)
            if error.suggestions:
                printer.line("cli.coordinator.suggestions", names=", ".join(error.suggestions))
        return EXIT_REFUSED
    except WilayahEmpty:
        printer.line("cli.wilayah_empty")
        return EXIT_REFUSED

    def scope(kecamatan_name: str | None) -> str:
        if kecamatan_name is None:
            return printer.text("cli.scope.regency")
        return printer.text("cli.scope.kecamatan", kecamatan=kecamatan_name)

    shown = display(grant.phone)
    if grant.created:
        printer.line("cli.coordinator.added", phone=shown, scope=scope(grant.kecamatan_name))
    elif grant.changed:
        printer.line(
            "cli.coordinator.changed",
            phone=shown,
            previous=scope(grant.previous_kecamatan_name),
            scope=scope(grant.kecamatan_name),
        )
    else:
        printer.line("cli.coordinator.unchanged", phone=shown, scope=scope(grant.kecamatan_name))
    if grant.telegram_user_id is None:
        printer.line("cli.coordinator.next_step")
    return EXIT_OK
