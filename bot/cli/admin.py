"""Command-line actions of the operator: import the region list and the roster, grant, list and revoke
coordinators."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.cli.problems import ProblemReport
from bot.core.db import refresh_statistics
from bot.core.phones import display
from bot.core.regions import WilayahEmpty
from bot.roster.checking import PPS_PER_DESA, RosterRejected
from bot.roster.coordinators import (
    InvalidCoordinatorPhone,
    NoSuchCoordinator,
    UnknownKecamatan,
    grant_coordinator,
    list_coordinators,
    remove_coordinator,
)
from bot.roster.files import RosterFileError, read_roster_file
from bot.roster.importer import (
    CONFIRM_DEACTIVATION_PERCENT,
    Deactivation,
    MemberChange,
    MemberFacts,
    RosterDiff,
    apply_roster,
    compare_roster,
)
from bot.roster.wilayah import WilayahFileRejected, import_wilayah, read_wilayah_file
from models import Member

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
    factory: async_sessionmaker[AsyncSession],
    path: Path,
    *,
    language: str,
    out: TextIO,
    dry_run: bool = False,
    confirmed: bool = False,
) -> int:
    """`python -m bot roster import FILE [--dry-run] [--yes]`: the summary, or every error with its row number;
    nothing partial. Members it deactivates are listed by name; more than CONFIRM_DEACTIVATION_PERCENT % of
    the active members needs `confirmed` (--yes). `dry_run` prints the whole diff and writes nothing."""
    printer = ProblemReport(language, out, catalog="cli.roster")
    try:
        rows = await asyncio.to_thread(read_roster_file, path)
        async with factory() as session, session.begin():
            diff = await compare_roster(session, rows)
            if dry_run:
                _print_diff(printer, diff)
                return EXIT_OK  # nothing was written: leaving the transaction commits nothing
            if diff.needs_confirmation and not confirmed:
                _print_deactivated(printer, diff.deactivated, limit=_SHOWN_WHEN_REFUSED)
                printer.line(
                    "cli.roster.confirm",
                    count=printer.number(len(diff.deactivated)),
                    active=printer.number(diff.active_before),
                    limit=CONFIRM_DEACTIVATION_PERCENT,
                )
                return EXIT_REFUSED
            summary = await apply_roster(session, diff, actor=CLI_ACTOR, source_name=path.name)
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
    await refresh_statistics(factory, Member.__tablename__)  # a bulk load: fresh planner statistics
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
    _print_deactivated(printer, diff.deactivated)
    return EXIT_OK


# A refusal lists the first few so the operator sees what kind of people would go; --dry-run lists all.
_SHOWN_WHEN_REFUSED = 20


def _member(printer: ProblemReport, member: MemberFacts) -> str:
    # The phone is shown in full: the operator holds the roster file with every number anyway, and a
    # changed number (one member deactivated, one added with the same name) is only recognisable by it.
    return printer.text(
        "cli.roster.member",
        name=member.name,
        position=printer.text(f"position.{member.position.value}"),
        place=_place(printer, member),
        phone=display(member.phone),
    )


def _place(printer: ProblemReport, member: MemberFacts) -> str:
    if member.desa is None:
        return printer.text("cli.roster.place_kecamatan", kecamatan=member.kecamatan)
    return printer.text("cli.roster.place_desa", desa=member.desa, kecamatan=member.kecamatan)


def _print_deactivated(
    printer: ProblemReport, deactivated: Sequence[Deactivation], *, limit: int | None = None
) -> None:
    if not deactivated:
        return
    printer.line("cli.roster.deactivated_header", count=printer.number(len(deactivated)))
    shown = deactivated if limit is None else deactivated[:limit]
    for gone in shown:
        key = "cli.roster.item_registered" if gone.registered else "cli.roster.item"
        printer.line(key, member=_member(printer, gone.member))
    if len(deactivated) > len(shown):
        printer.line("cli.roster.more", count=printer.number(len(deactivated) - len(shown)))


def _print_diff(printer: ProblemReport, diff: RosterDiff) -> None:
    """The whole diff of a --dry-run: added, changed, deactivated, then the counts."""
    n = printer.number
    if diff.added:
        printer.line("cli.roster.added_header", count=n(len(diff.added)))
        for member in diff.added:
            printer.line("cli.roster.item", member=_member(printer, member))
    if diff.changed:
        printer.line("cli.roster.changed_header", count=n(len(diff.changed)))
        for change in diff.changed:
            printer.line("cli.roster.item", member=_change(printer, change))
    _print_deactivated(printer, diff.deactivated)
    printer.line(
        "cli.roster.dry_run",
        new=n(len(diff.added)),
        updated=n(len(diff.changed) - diff.reactivated),
        reactivated=n(diff.reactivated),
        deactivated=n(len(diff.deactivated)),
        unchanged=n(diff.unchanged),
    )
    if diff.needs_confirmation:
        printer.line(
            "cli.roster.dry_run_confirm",
            count=n(len(diff.deactivated)),
            active=n(diff.active_before),
            limit=CONFIRM_DEACTIVATION_PERCENT,
        )


def _change(printer: ProblemReport, change: MemberChange) -> str:
    before, after = change.before, change.after
    parts = []
    if before.name != after.name:
        parts.append(printer.text("cli.roster.change.name", before=before.name, after=after.name))
    if before.position != after.position:
        parts.append(
            printer.text(
                "cli.roster.change.position",
                before=printer.text(f"position.{before.position.value}"),
                after=printer.text(f"position.{after.position.value}"),
            )
        )
    if (before.kecamatan, before.desa) != (after.kecamatan, after.desa):
        parts.append(
            printer.text(
                "cli.roster.change.place", before=_place(printer, before), after=_place(printer, after)
            )
        )
    if change.reactivated:
        parts.append(printer.text("cli.roster.change.reactivated"))
    return printer.text("cli.roster.changed", member=_member(printer, after), changes="; ".join(parts))


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
        return _scope(printer, kecamatan_name)

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


def _scope(printer: ProblemReport, kecamatan_name: str | None) -> str:
    if kecamatan_name is None:
        return printer.text("cli.scope.regency")
    return printer.text("cli.scope.kecamatan", kecamatan=kecamatan_name)


async def coordinator_list(factory: async_sessionmaker[AsyncSession], *, language: str, out: TextIO) -> int:
    """`python -m bot coordinator list`: phone, name (from the roster), scope, signed in or not."""
    printer = ProblemReport(language, out, catalog="cli")
    async with factory() as session:
        coordinators = await list_coordinators(session)
    if not coordinators:
        printer.line("cli.coordinator.none")
        return EXIT_OK
    printer.line("cli.coordinator.list_header", count=printer.number(len(coordinators)))
    for info in coordinators:
        status = (
            printer.text("cli.coordinator.registered", user_id=info.telegram_user_id)
            if info.registered
            else printer.text("cli.coordinator.not_registered")
        )
        printer.line(
            "cli.coordinator.list_item",
            phone=display(info.phone),
            name=info.name or printer.text("cli.coordinator.no_name"),
            scope=_scope(printer, info.kecamatan_name),
            status=status,
        )
    return EXIT_OK


async def coordinator_remove(
    factory: async_sessionmaker[AsyncSession], phone: str, *, language: str, out: TextIO
) -> int:
    """`python -m bot coordinator remove --phone P`: revoke the role (audited); a clear line when none."""
    printer = ProblemReport(language, out, catalog="cli")
    try:
        async with factory() as session, session.begin():
            removed = await remove_coordinator(session, phone_raw=phone, actor=CLI_ACTOR)
    except InvalidCoordinatorPhone as error:
        printer.line("cli.coordinator.invalid_phone", phone=error.raw)
        return EXIT_REFUSED
    except NoSuchCoordinator as error:
        printer.line("cli.coordinator.not_found", phone=display(error.phone))
        return EXIT_REFUSED
    printer.line(
        "cli.coordinator.removed",
        phone=display(removed.phone),
        scope=_scope(printer, removed.kecamatan_name),
    )
    return EXIT_OK
