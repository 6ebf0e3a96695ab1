"""Regular expressions compiled on first use.

The extractor holds over a hundred patterns, many built from the vocabulary; compiling them all
when a module is imported or a rule set is built cost most of a short command's start-up, while a
short document needs only some of them. A :class:`LazyPattern` is used like the compiled pattern
it stands for.
"""

from __future__ import annotations

import re
from typing import Any


class LazyPattern:
    """A pattern compiled the first time one of its methods or attributes is asked for.

    After that, the compiled pattern's bound methods sit in the instance's own attributes, so a
    call costs what a call on the compiled pattern costs.
    """

    __slots__ = ("__dict__", "_flags", "_source")

    def __init__(self, source: str, flags: int | re.RegexFlag = 0) -> None:
        self._source = source
        self._flags = flags

    def compiled(self) -> re.Pattern[str]:
        """The compiled pattern (compiled now if it was not yet)."""
        pattern = self.__dict__.get("_compiled")
        if pattern is None:
            pattern = re.compile(self._source, self._flags)
            self.__dict__["_compiled"] = pattern
        return pattern

    def __getattr__(self, name: str) -> Any:
        # Only called for attributes not yet in __dict__: compile, then keep the attribute.
        if name.startswith("__"):
            raise AttributeError(name)
        value = getattr(self.compiled(), name)
        self.__dict__[name] = value
        return value

    def __repr__(self) -> str:
        return f"LazyPattern({self._source!r}, {self._flags!r})"


def lazy_compile(source: str, flags: int | re.RegexFlag = 0) -> Any:
    """A pattern that compiles ``source`` with ``flags`` when first used (typed as ``Any`` so
    that it stands wherever a ``re.Pattern`` is expected)."""
    return LazyPattern(source, flags)
