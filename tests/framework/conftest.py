"""Shared fixture: the framework is loaded once per process, as in the application."""

from __future__ import annotations

import pytest

from peelwatch.framework import Framework, load_framework


@pytest.fixture(scope="session")
def fw() -> Framework:
    return load_framework()
