"""Chaos suite (issue 12): faults we cause must not cost a lead, nor show a card twice.

    .venv/bin/python -m bench.chaos [--scenario NAME ...] [--mails N] [--cards N] [--quick] [--keep DIR]

``--quick`` runs small sizes (CI runs them from tests/chaos/); ``--keep DIR`` keeps the services' configs,
logs and databases there (``CHAOS_LOG_LEVEL=INFO`` for a log worth reading).

Scenarios (everything on 127.0.0.1; Slack is the stand-in, bot/slack/standin; mail goes in over SMTP):

sigkill        `leadbot serve` (SQLite) SIGKILLed three times during a burst of mail, restarted each time;
               the sender retries what was refused, as an MTA does. Then every accepted mail must be one
               lead and every cardable lead one card.
outage         Slack unreachable (503 on every post) for two hours of an injected clock; cards queued
               before and during it must all appear once afterwards (the backoff cap is the real 300 s).
flaky          Slack answering 429 with Retry-After, then 500/503 for every other call, for a minute of
               the injected clock: every card once.
two-instances  two `leadbot serve` on one throwaway PostgreSQL cluster, the mail split across them: each
               lead one card (the schema is created by `leadbot migrate` first; concurrent migration is
               not this suite's subject).
pg-restart     `leadbot serve` on a throwaway PostgreSQL cluster that is stopped mid-burst and started
               again: SMTP refuses with 451 meanwhile (never 250 then lost, never a 5xx), and afterwards
               every accepted mail becomes a lead and a card in the same process, without a restart.
hostile        three crafted mails (a 100 KB Name: line, a 100,000-character token without "@", an HTML
               body of 40,000 NUL entities) among normal traffic; a second client's SMTP NOOP round trip
               is measured meanwhile and must stay under 1 s; every normal mail one lead and one card.
crowd          hundreds of idle connections and clients sending 3-byte lines slowly, from many loopback
               addresses, while normal senders deliver: each normal mail gets its 250 and a card; the
               service's RSS is sampled and printed (it must stay bounded).
socket-start   Socket Mode with Slack unreachable at start (the Web API on a closed port): SMTP accepts at
               once, SIGTERM stops the service within a few seconds; then the Web API comes back while
               Socket Mode still cannot connect (its URL a closed port): every card appears.

Per scenario it prints: accepted, leads, cards, lost, duplicated, and the time to drain (wall seconds
after the last fault for the process scenarios; seconds of the injected clock after the fault ended for
the others), then the load average. Exits 1 if any scenario lost or duplicated anything or missed its
other goal (NOOP latency, stop time, a 5xx refusal).
"""
