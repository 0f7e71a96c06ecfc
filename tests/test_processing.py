"""Update processing order: one person's updates in order, different people's concurrently."""

import asyncio

from telegram import Chat, Message, Update

from bot.runtime.processing import PerUserUpdateProcessor


def _update(update_id: int, chat_id: int) -> Update:
    chat = Chat(chat_id, Chat.PRIVATE)
    return Update(update_id, message=Message(update_id, None, chat))  # type: ignore[arg-type]


async def test_same_person_waits_and_other_people_do_not() -> None:
    processor = PerUserUpdateProcessor(max_working=8)
    release_first = asyncio.Event()
    started: list[str] = []

    async def handle(name: str, gate: asyncio.Event | None = None) -> None:
        started.append(name)
        if gate is not None:
            await gate.wait()

    async with processor:
        first = asyncio.create_task(
            processor.process_update(_update(1, 100), handle("siti-1", release_first))
        )
        second = asyncio.create_task(processor.process_update(_update(2, 100), handle("siti-2")))
        other = asyncio.create_task(processor.process_update(_update(3, 200), handle("budi-1")))
        await asyncio.wait_for(other, timeout=5)
        # Budi was served while Siti's first update is still running; Siti's second waits for it.
        assert started == ["siti-1", "budi-1"]
        release_first.set()
        await asyncio.wait_for(asyncio.gather(first, second), timeout=5)
    assert started == ["siti-1", "budi-1", "siti-2"]
