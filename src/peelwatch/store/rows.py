"""Reading one row by its id, safe for any integer a user can type.

Ids are 64-bit integers in both databases; asking either for a larger number is an error of
the driver (SQLite: OverflowError, PostgreSQL: out of range), not "no such row". Every lookup
of a user-given id goes through :func:`get_row`, which answers ``None`` for such a number.
"""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy.orm import Session

MAX_ID = 2**63 - 1
T = TypeVar("T")


def possible_id(value: Any) -> bool:
    """Whether ``value`` could be the id of a stored row (an integer from 0 to 2**63 - 1)."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_ID


def get_row(session: Session, model: type[T], row_id: int) -> T | None:
    """The row of ``model`` with this id, or ``None`` (also for an id no database could hold)."""
    if not possible_id(row_id):
        return None
    return session.get(model, row_id)
