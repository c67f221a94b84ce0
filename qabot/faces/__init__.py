"""The faces people use: the `qabot` command, the chat loop and the Telegram bot.

Each is thin over `Library.ask`: parse, ask, render, reply. Nothing imports a face.
"""

from qabot.faces.cli import main

__all__ = ["main"]
