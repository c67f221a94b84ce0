"""qabot: question answering over news articles, with a citation on every claim.

The package is the pipeline, one subpackage per stage, imports pointing one way:

    text → sources → news → embedding → indexing → search → answering → evaluation → faces

`config`, `errors` and `records` are shared by all. The one entry point for answering is

    >>> from qabot import Library, load_settings            # doctest: +SKIP
    >>> Library.open(load_settings()).ask("What did Kosachev say?")  # doctest: +SKIP

`Library` and `load_settings` are looked up on first use, so importing a low stage (say
`qabot.text`) never loads the answering stage.
"""

__version__ = "0.1.0"

__all__ = ["Library", "load_settings"]


def __getattr__(name: str):
    if name == "Library":
        from qabot.answering import Library

        return Library
    if name == "load_settings":
        from qabot.config import load_settings

        return load_settings
    raise AttributeError(f"module 'qabot' has no attribute {name!r}")
