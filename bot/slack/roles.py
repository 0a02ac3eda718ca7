"""Who may do what and read what: `[slack.roles]` and `[privacy]` resolved against Slack's user groups.

Acting: anyone may claim unless ``reps`` is set; managers may always claim, reassign, see per-rep
statistics and act on any lead; otherwise only a lead's owner may work it.

Reading (issue 13): `/leads show`, `/leads search` and lead lists answer only readers — reps (anyone when
``reps`` is empty), managers and ``[privacy] original_roles``. A lead's contact details and original
message are for its owner, managers and ``original_roles``; with ``mask_unclaimed`` off every reader
sees contact details too (they are on the cards anyway), but the original stays theirs alone.

Membership of a user group (``S…``) is read with ``usergroups.users.list`` and kept for ``ttl``
seconds; if Slack cannot be asked, the last known members are used (and nobody is a member of a group never read).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.settings import PrivacySettings, SlackRoles
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
        privacy: PrivacySettings | None = None,
    ) -> None:
        self._settings = settings
        self.privacy = privacy or PrivacySettings()
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

    async def may_read(self, user: str) -> bool:
        """Whether ``user`` may look leads up at all (`/leads show`, search, lists): reps, managers and
        ``[privacy] original_roles``."""
        return await self.may_claim(user) or await self._member(user, self.privacy.original_roles)

    async def may_see_original(self, lead: LeadRecord, user: str) -> bool:
        """Whether ``user`` may open ``lead``'s original message (and always see its contact details)."""
        if lead.owner is not None and lead.owner == user:
            return True
        return await self.is_manager(user) or await self._member(user, self.privacy.original_roles)

    async def may_see_details(self, lead: LeadRecord, user: str) -> bool:
        """Whether ``user`` may see ``lead``'s contact details (email, phone, street, surname)."""
        if await self.may_see_original(lead, user):
            return True
        return not self.privacy.mask_unclaimed and await self.may_read(user)

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
