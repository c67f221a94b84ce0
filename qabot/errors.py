"""The one family of user-facing failures.

Faces (CLI, bot) catch `QabotError`, show its one-line message and exit non-zero or reply
politely. Anything else that escapes is a bug and keeps its traceback.
"""

from __future__ import annotations


class QabotError(Exception):
    """A failure the user can fix; the message says how."""


class ConfigError(QabotError):
    """The configuration file or an environment override is wrong."""


class IndexMissingError(QabotError):
    """There is no index snapshot to answer from."""


class SnapshotError(QabotError):
    """A snapshot exists but cannot be used (other model, other format, damaged)."""


class BuildLockedError(QabotError):
    """Another build holds the index lock."""


class ModelError(QabotError):
    """The embedding model cannot be loaded or its weights are not the expected ones."""


class QuestionError(QabotError):
    """The question cannot be answered as asked (empty, too long)."""


class CorpusError(QabotError):
    """The configured article paths cannot be read."""


class BackendError(QabotError):
    """A scale-out engine cannot be used: Milvus (extra missing, unreachable, refused, wrong
    collection) or the Ray cluster an embedding run was pointed at."""
