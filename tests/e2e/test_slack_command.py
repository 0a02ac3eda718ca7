"""`/leads` and the App Home tab end to end: slash commands (signed HTTP and Socket Mode envelopes) are
acked at once with an empty body and answered through the response_url (kept by the Slack stand-in)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from typing import Any

import pytest

from bot.assess.work import work_check
from bot.settings import SlackRoles
from nlp.extractor import Extractor
from store.db import utcnow
from store.records import LeadRecord
from store.store import Store
from tests.fakes.slack_api import FakeSlackApi, Response
from tests.fakes.slack_requests import app_home_opened, button_payload, event_callback, slash_command
from tests.slack.leads import new_lead
from tests.slack.service import SALES, SlackSide, sqlite_slack_side

BOSS, REP, OTHER = "U0BOSS01", "U0REP0001", "U0REP0002"


class HeldClock:
    """The bot's clock: the real time, or held at one instant (``held``) so that answers rendered a moment
    apart show the same ages (a card shows each lead's age to the second)."""

    def __init__(self) -> None:
        self.held: datetime | None = None

    def __call__(self) -> datetime:
        return self.held or utcnow()


@pytest.fixture
def clock() -> HeldClock:
    return HeldClock()


@pytest.fixture
def side_options(extractor: Extractor, clock: HeldClock) -> dict[str, Any]:
    return {"extractor": extractor, "roles": SlackRoles(managers=(BOSS,)), "clock": clock}


@pytest.fixture
async def usage_side(sqlite_url: str, slack_api: FakeSlackApi) -> AsyncIterator[SlackSide]:
    """Usage lines touch no data: one backend (SQLite) and one mode (Socket Mode, the default) suffice."""
    async with sqlite_slack_side(sqlite_url, slack_api, "socket", roles=SlackRoles(managers=(BOSS,))) as running:
        yield running


async def leads(side: SlackSide, text: str, user: str = REP) -> Response:
    """Run ``/leads <text>``; the ack must be empty (no inline answer), the answer comes to response_url."""
    key = f"r{len(side.fake.responses)}"
    ack = await side.driver.command(
        slash_command(text, user_id=user, channel=SALES, response_url=side.fake.response_url(key))
    )
    assert ack == {}
    await side.fake.wait_for(lambda: any(r.key == key for r in side.fake.responses), what=f"the answer to {text!r}")
    return next(r for r in side.fake.responses if r.key == key)


def shown(response: Response) -> str:
    blocks = response.body.get("blocks") or []
    return response.text + "\n" + "\n".join(str((b.get("text") or {}).get("text", "")) for b in blocks)


async def pipeline(side: SlackSide) -> list[LeadRecord]:
    """Three leads: one won by REP, one lost by OTHER, one waiting unclaimed."""
    store = side.store
    won = await store.leads.add(new_lead("Ada Park", post_to=None))
    lost = await store.leads.add(new_lead("Bo Elm", post_to=None))
    waiting = await side.posted_lead("Cy Oak", channel=SALES)
    await store.leads.claim(won.id, REP)
    await store.leads.log_activity(
        won.id, REP, "call", "Booked a demo.", check=work_check("log_activity", manager=False))
    await store.leads.set_outcome(won.id, REP, "won", amount=12500.0, check=work_check("set_outcome", manager=False))
    await store.leads.claim(lost.id, OTHER)
    await store.leads.set_outcome(
        lost.id, OTHER, "lost", reason="went with a competitor", check=work_check("set_outcome", manager=False))
    return [won, lost, waiting]


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("", "*Leadbot* — your leads"),
        ("help", "*Leadbot* — your leads"),
        ("frobnicate", "Usage: `/leads help` · `stats"),
        ("stats 12d", "Usage: `/leads stats [7d|30d|90d|all] [by source|by rep] [share]`"),
        ("show", "Usage: `/leads show <lead id|email|phone>`"),
        ("outcome 12 maybe", "Usage: `/leads outcome <id> won <amount>"),
        ("outcome x won 5", "Usage: `/leads outcome <id> won <amount>"),
        ("note 12", "Usage: `/leads note <id> <text>`"),
        ("away sometimes", "Usage: `/leads away on|off`"),
        ("outcome 1 won", "A won deal needs its amount"),
        ("outcome 1 lost", "Say why (a short reason)."),
    ],
)
async def test_help_and_wrong_input_get_a_short_usage_line(usage_side: SlackSide, text: str, answer: str) -> None:
    response = await leads(usage_side, text)
    assert response.text.startswith(answer) or answer in response.text
    assert response.ephemeral
    assert "Traceback" not in response.text


async def test_stats_per_rep_for_managers_own_line_for_reps(side: SlackSide) -> None:
    await pipeline(side)

    boss = shown(await leads(side, "stats 7d", user=BOSS))
    assert "*Pipeline, the last 7 days*" in boss
    assert "*3* leads (A 3) · claimed 67%" in boss
    assert "Outcomes: Lost 1 · Won 1 · win rate *50%* · revenue *12,500*" in boss
    assert "• AutoLeads: 3 · 50% · 12,500 · 0% · 0%" in boss
    assert f"• <@{REP}>: 1 · 1 · 100% · 12,500" in boss and f"• <@{OTHER}>: 1 · 0 · 0% · 0" in boss

    rep = await leads(side, "stats all share", user=REP)
    assert not rep.ephemeral  # asked to share
    assert "*You* (claimed" in shown(rep) and f"<@{OTHER}>" not in shown(rep)


async def test_mine_unclaimed_search(side: SlackSide) -> None:
    await pipeline(side)
    open_lead = await side.store.leads.add(new_lead("Dee Ash", post_to=None))
    await side.store.leads.claim(open_lead.id, REP)

    mine = shown(await leads(side, "mine"))
    assert f"#{open_lead.id} *Dee Ash*" in mine and "Ada Park" not in mine
    unclaimed = shown(await leads(side, "unclaimed"))  # a rep sees the first name until someone claims it
    assert "*Cy*" in unclaimed and "Oak" not in unclaimed
    assert "*Cy Oak*" in shown(await leads(side, "unclaimed", user=BOSS))
    found = shown(await leads(side, "search bo.elm@"))  # OTHER's lead: REP sees no surname
    assert "*Bo*" in found and "Elm" not in found and "Ada Park" not in found
    assert "*Bo Elm*" in shown(await leads(side, "search bo.elm@", user=BOSS))
    assert (await leads(side, "search nobody-like-this")).text == "No lead matches “nobody-like-this”."
    assert (await leads(side, "mine", user=BOSS)).text.startswith("You have no open leads.")


async def test_show_is_the_contact_card(side: SlackSide, clock: HeldClock) -> None:
    won, *_ = await pipeline(side)
    again = await side.store.leads.add(new_lead("Ada Park", post_to=None))  # the same person writes again
    # Both cards are rendered at this instant: on the real clock a lead's age ("0 s") can tick to "1 s"
    # between the two answers on a loaded machine, and the cards differ by that alone.
    clock.held = utcnow()

    by_id = shown(await leads(side, f"show {won.id}"))
    by_email = shown(await leads(side, "show ada.park@example.org"))
    assert by_id == by_email
    assert "*Ada Park*\nada.park@example.org\n2 lead(s)" in by_id
    assert f"#{again.id} *Ada Park*" in by_id and f"#{won.id} *Ada Park*" in by_id
    assert "+20 phone number verified" in by_id  # the score breakdown
    assert f"outcome by <@{REP}>: won 12,500 · lead #{won.id}" in by_id
    assert f"follow_up by <@{REP}>: call — Booked a demo. · lead #{won.id}" in by_id
    assert (
        await leads(side, "show nobody@nowhere.example")
    ).text == "No lead or contact matches “nobody@nowhere.example”."


async def test_outcome_and_note_by_command_respect_ownership(side: SlackSide) -> None:
    lead = await side.posted_lead("Eve Fir", channel=SALES)
    await side.store.leads.claim(lead.id, REP)

    refused = await leads(side, f"note {lead.id} called twice", user=OTHER)
    assert refused.text == f"Sorry, lead #{lead.id} belongs to <@{REP}>; only they or a manager can do that."
    assert (await leads(side, f"note {lead.id} called twice, no answer")).text == f"Noted on lead #{lead.id}."
    closed = await leads(side, f"outcome {lead.id} disqualified wrong number entirely")
    assert closed.text == f"Lead #{lead.id} closed as Disqualified."

    stored = await side.store.leads.get(lead.id)
    assert stored is not None and stored.status == "closed" and stored.outcome == "disqualified"
    assert stored.first_touch_at is not None
    events = {e.kind: e.data for e in await side.store.events.for_lead(lead.id)}
    assert events["follow_up"] == {"activity": "note", "text": "called twice, no answer"}
    assert events["outcome"] == {"outcome": "disqualified", "amount": None, "reason": "wrong number entirely"}
    await side.fake.wait_for(lambda: len(side.fake.calls("chat.update")) >= 3, what="the card updates")


async def test_away_on_and_off(side: SlackSide) -> None:
    assert (await leads(side, "away on")).text.startswith("You are away")
    assert await side.store.reps.away() == {REP}
    assert (await leads(side, "away off")).text.startswith("Welcome back")
    assert await side.store.reps.away() == set()


async def test_new_answers_with_a_draft_that_confirms_in_place(side: SlackSide) -> None:
    response = await leads(side, "new Name: Gus Hale, gus@halefarms.example, 503-555-0142, wants 40 acres fenced")
    assert response.ephemeral and "*Name:* Gus Hale" in shown(response)
    buttons = {
        e["action_id"]: e["value"] for b in response.body["blocks"] if b["type"] == "actions" for e in b["elements"]
    }

    confirm_url = side.fake.response_url("confirm")
    payload = button_payload(
        "draft_confirm", buttons["draft_confirm"], user_id=REP, channel=SALES, message_ts="", response_url=confirm_url,
        ephemeral=True,
    )  # fmt: skip
    await side.driver.interactive(payload)

    await side.fake.wait_for(lambda: any(r.key == "confirm" for r in side.fake.responses), what="the confirmation")
    done = next(r for r in side.fake.responses if r.key == "confirm")
    assert done.body["replace_original"] is True and done.text.startswith(f":white_check_mark: Confirmed by <@{REP}>")
    (lead,) = await side.store.leads.recent()
    assert lead.fields["email"] == "gus@halefarms.example" and lead.channel == "slack"


async def test_app_home_shows_open_leads_and_the_unclaimed_count(side: SlackSide) -> None:
    await pipeline(side)
    mine = await side.store.leads.add(new_lead("Hal Ivy", post_to=None))
    await side.store.leads.claim(mine.id, REP)

    await side.driver.event(event_callback(app_home_opened(REP)))

    await side.fake.wait_for(lambda: REP in side.fake.home_views, what="the App Home")
    home = side.fake.home_views[REP]
    text = "\n".join(str((b.get("text") or {}).get("text", "")) for b in home["blocks"])
    assert home["type"] == "home"
    assert "*1* unclaimed card(s) waiting" in text
    assert f"#{mine.id} *Hal Ivy*" in text and "Ada Park" not in text  # closed leads are not open


async def test_stats_period_bounds(store: Store) -> None:
    """The stats cohort is the leads created in the period (a pure check of the store's statistics)."""
    from store.stats import compute_stats

    now = utcnow()
    await store.leads.add(new_lead("In Period", post_to=None))
    stats = await compute_stats(store.engine, since=now - timedelta(days=1), until=now + timedelta(minutes=1))
    assert stats.leads == 1
    empty = await compute_stats(store.engine, since=now + timedelta(minutes=1), until=now + timedelta(minutes=2))
    assert (empty.leads, empty.claim_rate, empty.win_rate, empty.median_claim_seconds) == (0, 0.0, None, None)
