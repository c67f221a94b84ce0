"""`qabot eval`: the table of BM25 alone, dense alone and hybrid on a BEIR or SQuAD set."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

from rich.console import Console
from rich.table import Table

from qabot.config import Settings
from qabot.errors import QabotError


def run_eval(settings: Settings, console: Console, beir: Optional[Path], squad: Optional[Path],
             limit: Optional[int], as_json: bool) -> None:
    from qabot.evaluation import evaluate, load_beir, load_squad
    from qabot.faces.progress import BuildProgress

    if (beir is None) == (squad is None):
        raise QabotError("give exactly one of --beir DIR or --squad FILE")
    eval_set = load_beir(beir) if beir is not None else load_squad(squad)
    with BuildProgress(Console(stderr=True)) as progress:
        report = evaluate(eval_set, settings, limit=limit, progress=progress.update)
    if as_json:
        sys.stdout.write(json.dumps(report.as_dict(), indent=2) + "\n")
        return
    table = Table(title=f"{report.dataset}: {report.queries} queries, {report.documents} documents, "
                        f"{report.chunks} chunks; hybrid = {report.fusion}")
    metrics = list(next(iter(report.methods.values())))
    table.add_column("method")
    for metric in metrics:
        table.add_column(metric, justify="right")
    for method, values in report.methods.items():
        table.add_row(method, *(f"{values[m]:.3f}" for m in metrics))
    console.print(table)
    if report.answer_recall is not None:
        console.print(f"answer recall (ask() answer contains a gold answer): {report.answer_recall:.3f}")
