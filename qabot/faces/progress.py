"""Progress bars for long builds: one bar per stage, with counts and rate."""

from __future__ import annotations

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeRemainingColumn

_LABELS = {"chunking": "Chunking articles", "embedding": "Embedding chunks",
           "sources": "Fetching sources", "articles": "Fetching articles"}


class BuildProgress:
    """Adapts `indexer.Progress` callbacks to rich bars (shown only on a terminal)."""

    def __init__(self, console: Console):
        self._progress = Progress(
            TextColumn("{task.description:<18}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("[progress.data.speed]{task.fields[rate]}"),
            TimeRemainingColumn(),
            console=console,
            transient=True,
        )
        self._tasks: dict[str, TaskID] = {}

    def __enter__(self) -> "BuildProgress":
        self._progress.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        self._progress.__exit__(*exc)

    def update(self, stage: str, done: int, total: int) -> None:
        if stage not in self._tasks:
            self._tasks[stage] = self._progress.add_task(_LABELS.get(stage, stage), total=total, rate="")
        task = self._tasks[stage]
        self._progress.update(task, completed=done, total=total)
        speed = self._progress.tasks[task].speed
        self._progress.update(task, rate=f"{speed:,.0f}/s" if speed else "")
