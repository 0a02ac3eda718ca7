"""statistics rollups (issue 11): per-day counts and sums kept by triggers on leads and events; median indexes

``stats_source_days`` and ``stats_rep_days`` hold, per UTC day of creation, what `store.stats` used to
count by reading every lead. Triggers on ``leads`` take a row's old contribution away and add its new one
inside the statement that changes it, so the figures stay exact whichever code changes a lead (the claim,
the SLA worker's auto-assignment, a re-open, a bulk import); a trigger on ``events`` adds a lead's SLA
breaches, repeats and credit to its rows the same way. The two expression indexes let the medians
of time to claim and to first touch be read from an index walk instead of a sort.

Revision ID: 0013_stats_rollup
Revises: 0012_webhooks
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0013_stats_rollup"
down_revision = "0012_webhooks"
branch_labels = None
depends_on = None

#: a change to one of these moves a lead's contribution (UPDATE OF: other updates fire nothing)
WATCHED = "vendor, grade, owner, outcome, outcome_amount, invalid, created_at, claimed_at, first_touch_at"
_COUNTS = (
    "leads", "claimed", "touched", "claim_ms", "touch_ms", "revenue_cents",
    "breaches", "duplicates", "credit_requested", "credit_granted",
)
#: a lead's events the rollups count: SLA breaches and repeats (each one), credit asked and granted (once)
COUNTED_EVENTS = {"breaches": "sla_breach", "duplicates": "duplicate"}
FLAGGED_EVENTS = {"credit_requested": "credit_requested", "credit_granted": "credit_granted"}


def _columns(key: tuple[tuple[str, int], ...]) -> list[sa.Column[Any]]:
    columns: list[sa.Column[Any]] = [sa.Column("day", sa.String(length=10), nullable=False)]
    columns += [sa.Column(name, sa.String(length=size), nullable=False) for name, size in key]
    columns += [sa.Column(name, sa.BigInteger(), nullable=False) for name in _COUNTS]
    return columns


def _values(row: str, sign: str, *, day: str, ms: Callable[[str, str], str], cents: str) -> dict[str, str]:
    """The SQL of one lead's contribution (``row`` is NEW or OLD), times ``sign``, in one dialect's words:
    ``day`` its creation day, ``ms(start, end)`` a duration in integer milliseconds, ``cents`` the amount."""
    claimed = f"{row}.claimed_at IS NOT NULL"
    touched = f"{claimed} AND {row}.first_touch_at IS NOT NULL"
    return {
        "day": day,
        "vendor": f"coalesce({row}.vendor, '')",
        "grade": f"{row}.grade",
        "outcome": f"coalesce({row}.outcome, '')",
        "invalid": f"CASE WHEN {row}.invalid THEN 1 ELSE 0 END",
        "owner": f"{row}.owner",
        "leads": sign,
        "claimed": f"{sign} * (CASE WHEN {claimed} THEN 1 ELSE 0 END)",
        "touched": f"{sign} * (CASE WHEN {touched} THEN 1 ELSE 0 END)",
        "claim_ms": f"{sign} * (CASE WHEN {claimed} THEN {ms('created_at', 'claimed_at')} ELSE 0 END)",
        "touch_ms": f"{sign} * (CASE WHEN {touched} THEN {ms('claimed_at', 'first_touch_at')} ELSE 0 END)",
        "revenue_cents": f"{sign} * (CASE WHEN {row}.outcome = 'won' THEN coalesce({cents}, 0) ELSE 0 END)",
        **{
            column: f"{sign} * (SELECT count(*) FROM events WHERE events.lead_id = {row}.id AND events.kind = '{kind}')"
            for column, kind in COUNTED_EVENTS.items()
        },
        **{
            column: f"{sign} * (CASE WHEN EXISTS (SELECT 1 FROM events WHERE events.lead_id = {row}.id "
            f"AND events.kind = '{kind}') THEN 1 ELSE 0 END)"
            for column, kind in FLAGGED_EVENTS.items()
        },
    }


def _event_values(lead_values: Callable[[str, str], dict[str, str]], event: str, sign: str) -> dict[str, str]:
    """One event's contribution (``event``: NEW or OLD of ``events``), times ``sign``, to the rollup row of
    its lead as the lead is now (``l``): a breach or a repeat counts each time, a credit kind once a lead."""
    values = {column: "0" for column in _COUNTS}
    values.update({k: v for k, v in lead_values("l", "0").items() if k not in _COUNTS})
    for column, kind in COUNTED_EVENTS.items():
        values[column] = f"{sign} * (CASE WHEN {event}.kind = '{kind}' THEN 1 ELSE 0 END)"
    for column, kind in FLAGGED_EVENTS.items():
        values[column] = (
            f"{sign} * (CASE WHEN {event}.kind = '{kind}' AND NOT EXISTS (SELECT 1 FROM events other "
            f"WHERE other.lead_id = {event}.lead_id AND other.kind = {event}.kind AND other.id <> {event}.id) "
            "THEN 1 ELSE 0 END)"
        )
    return values


def _sqlite_values(row: str, sign: str) -> dict[str, str]:
    def ms(start: str, end: str) -> str:
        return f"CAST(round((julianday({row}.{end}) - julianday({row}.{start})) * 86400000.0) AS INTEGER)"

    cents = f"CAST(round({row}.outcome_amount * 100) AS INTEGER)"
    return _values(row, sign, day=f"date({row}.created_at)", ms=ms, cents=cents)


def _postgres_values(row: str, sign: str) -> dict[str, str]:
    def ms(start: str, end: str) -> str:
        return f"round(extract(epoch FROM {row}.{end} - {row}.{start}) * 1000)::bigint"

    day = f"to_char({row}.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')"
    return _values(row, sign, day=day, ms=ms, cents=f"round({row}.outcome_amount * 100)::bigint")


def _upsert(table: str, key: tuple[str, ...], values: dict[str, str], source: str | None = None) -> str:
    """Add ``values`` to the row of their key; ``source``: "FROM … WHERE …" the values are selected from."""
    names = ("day", *key, *_COUNTS)
    sums = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in _COUNTS)
    listed = ", ".join(values[n] for n in names)
    rows = f"VALUES ({listed})" if source is None else f"SELECT {listed} {source}"
    return (
        f"INSERT INTO {table} ({', '.join(names)}) {rows} "
        f"ON CONFLICT (day, {', '.join(key)}) DO UPDATE SET {sums}"
    )


def _event_upserts(lead_values: Callable[[str, str], dict[str, str]], event: str, sign: str) -> list[str]:
    values = _event_values(lead_values, event, sign)
    lead = f"FROM leads l WHERE l.id = {event}.lead_id"
    return [
        _upsert("stats_source_days", SOURCE_KEY, values, lead),
        _upsert("stats_rep_days", REP_KEY, values, f"{lead} AND l.owner IS NOT NULL"),
    ]


#: the events an events trigger looks at
EVENT_KINDS_SQL = ", ".join(f"'{k}'" for k in (*COUNTED_EVENTS.values(), *FLAGGED_EVENTS.values()))


SOURCE_KEY = ("vendor", "grade", "outcome", "invalid")
REP_KEY = ("owner", "outcome")


Upsert = Callable[[str, str], str]


def _upserts(values: Callable[[str, str], dict[str, str]]) -> tuple[Upsert, Upsert]:
    """The statements adding a lead's (``row``: NEW or OLD) contribution times ``sign`` to each rollup."""

    def source(row: str, sign: str) -> str:
        return _upsert("stats_source_days", SOURCE_KEY, values(row, sign))

    def rep(row: str, sign: str) -> str:
        return _upsert("stats_rep_days", REP_KEY, values(row, sign))

    return source, rep


def _sqlite_triggers() -> list[str]:
    def trigger(name: str, event: str, when: str | None, body: list[str], table: str = "leads") -> str:
        condition = f" WHEN {when}" if when else ""
        return f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW{condition} BEGIN {'; '.join(body)}; END"

    source, rep = _upserts(_sqlite_values)
    return [
        trigger("leads_stats_insert", "INSERT", None, [source("NEW", "1")]),
        trigger("leads_stats_insert_rep", "INSERT", "NEW.owner IS NOT NULL", [rep("NEW", "1")]),
        trigger("leads_stats_update", f"UPDATE OF {WATCHED}", None, [source("OLD", "-1"), source("NEW", "1")]),
        trigger("leads_stats_update_rep_old", f"UPDATE OF {WATCHED}", "OLD.owner IS NOT NULL", [rep("OLD", "-1")]),
        trigger("leads_stats_update_rep_new", f"UPDATE OF {WATCHED}", "NEW.owner IS NOT NULL", [rep("NEW", "1")]),
        trigger("leads_stats_delete", "DELETE", None, [source("OLD", "-1")]),
        trigger("leads_stats_delete_rep", "DELETE", "OLD.owner IS NOT NULL", [rep("OLD", "-1")]),
        trigger("events_stats_insert", "INSERT", f"NEW.lead_id IS NOT NULL AND NEW.kind IN ({EVENT_KINDS_SQL})",
                _event_upserts(_sqlite_values, "NEW", "1"), table="events"),
        trigger("events_stats_delete", "DELETE", f"OLD.lead_id IS NOT NULL AND OLD.kind IN ({EVENT_KINDS_SQL})",
                _event_upserts(_sqlite_values, "OLD", "-1"), table="events"),
    ]


def _postgres_function() -> str:
    """One trigger function. Rows are touched in key order (the source rows by their key, the rep rows by
    owner), so two transactions moving leads the opposite way between the same two rows cannot deadlock."""
    source, rep = _upserts(_postgres_values)

    def key(row: str) -> str:
        values = _postgres_values(row, "1")
        return f"ROW({', '.join(values[k] for k in ('day', *SOURCE_KEY))})"
    return f"""
CREATE FUNCTION leadbot_stats_rollup() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    {source("NEW", "1")};
    IF NEW.owner IS NOT NULL THEN {rep("NEW", "1")}; END IF;
    RETURN NULL;
  END IF;
  IF TG_OP = 'DELETE' THEN
    {source("OLD", "-1")};
    IF OLD.owner IS NOT NULL THEN {rep("OLD", "-1")}; END IF;
    RETURN NULL;
  END IF;
  IF {key("OLD")} <= {key("NEW")} THEN
    {source("OLD", "-1")};
    {source("NEW", "1")};
  ELSE
    {source("NEW", "1")};
    {source("OLD", "-1")};
  END IF;
  IF OLD.owner IS NOT NULL AND (NEW.owner IS NULL OR OLD.owner <= NEW.owner) THEN
    {rep("OLD", "-1")};
    IF NEW.owner IS NOT NULL THEN {rep("NEW", "1")}; END IF;
  ELSE
    IF NEW.owner IS NOT NULL THEN {rep("NEW", "1")}; END IF;
    IF OLD.owner IS NOT NULL THEN {rep("OLD", "-1")}; END IF;
  END IF;
  RETURN NULL;
END $$"""


def _postgres_events_function() -> str:
    """The events trigger: a counted event moves its lead's rollup rows."""
    insert = "; ".join(_event_upserts(_postgres_values, "NEW", "1"))
    delete = "; ".join(_event_upserts(_postgres_values, "OLD", "-1"))
    return f"""
CREATE FUNCTION leadbot_stats_events() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW.lead_id IS NOT NULL AND NEW.kind IN ({EVENT_KINDS_SQL}) THEN {insert}; END IF;
  ELSE
    IF OLD.lead_id IS NOT NULL AND OLD.kind IN ({EVENT_KINDS_SQL}) THEN {delete}; END IF;
  END IF;
  RETURN NULL;
END $$"""


#: the medians' indexes (store.tables.SecondsBetween spells the expression; partial: only leads with the times)
MEDIAN_INDEXES = {
    "sqlite": [
        "CREATE INDEX ix_leads_claim_seconds ON leads ((julianday(claimed_at) - julianday(created_at)) * 86400.0, "
        "created_at, claimed_at) WHERE claimed_at IS NOT NULL",
        "CREATE INDEX ix_leads_touch_seconds ON leads ((julianday(first_touch_at) - julianday(claimed_at)) * 86400.0, "
        "created_at, claimed_at, first_touch_at) WHERE claimed_at IS NOT NULL AND first_touch_at IS NOT NULL",
    ],
    "postgresql": [
        "CREATE INDEX ix_leads_claim_seconds ON leads (CAST(EXTRACT(epoch FROM claimed_at - created_at) AS FLOAT), "
        "created_at, claimed_at) WHERE claimed_at IS NOT NULL",
        "CREATE INDEX ix_leads_touch_seconds ON leads (CAST(EXTRACT(epoch FROM first_touch_at - claimed_at) AS FLOAT), "
        "created_at, claimed_at, first_touch_at) WHERE claimed_at IS NOT NULL AND first_touch_at IS NOT NULL",
    ],
}


def _backfill(dialect: str) -> list[str]:
    """The rollups of the leads already stored: the triggers' values, summed (NEW read from ``leads``, the
    event counts from one pass over the counted events)."""
    values = _postgres_values("leads", "1") if dialect == "postgresql" else _sqlite_values("leads", "1")
    per_lead = ", ".join(
        [f"sum(CASE WHEN kind = '{kind}' THEN 1 ELSE 0 END) AS {column}" for column, kind in COUNTED_EVENTS.items()]
        + [f"max(CASE WHEN kind = '{kind}' THEN 1 ELSE 0 END) AS {column}" for column, kind in FLAGGED_EVENTS.items()]
    )
    values.update({column: f"coalesce(e.{column}, 0)" for column in (*COUNTED_EVENTS, *FLAGGED_EVENTS)})
    events = (
        f"LEFT JOIN (SELECT lead_id, {per_lead} FROM events WHERE lead_id IS NOT NULL AND kind IN ({EVENT_KINDS_SQL}) "
        "GROUP BY lead_id) e ON e.lead_id = leads.id"
    )
    statements = []
    for table, key, where in (
        ("stats_source_days", SOURCE_KEY, ""),
        ("stats_rep_days", REP_KEY, " WHERE leads.owner IS NOT NULL"),
    ):
        keys = ("day", *key)
        select_keys = ", ".join(values[k] for k in keys)
        sums = ", ".join(f"sum({values[c]})" for c in _COUNTS)
        statements.append(
            f"INSERT INTO {table} ({', '.join((*keys, *_COUNTS))}) SELECT {select_keys}, {sums} FROM leads "
            f"{events}{where} GROUP BY {select_keys}"
        )
    return statements


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.create_table(
        "stats_source_days",
        *_columns((("vendor", 120), ("grade", 1), ("outcome", 16))),
        sa.Column("invalid", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("day", "vendor", "grade", "outcome", "invalid", name=op.f("pk_stats_source_days")),
    )
    op.create_table(
        "stats_rep_days",
        *_columns((("owner", 32), ("outcome", 16))),
        sa.PrimaryKeyConstraint("day", "owner", "outcome", name=op.f("pk_stats_rep_days")),
    )
    for statement in _backfill(dialect):
        op.execute(statement)
    if dialect == "postgresql":
        op.execute(_postgres_function())
        op.execute(
            f"CREATE TRIGGER leads_stats AFTER INSERT OR DELETE OR UPDATE OF {WATCHED} ON leads "
            "FOR EACH ROW EXECUTE FUNCTION leadbot_stats_rollup()"
        )
        op.execute(_postgres_events_function())
        op.execute(
            "CREATE TRIGGER events_stats AFTER INSERT OR DELETE ON events "
            "FOR EACH ROW EXECUTE FUNCTION leadbot_stats_events()"
        )
    else:
        for statement in _sqlite_triggers():
            op.execute(statement)
    for statement in MEDIAN_INDEXES.get(dialect, []):
        op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.execute("DROP INDEX IF EXISTS ix_leads_touch_seconds")
    op.execute("DROP INDEX IF EXISTS ix_leads_claim_seconds")
    if dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS events_stats ON events")
        op.execute("DROP FUNCTION IF EXISTS leadbot_stats_events()")
        op.execute("DROP TRIGGER IF EXISTS leads_stats ON leads")
        op.execute("DROP FUNCTION IF EXISTS leadbot_stats_rollup()")
    else:
        for statement in _sqlite_triggers():
            op.execute(f"DROP TRIGGER IF EXISTS {statement.split()[2]}")
    op.drop_table("stats_rep_days")
    op.drop_table("stats_source_days")
