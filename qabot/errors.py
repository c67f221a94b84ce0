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


class IndexStorageError(QabotError):
    """The index folder cannot be written (disk full, read-only, no permission)."""


class BuildLockedError(QabotError):
    """Another build holds the index lock."""


class ModelError(QabotError):
    """The embedding model cannot be loaded or its weights are not the expected ones."""


class QuestionError(QabotError):
    """The question cannot be answered as asked (empty, too long)."""


class CorpusError(QabotError):
    """The configured article paths cannot be read."""


class FetchError(QabotError):
    """A URL cannot be fetched or used (refused, too large, not a feed); the message is the reason.

    `transient` marks failures worth asking again about (network errors, 5xx, time-outs).
    """

    def __init__(self, message: str, transient: bool = False):
        super().__init__(message)
        self.transient = transient


class BackendError(QabotError):
    """A scale-out engine cannot be used: Milvus (extra missing, unreachable, refused, wrong
    collection) or the Ray cluster an embedding run was pointed at."""
