"""`python -m bot roster import FILE --desa DESA`: a desa's Pantarlih/KPPS roster from the command line."""

import asyncio
from pathlib import Path
from typing import TextIO

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.cascade.roster import (
    CascadeRosterRejected,
    DesaNotFound,
    import_cascade_roster,
    read_cascade_file,
    resolve_desa,
)
from bot.cli.problems import ProblemReport
from bot.core.regions import WilayahEmpty
from bot.roster.files import RosterFileError

EXIT_OK, EXIT_REFUSED = 0, 1
CLI_ACTOR = "cli"


async def cascade_roster_import(
    factory: async_sessionmaker[AsyncSession],
    path: Path,
    *,
    desa: str,
    kecamatan: str | None,
    language: str,
    out: TextIO,
) -> int:
    """Import the desa's next-level roster (all or nothing, errors by row number) for a PPK or the KPU."""
    printer = ProblemReport(language, out, catalog="cascade.roster")
    try:
        rows = await asyncio.to_thread(read_cascade_file, path)
        async with factory() as session, session.begin():
            desa_id = await resolve_desa(session, desa, kecamatan)
            imported = await import_cascade_roster(session, rows, desa_id=desa_id, actor=CLI_ACTOR)
    except RosterFileError as unreadable:
        ProblemReport(language, out, catalog="cli.roster").rejected(
            unreadable.errors, closing="cli.nothing_saved"
        )
        return EXIT_REFUSED
    except CascadeRosterRejected as rejected:
        printer.rejected(rejected.errors, closing="cli.rejected")
        return EXIT_REFUSED
    except (DesaNotFound, WilayahEmpty) as missing:
        written = missing.written if isinstance(missing, DesaNotFound) else desa
        candidates = missing.candidates if isinstance(missing, DesaNotFound) else []
        printer.line("cascade.cli_unknown_desa", desa=written)
        if candidates:
            printer.line("cascade.cli_desa_candidates", candidates=", ".join(candidates))
        return EXIT_REFUSED
    printer.line(
        "cascade.cli_imported",
        desa=imported.desa,
        pantarlih=imported.pantarlih,
        kpps=imported.kpps,
        added=imported.added,
        removed=imported.removed,
    )
    return EXIT_OK
