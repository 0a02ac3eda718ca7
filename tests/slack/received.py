"""What reached the Slack stand-in, as text: every message, update, ephemeral, modal, Home tab and
response_url answer, each with where it went, so a test can check what any reader was shown."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from bot.slack.safe import UNSAFE_CHARS
from tests.fakes.slack_api import FakeSlackApi

#: the Web API methods that show something to someone
SHOWING = ("chat.postMessage", "chat.update", "chat.postEphemeral", "views.open", "views.update", "views.publish")
_ANGLED = re.compile(r"<([^<>]*)>")


@dataclass(frozen=True, slots=True)
class Shown:
    #: the method (or "response_url")
    how: str
    #: the channel, the ephemeral's or Home tab's user, or the response key
    where: str
    #: every text Slack parses in it: the top-level text and each text object's
    texts: tuple[str, ...]
    ok: bool
    problem: str = ""
    #: the initial values of its inputs (what a user edits: shown as typed, never parsed)
    inputs: tuple[str, ...] = ()

    @property
    def joined(self) -> str:
        return "\n".join(self.texts)


def _loaded(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) and value[:1] in "[{" else value


def texts_in(node: Any, key: str = "text") -> list[str]:
    """Every string under ``key``, anywhere (text objects, buttons, options, fields)."""
    out: list[str] = []
    if isinstance(node, dict):
        for name, value in node.items():
            if name == key and isinstance(value, str):
                out.append(value)
            else:
                out += texts_in(value, key)
    elif isinstance(node, list):
        for item in node:
            out += texts_in(item, key)
    return out


def everything_shown(fake: FakeSlackApi) -> list[Shown]:
    shown: list[Shown] = []
    for call in fake.calls():
        if call.method not in SHOWING:
            continue
        params = call.params
        where = str(params.get("channel") or params.get("user_id") or params.get("user") or "")
        if call.method == "chat.postEphemeral":
            where = str(params.get("user") or "")
        texts = [str(params["text"])] if params.get("text") else []
        texts += texts_in(_loaded(params.get("blocks")) or [])
        view = _loaded(params.get("view")) or {}
        texts += texts_in(view)
        inputs = tuple(texts_in(view, "initial_value"))
        shown.append(Shown(call.method, where, tuple(texts), call.ok, call.error, inputs))
    for response in fake.responses:
        shown.append(
            Shown("response_url", response.key, tuple(texts_in(response.body)), not response.problem,
                  response.problem or "")
        )  # fmt: skip
    return shown


def live_markup(text: str, ours: frozenset[str]) -> list[str]:
    """What in ``text`` Slack would turn into a ping, a link or a reference, other than references to
    ``ours`` (the user and channel ids our own notes name) and date tokens."""
    live = []
    for inner in _ANGLED.findall(text):
        if inner[:1] in "@#" and inner[1:] in ours:
            continue
        if inner.startswith("!date^"):
            continue
        live.append(f"<{inner}>")
    return live


def unsafe_chars(text: str) -> list[str]:
    return [f"U+{ord(c):04X}" for c in UNSAFE_CHARS.findall(text)]
