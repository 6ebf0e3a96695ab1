"""peelwatch: police inspection (PEEL) records as data.

The pipeline runs one way: readers -> extract -> store -> link -> web / CLI.
"""

from __future__ import annotations

__version__ = "0.1.0"

from peelwatch.errors import PeelwatchError

__all__ = ["PeelwatchError", "__version__", "extract_file", "read_file"]


# Thin lazy re-exports: `import peelwatch` stays fast because the readers and extractor load on first use.
def read_file(path, **kwargs):
    """Read a file into a :class:`peelwatch.readers.Document` (see :func:`peelwatch.readers.read_file`)."""
    from peelwatch.readers import read_file as _read_file

    return _read_file(path, **kwargs)


def extract_file(path, **kwargs):
    """Read and extract a file into an :class:`peelwatch.extract.Extraction`."""
    from peelwatch.extract import extract_file as _extract_file

    return _extract_file(path, **kwargs)
