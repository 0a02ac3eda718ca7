"""The store, by what it stores (SQLAlchemy 2 async; rows never leave it, callers get `store.records`).

    store.py     Store: opens the engine, holds the repositories below, migrate()/close()
    db.py        engine, sessions, SQLite pragmas, migrations under a lock, the one row → record conversion
    messages.py  inbound messages: accepted durably, turned into leads exactly once
    leads.py     leads: filing under a contact, THE CLAIM (Leads.claim), lead work, reading
    contacts.py  one contact per person: matching, history, merge / unmerge
    outbox.py    what Slack should be told, in lanes    timers.py  SLA timers
    drafts.py    chat drafts awaiting Confirm            imports.py  webhook keys, spreadsheet imports
    events.py    the event log, Slack event dedup        reps.py    away reps, load, round robin
    stats.py     pipeline statistics                      records.py the values handed out, StrEnums
"""
