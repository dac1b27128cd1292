"""The menu the web app uses: loaded at start, reloaded when the file changes, last good kept."""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable

from ivr.engine import Conversation
from ivr.menu import MenuError, Problem, load_menu

log = logging.getLogger("ivr")


class LiveMenu:
    """Hold the current `Conversation`, checking the file's mtime at most once per `interval`.

    A change that does not load is never used: `conversation` stays the last menu that loaded,
    and `error` says why the file on disk is not in use.
    """

    def __init__(
        self, path: str, interval: float = 1.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.path = path
        self.interval = interval
        self.clock = clock
        self.conversation: Conversation | None = None
        self.error: MenuError | None = None
        self._seen: tuple[int, int, int] | None = None
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

    def _stamp(self) -> tuple[int, int, int] | None:
        # The inode too: editors that save by renaming a new file over the old one change it.
        try:
            st = os.stat(self.path)
        except OSError:
            return None
        return (st.st_mtime_ns, st.st_size, st.st_ino)

    def _load(self) -> None:
        self._seen = self._stamp()
        try:
            menu = load_menu(self.path)
        except MenuError as e:
            self._failed(e)
            return
        except Exception as e:  # a loader bug must not take the line down
            log.exception("loading %s failed", self.path)
            self._failed(MenuError(self.path, [Problem(0, f"could not be loaded "
                                                          f"({type(e).__name__}); see the log")]))
            return
        self.conversation = Conversation(menu)
        self.error = None
        log.info("menu loaded: %s (%s)", self.path, menu.digest)

    def _failed(self, e: MenuError) -> None:
        self.error = e
        for line in e.lines():
            log.error("%s", line)
        if self.conversation:
            log.error("%s was not loaded: still serving menu %s", self.path,
                      self.conversation.menu.digest)
        else:
            log.error("%s was not loaded: no menu to serve, every call and text gets the "
                      "fallback", self.path)
