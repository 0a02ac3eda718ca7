"""slack-app-manifest.yml asks for exactly the scopes the code needs, and every event it subscribes to is
handled (issue 14: ``chat:write.public``, the Messages tab and ``message.im``; unused scopes dropped)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
#: the bot scope each Web API method the code calls needs (https://api.slack.com/methods)
METHOD_SCOPES = {
    "chat_postMessage": {"chat:write"},
    "chat_update": {"chat:write"},
    "chat_postEphemeral": {"chat:write"},
    "conversations_history": {"channels:history", "groups:history"},
    "conversations_open": {"im:write"},
    "usergroups_users_list": {"usergroups:read"},
    "users_info": {"users:read"},
    "views_open": set(),
    "views_publish": set(),
}
#: the scope each subscribed event needs
EVENT_SCOPES = {
    "app_home_opened": set(),
    "app_mention": {"app_mentions:read"},
    "message.channels": {"channels:history"},
    "message.groups": {"groups:history"},
    "message.im": {"im:history"},
}
#: scopes no method or event accounts for, and why they are asked for
OTHER_SCOPES = {
    "commands": "/leads and the message shortcut",
    "chat:write.public": "escalation posts to public channels the bot was never invited to",
}
_CALL = re.compile(r"client\.([a-z]+_[A-Za-z_]+)\(")  # client.… and self._client.…


def manifest() -> dict[str, Any]:
    loaded = yaml.safe_load((ROOT / "slack-app-manifest.yml").read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def called_methods() -> set[str]:
    found: set[str] = set()
    for path in (ROOT / "bot").rglob("*.py"):
        if "standin" not in path.parts:  # the stand-in serves the API, it does not call it
            found.update(_CALL.findall(path.read_text(encoding="utf-8")))
    return {m for m in found if m.split("_")[0] in ("chat", "conversations", "usergroups", "views", "users")}


def test_every_method_the_code_calls_is_known_and_its_scope_asked_for() -> None:
    methods = called_methods()
    assert methods <= METHOD_SCOPES.keys(), f"add the scope of {methods - METHOD_SCOPES.keys()} to METHOD_SCOPES"
    scopes = set(manifest()["oauth_config"]["scopes"]["bot"])
    for method in methods:
        assert METHOD_SCOPES[method] <= scopes, method


def test_no_scope_is_asked_for_that_nothing_needs() -> None:
    settings = manifest()
    scopes = set(settings["oauth_config"]["scopes"]["bot"])
    events = settings["settings"]["event_subscriptions"]["bot_events"]
    needed = set(OTHER_SCOPES).union(*(METHOD_SCOPES[m] for m in called_methods()), *(EVENT_SCOPES[e] for e in events))
    assert scopes == needed
    assert "channels:read" not in scopes


def test_the_messages_tab_is_open_and_its_messages_arrive() -> None:
    settings = manifest()
    home = settings["features"]["app_home"]
    assert home["messages_tab_enabled"] is True and home["messages_tab_read_only_enabled"] is False
    assert "message.im" in settings["settings"]["event_subscriptions"]["bot_events"]
    (command,) = settings["features"]["slash_commands"]
    assert "reopen <id>" in command["usage_hint"] and "remind <id> <when>" in command["usage_hint"]
