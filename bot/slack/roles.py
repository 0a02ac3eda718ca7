"""Who may do what: `[slack.roles]` resolved against Slack's user groups.

Policy (pure): anyone may claim unless ``reps`` is set; managers may always claim, reassign, see per-rep
statistics and act on any lead; otherwise only a lead's owner may work it. Membership of a user group
(``S…``) is read with ``usergroups.users.list`` and kept for ``ttl`` seconds; if Slack cannot be asked, the
last known members are used (and nobody is a member of a group never read).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.settings import SlackRoles
from store.records import LeadRecord

logger = logging.getLogger(__name__)


def may_work(lead: LeadRecord, user: str, *, manager: bool) -> bool:
    """Whether ``user`` may log activity, set an outcome or release ``lead``."""
    return manager or (lead.owner is not None and lead.owner == user)


class Roles:
    """Answers "is this user a rep / a manager?" from the settings and the user groups they name."""

    def __init__(
        self,
        settings: SlackRoles,
        client: AsyncWebClient | None = None,
        *,
        ttl: float = 300.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._settings = settings
        self._client = client
        self._ttl = ttl
        self._clock = clock
        #: group id -> (members, when read)
        self._groups: dict[str, tuple[frozenset[str], float]] = {}

    async def is_manager(self, user: str) -> bool:
        return await self._member(user, self._settings.managers)

    async def may_claim(self, user: str) -> bool:
        if not self._settings.reps:
            return True
        return await self._member(user, self._settings.reps) or await self.is_manager(user)

    async def _member(self, user: str, ids: Iterable[str]) -> bool:
        for member in ids:
            if member == user:
                return True
            if member.startswith("S") and user in await self._group(member):
                return True
        return False

    async def _group(self, group: str) -> frozenset[str]:
        known = self._groups.get(group)
        now = self._clock()
        if known is not None and now - known[1] < self._ttl:
            return known[0]
        if self._client is None:
            return known[0] if known else frozenset()
        try:
            response = await self._client.usergroups_users_list(usergroup=group)
        except SlackApiError as exc:
            logger.warning("cannot read user group %s (%s); using what was known", group, exc.response.get("error"))
            return known[0] if known else frozenset()
        members = frozenset(str(u) for u in response.get("users") or ())
        self._groups[group] = (members, now)
        return members
