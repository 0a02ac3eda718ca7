"""PostgreSQL: new leads added to the statistics rollups once per statement, not once per lead (issue 11)

0013's row trigger ran a PL/pgSQL function and two upserts for every lead inserted: a group of 30 leads filed in
one statement (store/new_people.py) upserted the same rollup row 30 times, each a lock taken and a tuple version
written, in the order the leads came; two instances filing groups of several sources at once could take the
same rows in opposite orders. Here an INSERT on ``leads`` fires one statement trigger whose transition table
holds every new lead: their contributions summed per rollup row, each row upserted once, in key order. The same
sums as the row trigger's (its own value expressions, from 0013). Updates and deletes keep the row trigger (a
claim changes one lead). The events trigger becomes two (insert, delete) with a WHEN condition, so the events
no rollup counts (the intake event of every lead) call no function at all. SQLite: nothing changes.

Revision ID: 0015_stats_per_statement
Revises: 0014_message_lease
"""

from __future__ import annotations

from importlib import import_module

from alembic import op

revision = "0015_stats_per_statement"
down_revision = "0014_message_lease"
branch_labels = None
depends_on = None

#: 0013's value expressions and keys (a migration is frozen: these are the ones it created the rollups with)
rollup = import_module("store.migrations.versions.0013_stats_rollup")


def _grouped_upsert(table: str, key: tuple[str, ...], where: str) -> str:
    """The new leads' (transition table ``new_leads``) contributions to ``table``, summed per key, added in key
    order (two transactions lock shared rows in the same order)."""
    values = rollup._postgres_values("n", "1")
    keys = ("day", *key)
    listed = ", ".join(f"{values[name]} AS {name}" for name in (*keys, *rollup._COUNTS))
    sums = ", ".join(f"sum({name})" for name in rollup._COUNTS)
    added = ", ".join(f"{name} = {table}.{name} + excluded.{name}" for name in rollup._COUNTS)
    key_list = ", ".join(keys)
    return (
        f"INSERT INTO {table} ({key_list}, {', '.join(rollup._COUNTS)}) "
        f"SELECT {key_list}, {sums} FROM (SELECT {listed} FROM new_leads n{where}) v "
        f"GROUP BY {key_list} ORDER BY {key_list} "
        f"ON CONFLICT ({key_list}) DO UPDATE SET {added}"
    )


def _new_leads_function() -> str:
    return f"""
CREATE FUNCTION leadbot_stats_new_leads() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  {_grouped_upsert("stats_source_days", rollup.SOURCE_KEY, "")};
  {_grouped_upsert("stats_rep_days", rollup.REP_KEY, " WHERE n.owner IS NOT NULL")};
  RETURN NULL;
END $$"""


def _counted(row: str) -> str:
    return f"{row}.lead_id IS NOT NULL AND {row}.kind IN ({rollup.EVENT_KINDS_SQL})"


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER leads_stats ON leads")
    op.execute(
        f"CREATE TRIGGER leads_stats AFTER DELETE OR UPDATE OF {rollup.WATCHED} ON leads "
        "FOR EACH ROW EXECUTE FUNCTION leadbot_stats_rollup()"
    )
    op.execute(_new_leads_function())
    op.execute(
        "CREATE TRIGGER leads_stats_new AFTER INSERT ON leads REFERENCING NEW TABLE AS new_leads "
        "FOR EACH STATEMENT EXECUTE FUNCTION leadbot_stats_new_leads()"
    )
    op.execute("DROP TRIGGER events_stats ON events")
    op.execute(
        f"CREATE TRIGGER events_stats_insert AFTER INSERT ON events FOR EACH ROW WHEN ({_counted('NEW')}) "
        "EXECUTE FUNCTION leadbot_stats_events()"
    )
    op.execute(
        f"CREATE TRIGGER events_stats_delete AFTER DELETE ON events FOR EACH ROW WHEN ({_counted('OLD')}) "
        "EXECUTE FUNCTION leadbot_stats_events()"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER events_stats_delete ON events")
    op.execute("DROP TRIGGER events_stats_insert ON events")
    op.execute(
        "CREATE TRIGGER events_stats AFTER INSERT OR DELETE ON events "
        "FOR EACH ROW EXECUTE FUNCTION leadbot_stats_events()"
    )
    op.execute("DROP TRIGGER leads_stats_new ON leads")
    op.execute("DROP FUNCTION leadbot_stats_new_leads()")
    op.execute("DROP TRIGGER leads_stats ON leads")
    op.execute(
        f"CREATE TRIGGER leads_stats AFTER INSERT OR DELETE OR UPDATE OF {rollup.WATCHED} ON leads "
        "FOR EACH ROW EXECUTE FUNCTION leadbot_stats_rollup()"
    )
