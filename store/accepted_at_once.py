"""PostgreSQL: an accept group's messages stored by one statement of one text, whatever the group's size (issue 11).

A multi-row ``INSERT … VALUES (…), (…)`` is a statement of its own for every number of rows, and on PostgreSQL each
is prepared (a round trip, a parse and a plan) on every pooled connection before it first runs: accept groups are
of every size from 1 to 200, so a burst kept preparing them (a quarter of its prepares once the lists were arrays,
store/one_of.py). Here the rows come as one array per column (``unnest``), as store/new_people.py files leads:
one statement, prepared once per connection, still ``ON CONFLICT (dedup_key) DO NOTHING RETURNING id, dedup_key``.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from sqlalchemy import JSON, LargeBinary, bindparam, text
from sqlalchemy.dialects.postgresql import ARRAY

from store.tables import UTCDateTime

#: the columns an accept stores, each with the SQL type of its array
COLUMNS = (
    ("channel", "text"), ("sender", "text"), ("recipients", "json"), ("received_at", "timestamptz"),
    ("dedup_key", "text"), ("raw", "bytea"), ("size", "integer"), ("subject", "text"), ("status", "text"),
    ("attempts", "integer"), ("client_ip", "text"), ("helo", "text"), ("lease_owner", "text"),
    ("leased_until", "timestamptz"),
)

_ACCEPT_SQL = (
    f"INSERT INTO inbound_messages ({', '.join(name for name, _ in COLUMNS)}) "
    f"SELECT * FROM unnest({', '.join(f'CAST(:{name} AS {kind}[])' for name, kind in COLUMNS)}) "
    "ON CONFLICT (dedup_key) DO NOTHING RETURNING id, dedup_key"
)


@functools.cache
def accept_statement() -> Any:
    """JSON and times bound as every other statement binds them (the engine's serialiser; UTC)."""
    times = ARRAY(UTCDateTime(), dimensions=1)
    return text(_ACCEPT_SQL).bindparams(
        bindparam("recipients", type_=ARRAY(JSON(), dimensions=1)), bindparam("raw", type_=ARRAY(LargeBinary())),
        bindparam("received_at", type_=times), bindparam("leased_until", type_=times),
    )


def accept_parameters(rows: Sequence[dict[str, Any]]) -> dict[str, list[Any]]:
    """The rows (one dict of `COLUMNS` each) as one list per column."""
    return {name: [row[name] for row in rows] for name, _ in COLUMNS}
