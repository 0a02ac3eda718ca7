"""The retention worker (issue 13): once a day, the `[privacy]` retention rules are applied.

Raw messages are deleted ``raw_message_days`` after processing (their leads stay), closed-lost and
disqualified leads anonymised ``closed_lead_days`` after closing, grade C leads ``grade_c_days`` after
arriving (store/privacy.py does the work; `leadbot privacy --dry-run` shows what would go). The Slack
messages about anonymised leads are cleared by the outbox, which is woken after each pass.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from bot.settings import PrivacySettings
from store.store import Store

logger = logging.getLogger(__name__)

Sleep = Callable[[float], Awaitable[None]]
DAY = 86400.0


class RetentionWorker:
    """Applies the retention rules now, then every ``interval`` seconds (a day)."""

    def __init__(
        self,
        store: Store,
        rules: PrivacySettings,
        *,
        on_outbox: Callable[[], None] = lambda: None,
        sleep: Sleep = asyncio.sleep,
        interval: float = DAY,
    ) -> None:
        self._store = store
        self._rules = rules
        self._on_outbox = on_outbox
        self._sleep = sleep
        self._interval = interval

    @property
    def enabled(self) -> bool:
        rules = self._rules
        return bool(rules.raw_message_days or rules.closed_lead_days or rules.grade_c_days)

    async def run_once(self) -> tuple[int, int, int]:
        """One pass; returns (raw messages deleted, closed leads and grade C leads anonymised)."""
        plan = await self._store.privacy.retention_plan(
            raw_message_days=self._rules.raw_message_days,
            closed_lead_days=self._rules.closed_lead_days,
            grade_c_days=self._rules.grade_c_days,
        )
        if plan.empty:
            return 0, 0, 0
        slack = await self._store.privacy.apply_retention(plan)
        logger.info(
            "retention: deleted %d raw message(s), anonymised %d closed and %d grade C lead(s)",
            len(plan.raw_messages),
            len(plan.closed_leads),
            len(plan.grade_c_leads),
        )
        if slack:
            self._on_outbox()
        return len(plan.raw_messages), len(plan.closed_leads), len(plan.grade_c_leads)

    async def run(self) -> None:
        """Apply the rules every day until cancelled (nothing when no rule is set). A failing pass (the
        database away) is logged and tried again the next day."""
        if not self.enabled:
            return
        while True:
            try:
                await self.run_once()
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("retention pass failed; trying again in %.0f s", self._interval)
            await self._sleep(self._interval)
