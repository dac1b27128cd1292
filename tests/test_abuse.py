"""Past its budget of texts a number gets no replies until the window passes; numbers unstored."""

from __future__ import annotations

import shutil
import socket
import subprocess
import threading
import time
from types import SimpleNamespace

import limits.storage.memory
import limits.storage.redis
import pytest
from conftest import SHIPPED
from webhooks import twiml

from ivr import create_app

ALICE, BOB = "+16175550111", "+16175550122"


class Clock:
    """Stand in for `time` inside limits' storage, so a 10-minute window passes at once."""

    def __init__(self) -> None:
        self.now = time.time()

    def time(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch):
    c = Clock()
    for module in (limits.storage.memory, limits.storage.redis):
        monkeypatch.setattr(module, "time", SimpleNamespace(time=c.time))
    return c


def make_app(**config):
    return create_app({"TESTING": True, "SECRET_KEY": "test", "IVR_MENU": str(SHIPPED),
                       "IVR_SMS_LIMIT": "3 per 10 minutes", **config})


def replied(client, number: str, path: str = "/sms", **extra) -> bool:
    root = twiml(client.post(path, data={"From": number, "To": "+16175550100",
                                         "Body": "symptoms", "MessageSid": "SM" + "0" * 32,
                                         **extra}))
    return root.find("Message") is not None


def test_past_the_budget_a_number_gets_no_reply_until_the_window_passes(clock, caplog):
    client = make_app().test_client()
    assert [replied(client, ALICE) for _ in range(5)] == [True, True, True, False, False]
    assert replied(client, BOB)  # everyone else is still answered
    assert "over the limit (3 per 10 minute" in caplog.text
    assert "5550111" not in caplog.text
    clock.now += 9 * 60
    assert not replied(client, ALICE)
    clock.now += 61
    assert replied(client, ALICE)


def test_the_default_budget_is_twenty_in_ten_minutes(clock):
    client = create_app({"TESTING": True, "SECRET_KEY": "t",
                         "IVR_MENU": str(SHIPPED)}).test_client()
    answers = [replied(client, ALICE) for _ in range(21)]
    assert answers == [True] * 20 + [False]


def test_the_fallback_honours_the_budget_without_counting(clock):
    client = make_app().test_client()
    assert all(replied(client, ALICE, "/sms/fallback") for _ in range(5))
    assert [replied(client, ALICE) for _ in range(4)] == [True, True, True, False]
    assert not replied(client, ALICE, "/sms/fallback")


def test_status_callbacks_and_calls_are_not_counted(clock):
    client = make_app().test_client()
    for _ in range(5):
        client.post("/sms/status", data={"From": ALICE, "MessageStatus": "delivered"})
        client.post("/voice", data={"From": ALICE})
    assert replied(client, ALICE)


def test_numbers_are_kept_only_as_salted_hashes(clock):
    app = make_app()
    replied(app.test_client(), ALICE)
    storage = app.extensions["ivr.texts"].limiter.storage
    keys = " ".join(storage.events)
    assert keys and "5550111" not in keys
    other = make_app(SECRET_KEY="another line")
    replied(other.test_client(), ALICE)
    assert set(other.extensions["ivr.texts"].limiter.storage.events).isdisjoint(storage.events)


def test_old_texts_are_forgotten_from_memory_without_a_thread_per_text(clock, monkeypatch):
    import ivr.abuse

    app = make_app()
    client = app.test_client()
    storage = app.extensions["ivr.texts"].limiter.storage
    timers = []
    monkeypatch.setattr(limits.storage.memory.threading, "Timer",
                        lambda *a, **k: timers.append(a) or threading.Timer(*a, **k))
    assert [replied(client, ALICE) for _ in range(4)] == [True, True, True, False]
    assert timers == []  # counting texts starts no timer threads
    assert any(storage.events.values())
    clock.now += 11 * 60  # the window passes for Alice's texts...
    later = time.monotonic() + 2  # ...and the once-a-second forgetting is due
    monkeypatch.setattr(ivr.abuse, "time", SimpleNamespace(monotonic=lambda: later))
    assert replied(client, BOB)
    assert sum(map(len, storage.events.values())) == 1  # only Bob's text is left
    assert replied(client, ALICE)


def test_without_its_store_the_line_still_replies(clock, caplog):
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    client = make_app(REDIS_URL=f"redis://:hunter2@127.0.0.1:{port}/0").test_client()
    assert all(replied(client, ALICE) for _ in range(5))
    assert "text budget unavailable" in caplog.text
    assert "hunter2" not in caplog.text


@pytest.fixture(scope="module")
def redis_url():
    server = shutil.which("redis-server")
    if server is None:
        pytest.skip("redis-server is not installed: `apt-get install redis-server` "
                    "(.ci/run does this) to test the shared budget")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                raise AssertionError("redis-server did not start") from None
            time.sleep(0.05)  # polling for the port to open
    yield f"redis://127.0.0.1:{port}/0"
    proc.terminate()
    proc.wait(10)


def test_workers_and_machines_share_one_budget_through_redis(redis_url, clock):
    import redis

    redis.Redis.from_url(redis_url).flushdb()
    one = make_app(REDIS_URL=redis_url).test_client()
    two = make_app(REDIS_URL=redis_url).test_client()  # another worker or machine
    assert [replied(one, ALICE), replied(two, ALICE), replied(one, ALICE)] == [True] * 3
    assert not replied(two, ALICE)
    assert not replied(one, ALICE)
    assert replied(two, BOB)
    keys = b" ".join(redis.Redis.from_url(redis_url).keys("*")).decode()
    assert keys and "5550111" not in keys and "5550122" not in keys
    clock.now += 601
    assert replied(two, ALICE)


def replied_through_gunicorn(env: dict[str, str], texts: int) -> list[bool]:
    """Send `texts` texts from one number to gunicorn started from the Procfile."""
    from twilio_client import Server

    server = Server(SHIPPED, env=env)
    try:
        client = server.client()
        text = {"From": ALICE, "To": "+16175550100", "Body": "symptoms",
                "MessageSid": "SM" + "0" * 32}
        return [client.post("/sms", text).twiml.find("Message") is not None
                for _ in range(texts)]
    finally:
        server.stop()


def test_gunicorn_workers_share_the_budget_through_redis(redis_url):
    import redis

    redis.Redis.from_url(redis_url).flushdb()
    answers = replied_through_gunicorn(
        {"REDIS_URL": redis_url, "IVR_SMS_LIMIT": "5 per 10 minutes", "WEB_CONCURRENCY": "3"}, 12)
    assert answers == [True] * 5 + [False] * 7


def test_the_procfile_as_shipped_keeps_one_exact_budget_without_redis():
    answers = replied_through_gunicorn({"IVR_SMS_LIMIT": "4 per 10 minutes"}, 10)
    assert answers == [True] * 4 + [False] * 6
