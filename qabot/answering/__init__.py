"""Questions into cited answers: what is asked, which passages answer it, the "not found" case.

Exports `Library` (`Library.open(settings).ask(question) -> Answer`, the one entry the
faces use), `Conversation` (follow-ups resolved against the previous answer) and
`check_question` (the polite refusal of empty or huge questions) and `Newsroom` (what a
build added: a followed person's new quotes, a followed topic's new stories, the digest;
each item with a stable key so it is told once). Knows nothing of Telegram or terminals.
"""

from qabot.answering.library import Conversation, Library, check_question
from qabot.answering.news import News, Newsroom

__all__ = ["Conversation", "Library", "News", "Newsroom", "check_question"]
