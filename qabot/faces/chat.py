"""`qabot chat`: a question loop in the terminal that loads the model and index once.

Line editing and history come from readline (kept in ~/.qabot_history). Follow-ups such as
"what else did he say?" resolve against the previous answer's subject.
"""

from __future__ import annotations

import atexit
from pathlib import Path

from rich.console import Console
from rich.markup import escape

from qabot.answering import Conversation, Library
from qabot.config import Settings
from qabot.errors import QuestionError
from qabot.faces.render_terminal import render_answer

HISTORY = Path.home() / ".qabot_history"


def run_chat(settings: Settings, console: Console, top_k: int | None = None) -> None:
    _enable_history()
    console.print("Loading the model and the index…")
    library = Library.open(settings)
    status = library.status()
    console.print(f"Ready: {status['articles']} articles, {status['chunks']} chunks. "
                  "Ask a question; an empty line or Ctrl-D quits.")
    conversation = Conversation()
    while True:
        try:
            question = input("? ")
        except (EOFError, KeyboardInterrupt):
            console.print()
            return
        if not question.strip():
            return
        try:
            answer = library.ask(question, top_k=top_k, conversation=conversation)
        except QuestionError as problem:
            console.print(f"[yellow]{escape(str(problem))}[/yellow]")
            continue
        console.print(render_answer(answer))
        console.print()


def _enable_history() -> None:
    try:
        import readline
    except ImportError:  # not on every platform; the loop works without it
        return
    try:
        readline.read_history_file(HISTORY)
    except (FileNotFoundError, OSError):
        pass
    readline.set_history_length(1000)
    atexit.register(_save_history, readline)


def _save_history(readline) -> None:
    try:
        readline.write_history_file(HISTORY)
    except OSError:
        pass
