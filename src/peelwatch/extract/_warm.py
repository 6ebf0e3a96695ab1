"""Imported once by the process that extraction processes are forked from (see :mod:`.budget`),
so that every child starts with the readers and rules imported and the vocabularies loaded
instead of paying for that on each document."""

from __future__ import annotations

from peelwatch.extract import extract_bytes
from peelwatch.ingest import read_and_extract  # noqa: F401 - the function the children run

extract_bytes(b"Northshire Police is good at preventing crime.", "warm.txt")
