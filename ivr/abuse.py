"""A budget of texts per number: past it the line stops replying until the window passes.

Every reply costs money, and SMS pumping sends floods of texts to run up that bill. Counts are
kept by the `limits` library in memory (one budget per worker) or, with REDIS_URL, in Redis so
every worker and machine shares one budget. Numbers are never stored: the key is a salted hash.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import time
from collections.abc import Callable

import limits
from flask import Flask, Response, current_app, request
from twilio.twiml.messaging_response import MessagingResponse

from ivr import SettingsError

log = logging.getLogger("ivr")
FORGET_SECONDS = 1.0


def number_hash(number: str) -> str:
    """Return a short salted hash of a phone number, for keys and logs in place of the number."""
    key = str(current_app.config["SECRET_KEY"] or "").encode()  # only tests run without one
    return hmac.new(key, number.encode(), hashlib.sha256).hexdigest()[:16]


class TextBudget:
    """Count texts per key in a moving window, in memory or in a shared store."""

    def __init__(self, limit: str, storage_uri: str | None = None) -> None:
        self.item = limits.parse(limit)
        self.storage_uri = storage_uri or "memory://"
        self._limiter: limits.strategies.RateLimiter | None = None
        self._pid = 0

    @property
    def limiter(self) -> limits.strategies.RateLimiter:
        """Return this process's limiter (gunicorn forks after loading the app)."""
        if self._limiter is None or self._pid != os.getpid():
            # A short timeout: a slow Redis must not hold up a frightened caller's reply.
            options = {} if self.storage_uri == "memory://" else {
                "socket_timeout": 1, "socket_connect_timeout": 1}
            storage = (_Memory() if self.storage_uri == "memory://" else
                       limits.storage.storage_from_string(self.storage_uri, **options))
            self._limiter = limits.strategies.MovingWindowRateLimiter(storage)
            self._pid = os.getpid()
        return self._limiter

    def spend(self, key: str) -> bool:
        """Count one text; say whether it is within the budget."""
        return self._ask(self.limiter.hit, key)

    def left(self, key: str) -> bool:
        """Say whether one more text would be within the budget, without counting it."""
        return self._ask(self.limiter.test, key)

    def _ask(self, how: Callable[..., bool], key: str) -> bool:
        try:
            return bool(how(self.item, "sms", key))
        except Exception as e:  # any storage failure
            # Answering a few texts too many costs less than a family getting no answer.
            log.warning("text budget unavailable (%s: %s); replying anyway",
                        type(e).__name__, self.storage_uri.split("@")[-1])
            return True


class _Memory(limits.storage.MemoryStorage):
    """limits' memory storage, forgetting old texts in the request's own thread once a second.

    The parent starts a timer thread 10 ms after nearly every text to forget them: under a flood
    of texts, a new thread every few requests. Forgetting only frees memory; whether a text is
    within the budget is judged from each entry's time either way.
    """

    def __init__(self) -> None:
        super().__init__()
        self._forgot = time.monotonic()

    def _MemoryStorage__schedule_expiry(self) -> None:  # replaces the parent's private timer
        now = time.monotonic()
        if now - self._forgot >= FORGET_SECONDS:
            self._forgot = now
            # Private to limits: should a version rename it, texts are still counted right.
            forget = getattr(self, "_MemoryStorage__expire_events", None)
            if forget is not None:
                forget()


def init_app(app: Flask) -> None:
    """Check each incoming text against its sender's budget before any view sees it."""
    try:
        budget = TextBudget(app.config["IVR_SMS_LIMIT"], app.config["REDIS_URL"])
    except ValueError:
        raise SettingsError(f"IVR_SMS_LIMIT {app.config['IVR_SMS_LIMIT']!r} is not a limit "
                            "like '20 per 10 minutes'") from None
    app.extensions["ivr.texts"] = budget
    app.before_request(limit_texts)


def limit_texts() -> Response | None:
    """Answer with an empty <Response/> once a number has used up its budget of texts."""
    if request.path != "/sms" and not request.path.startswith("/sms/"):
        return None
    form = request.form
    sender = form.get("From", "")
    if not sender or "MessageStatus" in form:  # status callbacks are not texts
        return None
    budget: TextBudget = current_app.extensions["ivr.texts"]
    key = number_hash(sender)
    # Twilio calls the fallback for a text /sms already counted: check it, do not count again.
    ok = budget.left(key) if request.path == "/sms/fallback" else budget.spend(key)
    if ok:
        return None
    log.warning("texts from %s over the limit (%s): not answered", key, budget.item)
    return Response(str(MessagingResponse()), 200, mimetype="text/xml")
