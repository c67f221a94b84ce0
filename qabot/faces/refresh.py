"""The bot's schedule: `qabot index build --fetch` in a subprocess every `refresh_every`.

A subprocess, not a thread: building loads torch and the embedding model, which the bot
process never does (it encodes questions with NumPy), and a build that crashes or runs out
of disk cannot take the bot with it. The running bot answers from the new snapshot on the
next question (the library notices a new `index/CURRENT` by itself). A refresh that fails
is logged with its last line of output and tried again at the next tick; the old snapshot
keeps serving. The first refresh runs as soon as the bot starts.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import time

from qabot.config import Settings, duration_seconds

log = logging.getLogger(__name__)


def refresh_command(settings: Settings) -> list[str]:
    """The command a refresh runs (also what to put in cron or a systemd timer)."""
    config = [] if settings.source == "built-in defaults" else ["--config", settings.source]
    return [sys.executable, "-m", "qabot", *config, "index", "build", "--fetch"]


async def refresh_once(settings: Settings) -> bool:
    """Fetch and build once in a subprocess; True when it succeeded. Never raises."""
    started = time.monotonic()
    try:
        process = await asyncio.create_subprocess_exec(
            *refresh_command(settings), cwd=settings.base_dir,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
        try:
            output, _ = await process.communicate()
        except asyncio.CancelledError:  # the bot is stopping: a build cut short leaves the old snapshot
            process.kill()
            await process.wait()
            raise
    except OSError as error:
        log.warning("refresh could not start: %s; trying again at the next refresh", error)
        return False
    lines = [line for line in output.decode("utf-8", errors="replace").splitlines() if line.strip()]
    if process.returncode != 0:
        log.warning("refresh failed (exit %s): %s; the current snapshot keeps serving", process.returncode,
                    lines[-1] if lines else "no output")
        return False
    summary = next((line for line in lines if line.startswith(("Indexed", "Index is up to date"))), "")
    log.info("refresh done in %.1f s: %s", time.monotonic() - started, summary or (lines[-1] if lines else ""))
    return True


async def refresh_forever(settings: Settings) -> None:
    """Refresh now and then every `[sources] refresh_every`, until cancelled."""
    every = duration_seconds(settings.sources.refresh_every) or 900
    while True:
        await refresh_once(settings)
        await asyncio.sleep(every)
