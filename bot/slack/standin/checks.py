"""Slack's checks on what an app sends, as Slack makes them: a message's text and blocks, a modal, a Home tab.

A card Slack would reject with ``invalid_blocks`` is rejected by the stand-in too, so a test that passes
here does not fail in a real workspace on a Block Kit limit
(https://api.slack.com/reference/block-kit/blocks, …/block-elements, …/surfaces/modals).
"""

from __future__ import annotations

import json
from typing import Any


def message_blocks(params: dict[str, Any]) -> list[dict[str, Any]]:
    blocks = params.get("blocks") or []
    if isinstance(blocks, str):  # form-encoded calls send blocks as a JSON string
        blocks = json.loads(blocks)
    return list(blocks)


def check_message(params: dict[str, Any]) -> str | None:
    """Slack's checks on a message: text or blocks present, and the Block Kit limits."""
    text = params.get("text")
    try:
        blocks = message_blocks(params)
    except (TypeError, ValueError):
        return "invalid_blocks_format"
    if not text and not blocks:
        return "no_text"
    if text and len(str(text)) > 40000:
        return "msg_too_long"
    if len(blocks) > 50:
        return "invalid_blocks"
    return _blocks_problem(blocks)


def _blocks_problem(blocks: list[Any]) -> str | None:
    if not all(_block_ok(block) for block in blocks):
        return "invalid_blocks"
    ids = [block["block_id"] for block in blocks if block.get("block_id")]
    # Slack refuses a message or view whose blocks repeat a block_id
    return "invalid_blocks" if len(ids) != len(set(ids)) else None


def _text_ok(obj: Any, limit: int) -> bool:
    return (
        isinstance(obj, dict) and obj.get("type") in ("mrkdwn", "plain_text") and 0 < len(obj.get("text", "")) <= limit
    )


def _block_ok(block: Any) -> bool:
    if not isinstance(block, dict) or len(str(block.get("block_id", ""))) > 255:
        return False
    kind = block.get("type")
    if kind == "section":
        fields = block.get("fields")
        if "text" not in block and not fields:
            return False
        if "text" in block and not _text_ok(block["text"], 3000):
            return False
        return fields is None or (len(fields) <= 10 and all(_text_ok(f, 2000) for f in fields))
    if kind == "context":
        elements = block.get("elements") or []
        return 0 < len(elements) <= 10 and all(_text_ok(e, 3000) or e.get("type") == "image" for e in elements)
    if kind == "actions":
        elements = block.get("elements") or []
        return 0 < len(elements) <= 25 and all(_element_ok(e) for e in elements)
    if kind == "header":
        return _text_ok(block.get("text"), 150) and block["text"]["type"] == "plain_text"
    if kind == "input":
        return _input_ok(block)
    return kind in ("divider", "image", "rich_text", "file", "video")


def _element_ok(element: Any) -> bool:
    if not isinstance(element, dict):
        return False
    if len(str(element.get("action_id", ""))) > 255:
        return False
    if element.get("type") == "button":
        text = element.get("text")
        return (
            _text_ok(text, 75)
            and isinstance(text, dict)
            and text["type"] == "plain_text"
            and len(str(element.get("value", ""))) <= 2000
            and element.get("style") in (None, "primary", "danger")
        )
    return True


def check_view(view: Any) -> str | None:
    """Slack's checks on a modal or Home tab (views.open / views.update / views.publish)."""
    if not isinstance(view, dict) or view.get("type") not in ("modal", "home"):
        return "invalid_arguments"
    blocks = view.get("blocks")
    if not isinstance(blocks, list) or len(blocks) > 100:
        return "invalid_blocks"
    if len(str(view.get("private_metadata", ""))) > 3000 or len(str(view.get("callback_id", ""))) > 255:
        return "invalid_arguments"
    if view["type"] == "modal":
        for key, required in (("title", True), ("submit", False), ("close", False)):
            if (required or key in view) and not _plain_ok(view.get(key), 24):
                return "invalid_arguments"
    return _blocks_problem(blocks)


def _plain_ok(obj: Any, limit: int) -> bool:
    return _text_ok(obj, limit) and obj["type"] == "plain_text"


def _input_ok(block: dict[str, Any]) -> bool:
    element = block.get("element")
    if not _plain_ok(block.get("label"), 2000) or not isinstance(element, dict):
        return False
    initial = element.get("initial_value")
    limit = element.get("max_length", 3000)
    return initial is None or (isinstance(initial, str) and len(initial) <= limit)
