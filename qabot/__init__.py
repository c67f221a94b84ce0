"""qabot: question answering over news articles, with a citation on every claim."""

__version__ = "0.1.0"
