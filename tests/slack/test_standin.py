"""The fake Slack itself, through the real AsyncWebClient: what other tests rely on it to do."""

from __future__ import annotations

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.slack.poster import FIND_PAGE_SIZE, SlackCardPoster
from tests.fakes.slack_api import APP_TOKEN, FakeSlackApi

SECTION = {"type": "section", "text": {"type": "mrkdwn", "text": "hi"}}


async def test_tokens_are_checked(slack_api: FakeSlackApi, slack_client: AsyncWebClient) -> None:
    assert (await slack_client.auth_test())["user_id"] == "U0LEADBOT"
    with pytest.raises(SlackApiError) as wrong:
        await AsyncWebClient(token="xoxb-wrong", base_url=slack_api.base_url).auth_test()
    assert wrong.value.response["error"] == "invalid_auth"
    with pytest.raises(SlackApiError) as kind:
        await AsyncWebClient(token=APP_TOKEN, base_url=slack_api.base_url).auth_test()
    assert kind.value.response["error"] == "not_allowed_token_type"
    opened = await AsyncWebClient(base_url=slack_api.base_url).apps_connections_open(app_token=APP_TOKEN)
    assert str(opened["url"]).startswith(f"ws://127.0.0.1:{slack_api.port}/")


async def test_messages_are_kept_and_edited(slack_api: FakeSlackApi, slack_client: AsyncWebClient) -> None:
    first = await slack_client.chat_postMessage(channel="C1", text="one", blocks=[SECTION])
    second = await slack_client.chat_postMessage(channel="C1", text="two")
    assert str(first["ts"]) < str(second["ts"])
    await slack_client.chat_update(channel="C1", ts=str(first["ts"]), text="one, edited")
    assert [(m.text, m.edits) for m in slack_api.channel_messages("C1")] == [("one, edited", 1), ("two", 0)]
    with pytest.raises(SlackApiError) as missing:
        await slack_client.chat_update(channel="C1", ts="1.2", text="x")
    assert missing.value.response["error"] == "message_not_found"
    await slack_client.chat_postEphemeral(channel="C1", user="U1", text="psst")
    assert [(e.user, e.text) for e in slack_api.ephemerals] == [("U1", "psst")]


async def test_block_kit_limits_are_enforced(slack_client: AsyncWebClient) -> None:
    with pytest.raises(SlackApiError) as too_many:
        await slack_client.chat_postMessage(channel="C1", text="x", blocks=[SECTION] * 51)
    assert too_many.value.response["error"] == "invalid_blocks"
    long_button = {
        "type": "actions",
        "elements": [{"type": "button", "action_id": "a", "text": {"type": "plain_text", "text": "x" * 76}}],
    }
    with pytest.raises(SlackApiError) as too_long:
        await slack_client.chat_postMessage(channel="C1", text="x", blocks=[long_button])
    assert too_long.value.response["error"] == "invalid_blocks"


async def test_programmed_failures(slack_api: FakeSlackApi, slack_client: AsyncWebClient) -> None:
    slack_api.fail("chat.postMessage", status=429, retry_after=3)
    slack_api.fail("chat.postMessage", status=500, times=2)
    with pytest.raises(SlackApiError) as limited:
        await slack_client.chat_postMessage(channel="C1", text="x")
    assert limited.value.response.status_code == 429
    assert limited.value.response.headers["Retry-After"] == "3"
    assert limited.value.response["error"] == "ratelimited"
    for _ in range(2):
        with pytest.raises(SlackApiError) as down:
            await slack_client.chat_postMessage(channel="C1", text="x")
        assert down.value.response.status_code == 500
    await slack_client.chat_postMessage(channel="C1", text="x")
    assert [c.status for c in slack_api.calls("chat.postMessage")] == [429, 500, 500, 200]


async def test_users_and_views(slack_api: FakeSlackApi, slack_client: AsyncWebClient) -> None:
    slack_api.add_user("U0REP0001", name="dana", real_name="Dana Whitaker")
    assert (await slack_client.users_info(user="U0REP0001"))["user"]["real_name"] == "Dana Whitaker"
    with pytest.raises(SlackApiError) as unknown:
        await slack_client.users_info(user="U0NOBODY")
    assert unknown.value.response["error"] == "user_not_found"
    view = {"type": "modal", "title": {"type": "plain_text", "text": "Outcome"}, "blocks": []}
    opened = await slack_client.views_open(trigger_id="1.2.3", view=view)
    assert str(opened["view"]["id"]).startswith("V") and slack_api.views[0]["title"]["text"] == "Outcome"


async def test_history_is_paged_as_slack_pages_it(slack_client: AsyncWebClient) -> None:
    for n in range(5):
        await slack_client.chat_postMessage(channel="C1", text=f"m{n}")
    seen: list[str] = []
    cursor = None
    while True:
        page = await slack_client.conversations_history(channel="C1", limit=2, cursor=cursor)
        seen += [m["text"] for m in page["messages"]]
        cursor = page["response_metadata"]["next_cursor"]
        if not page["has_more"]:
            break
    assert seen == ["m4", "m3", "m2", "m1", "m0"] and cursor == ""


async def test_a_card_is_found_by_its_token_beyond_the_first_page(slack_client: AsyncWebClient) -> None:
    # a crash after posting, then more cards than one page before the next holder looks (the chaos suite)
    poster = SlackCardPoster(slack_client)
    ts = await poster.post_text("C1", "the orphaned card", token="outbox-7-1")
    for n in range(FIND_PAGE_SIZE + 5):
        await slack_client.chat_postMessage(channel="C1", text=f"later {n}")
    assert await poster.find("C1", "outbox-7-1") == ts
    assert await poster.find("C1", "outbox-8-1") is None
