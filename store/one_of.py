"""A column in a list of values bound as one parameter: ``= ANY(:list)`` on PostgreSQL, an expanding IN elsewhere.

Issue 11: an expanding ``IN (:a, :b, …)`` is a statement of its own for every length of the list. On PostgreSQL each
of them is prepared (a round trip, a parse and a plan on the server) on every pooled connection before it runs, and
the lists of an intake group (its messages, its contacts' emails and phones, a pass's cards) are of every length:
a fifth of the service's round trips in a burst were such prepares. As one array parameter the statement is the
same whatever the list, prepared once per connection. SQLite has no arrays: the expanding IN stays.
"""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import ColumnElement, any_, bindparam
from sqlalchemy.dialects.postgresql import ARRAY


def one_of(column: Any, name: str, dialect: str) -> ColumnElement[bool]:
    """``column`` is one of the values of the list bound as ``name`` (an empty list: never)."""
    if dialect == "postgresql":
        return cast(ColumnElement[bool], column == any_(bindparam(name, type_=ARRAY(column.type))))
    return cast(ColumnElement[bool], column.in_(bindparam(name, expanding=True)))
