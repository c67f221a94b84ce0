"""Questions into cited answers: what is asked, which passages answer it, the "not found" case.

Exports `Library` (`Library.open(settings).ask(question) -> Answer`, the one entry the
faces use), `Conversation` (follow-ups resolved against the previous answer) and
`check_question` (the polite refusal of empty or huge questions). Knows nothing of
Telegram or terminals.
"""

from qabot.answering.library import Conversation, Library, check_question

__all__ = ["Conversation", "Library", "check_question"]
