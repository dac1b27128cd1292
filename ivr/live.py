"""The menu the web app uses: loaded at start, reloaded when the file changes, last good kept."""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable

from ivr.engine import Conversation
from ivr.menu import MenuError, load_menu

log = logging.getLogger("ivr")


class LiveMenu:
    """Hold the current `Conversation`, checking the file's mtime at most once per `interval`."""

    def __init__(
        self, path: str, interval: float = 1.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.path = path
        self.interval = interval
        self.clock = clock
        self.conversation: Conversation | None = None
        self.error: MenuError | None = None
        self._seen: tuple[int, int] | None = None
        self._checked = clock()
        self._lock = threading.Lock()
        self._load()

    def current(self) -> Conversation | None:
        """Return the last menu that loaded, reloading first if the file changed since."""
        now = self.clock()
        if now - self._checked >= self.interval:
            with self._lock:
                if now - self._checked >= self.interval:
                    self._checked = now
                    if self._stamp() != self._seen:
                        self._load()
        return self.conversation

    def _stamp(self) -> tuple[int, int] | None:
        try:
            st = os.stat(self.path)
        except OSError:
            return None
        return (st.st_mtime_ns, st.st_size)

    def _load(self) -> None:
        self._seen = self._stamp()
        try:
            menu = load_menu(self.path)
        except MenuError as e:
            self.error = e
            kept = f"still serving {self.conversation.menu.digest}" if self.conversation else (
                "no menu to serve: every call and text goes to the fallback")
            for line in e.lines():
                log.error("menu not loaded (%s): %s", kept, line)
            return
        self.conversation = Conversation(menu)
        self.error = None
        log.info("menu loaded: %s (%s)", self.path, menu.digest)
