"""The project's own exceptions.

Everything raised on purpose inside peelwatch derives from :class:`PeelwatchError`, so the CLI
and the API can turn it into one clear line (CLI) or a 4xx JSON body (API) without ever
showing a traceback. Anything else escaping is a bug.
"""

from __future__ import annotations


class PeelwatchError(Exception):
    """Base class of every error peelwatch raises on purpose."""


class ReadError(PeelwatchError):
    """A document could not be read into text."""

    def __init__(self, message: str, source: str | None = None) -> None:
        self.source = source
        super().__init__(f"{source}: {message}" if source else message)
        self.reason = message

    def __reduce__(self) -> tuple[object, ...]:
        # rebuilt from reason and source (not from the joined message) when it crosses from an
        # extraction process to the one reporting it, so the source is not given twice
        return (_rebuild_read_error, (type(self), self.reason, self.source, dict(self.__dict__)))


def _rebuild_read_error(cls: type[ReadError], reason: str, source: str | None, state: dict) -> ReadError:
    error = cls.__new__(cls)
    ReadError.__init__(error, reason, source)
    error.__dict__.update(state)
    return error


class UnsupportedFormatError(ReadError):
    """The bytes are not a document format peelwatch can read."""


class FileTooLargeError(ReadError):
    """The file is larger than the configured limit."""


class EncryptedDocumentError(ReadError):
    """The document is password-protected."""


class CorruptDocumentError(ReadError):
    """The document is damaged or truncated."""


class TimeBudgetError(ReadError):
    """Reading and extracting one document took longer than the per-document time budget.

    A :class:`ReadError`, so every caller that reports a document it cannot read reports this one
    the same way (one line; a 4xx body); nothing of the document is stored."""

    def __init__(self, budget: float, source: str | None = None) -> None:
        self.budget = budget
        super().__init__(f"took longer than {budget:g} s to read and extract; not stored", source)


class FrameworkError(PeelwatchError):
    """The PEEL framework data is missing or inconsistent, or a name is unknown."""


class UnknownNameError(FrameworkError):
    """A force, cycle or area name that the framework does not know."""

    def __init__(self, what: str, name: str, suggestions: list[str] | None = None) -> None:
        self.what, self.name, self.suggestions = what, name, suggestions or []
        hint = f"; did you mean {', '.join(repr(s) for s in self.suggestions)}?" if self.suggestions else ""
        super().__init__(f"unknown {what} {name!r}{hint}")


class StoreError(PeelwatchError):
    """The database could not be opened, migrated, read or written."""


class NotFoundError(PeelwatchError):
    """A record asked for by id or slug does not exist."""


class CorrectionError(PeelwatchError):
    """A correction that cannot be made: a field that cannot be corrected, or a value not allowed."""
