"""The Telegram face: handlers (`bot`), who may ask how often (`guard`), and answers as
Telegram HTML split at 4096 characters (`render`).
"""

from qabot.faces.telegram.bot import run_bot

__all__ = ["run_bot"]
