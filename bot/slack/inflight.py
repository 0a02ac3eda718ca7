"""The listeners still running, so that a stop can let them finish before the store closes.

Bolt acks first and runs each listener in a task of its own (and Socket Mode each request in another): a
stop that only closes the connection abandons a listener halfway, inside a store session, and the
store is then closed under it (a connection never checked in, its write lost). `track` registers on the
app with every listener and middleware function wrapped; `InFlight.wait` waits for them.
"""

from __future__ import annotations

import asyncio
import functools
import weakref
from collections import Counter
from collections.abc import Callable
from typing import Any, cast

from slack_bolt.async_app import AsyncApp

#: the app methods that register listener (or middleware) functions
_REGISTERING = frozenset({"action", "command", "event", "message", "middleware", "options", "shortcut", "view"})
_TRACKERS: weakref.WeakKeyDictionary[AsyncApp, InFlight] = weakref.WeakKeyDictionary()


class InFlight:
    """The tasks running a listener of one app (a task counted once per nested tracked call)."""

    def __init__(self) -> None:
        self._running: Counter[asyncio.Task[Any]] = Counter()

    def __len__(self) -> int:
        return len(self._running)

    def wrap(self, func: Callable[..., Any]) -> Callable[..., Any]:
        """``func`` (a coroutine function Bolt calls with keyword arguments named as its parameters),
        counted while it runs; `functools.wraps` keeps the names Bolt reads (through ``__wrapped__``)."""

        @functools.wraps(func)
        async def tracked(*args: Any, **kwargs: Any) -> Any:
            task = asyncio.current_task()
            if task is None:  # pragma: no cover - Bolt always runs listeners in a task
                return await func(*args, **kwargs)
            self._running[task] += 1
            try:
                return await func(*args, **kwargs)
            finally:
                self._running[task] -= 1
                if self._running[task] <= 0:
                    del self._running[task]

        return tracked

    async def wait(self) -> None:
        """Until the listeners running now (and any they lead to) have returned; bound it with a timeout."""
        current = asyncio.current_task()
        while pending := [task for task in self._running if task is not current and not task.done()]:
            await asyncio.wait(pending)


class _Registering:
    """``app`` as the listener modules see it: each function they register is wrapped by ``inflight``."""

    def __init__(self, app: AsyncApp, inflight: InFlight) -> None:
        self._app = app
        self._inflight = inflight

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._app, name)
        if name not in _REGISTERING:
            return attribute
        inflight = self._inflight

        def registering(*args: Any, **kwargs: Any) -> Any:
            if name == "middleware":  # app.middleware(func)
                return attribute(*(inflight.wrap(a) if callable(a) else a for a in args), **kwargs)
            decorator = attribute(*args, **kwargs)

            def register(*funcs: Any, **more: Any) -> Any:
                return decorator(*(inflight.wrap(f) for f in funcs), **more)

            return register

        return registering


def track(app: AsyncApp) -> tuple[AsyncApp, InFlight]:
    """A registering view of ``app`` whose listeners are tracked, and the tracker (also `of(app)`)."""
    inflight = _TRACKERS.setdefault(app, InFlight())
    return cast(AsyncApp, _Registering(app, inflight)), inflight


def of(app: AsyncApp) -> InFlight | None:
    """The tracker of an app built with `track` (None: its listeners are not tracked)."""
    return _TRACKERS.get(app)
