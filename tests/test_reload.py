"""A saved menus.yaml is live within seconds; a broken one is never used, and healthz says why."""

from __future__ import annotations

import json
import os
import re
import time

import pytest
from conftest import SHIPPED
from twilio_client import Server

from ivr import create_app
from ivr.live import LiveMenu
from ivr.menu import load_menu


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def menu_file(tmp_path, small_menu_text):
    path = tmp_path / "menus.yaml"
    path.write_text(small_menu_text)
    return path


def break_it(path) -> int:
    """Save a version whose main menu leads to a topic that is not there; return that line."""
    text = path.read_text().replace("    options:\n", "    options:\n      9: nowhere\n", 1)
    path.write_text(text)
    return text.splitlines().index("      9: nowhere") + 1


def test_a_good_edit_is_used_once_the_interval_passes(menu_file, small_menu_text):
    clock = Clock()
    live = LiveMenu(str(menu_file), interval=1.0, clock=clock)
    first = live.current().menu.digest
    menu_file.write_text(small_menu_text.replace("Choose a topic.", "Pick a topic."))
    clock.now += 0.5
    assert live.current().menu.digest == first  # not looked at yet
    clock.now += 0.5
    assert live.current().menu.home.prompt.plain() == "Pick a topic."
    assert live.error is None


def test_a_broken_edit_keeps_the_last_good_menu_and_logs_file_and_line(menu_file, caplog):
    clock = Clock()
    live = LiveMenu(str(menu_file), interval=1.0, clock=clock)
    good = live.current()
    line = break_it(menu_file)
    clock.now += 1
    assert live.current() is good
    problem = f"{menu_file}:{line}: "
    assert live.error.lines()[0].startswith(problem)
    assert [r.getMessage() for r in caplog.records if r.getMessage().startswith(problem)], \
        caplog.text
    assert f"still serving menu {good.menu.digest}" in caplog.text
    caplog.clear()
    clock.now += 5
    live.current()
    assert caplog.text == ""  # logged once per save, not on every look


def test_the_file_is_looked_at_at_most_once_per_interval(menu_file, monkeypatch):
    clock = Clock()
    live = LiveMenu(str(menu_file), interval=1.0, clock=clock)
    looks = []
    real = live._stamp
    monkeypatch.setattr(live, "_stamp", lambda: looks.append(1) or real())
    for _ in range(1000):
        live.current()
    assert looks == []
    for _ in range(10):
        clock.now += 0.25
        live.current()
    assert len(looks) == 2


def test_a_deleted_file_keeps_the_last_good_menu(menu_file):
    clock = Clock()
    live = LiveMenu(str(menu_file), interval=1.0, clock=clock)
    good = live.current()
    os.unlink(menu_file)
    clock.now += 1
    assert live.current() is good
    assert "cannot read the file" in live.error.lines()[0]


def test_a_loader_bug_keeps_the_last_good_menu(menu_file, monkeypatch, caplog):
    clock = Clock()
    live = LiveMenu(str(menu_file), interval=1.0, clock=clock)
    good = live.current()

    def crash(path):
        raise RecursionError("deep")

    monkeypatch.setattr("ivr.live.load_menu", crash)
    menu_file.write_text(menu_file.read_text() + "\n")
    clock.now += 1
    assert live.current() is good
    assert "could not be loaded (RecursionError)" in live.error.lines()[0]


def test_healthz_reports_the_menu_in_use_and_the_last_error(menu_file):
    app = create_app({"TESTING": True, "SECRET_KEY": "t", "IVR_MENU": str(menu_file),
                      "IVR_RELOAD_SECONDS": 0})
    client = app.test_client()
    digest = load_menu(menu_file).digest
    assert client.get("/healthz").json == {"ok": True, "menu": digest, "path": str(menu_file),
                                           "error": None}
    line = break_it(menu_file)
    health = client.get("/healthz").json
    assert health["menu"] == digest
    assert health["error"][0].startswith(f"{menu_file}:{line}: ")


def poll(check, seconds: float = 15.0):
    """Return check()'s first truthy value, asking every 0.1 s until the deadline."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if value := check():
            return value
        time.sleep(0.1)  # polling interval, bounded by the deadline
    raise AssertionError(f"not true within {seconds} s")


@pytest.fixture
def served(tmp_path):
    """A copy of the shipped menu, and gunicorn from the Procfile serving it."""
    menu = tmp_path / "menus.yaml"
    menu.write_text(SHIPPED.read_text())
    server = Server(menu)
    yield menu, server
    server.stop()


def test_edits_under_a_running_gunicorn(tmp_path, served):
    menu, server = served
    client = server.client()

    def health():
        return json.loads(client.get("/healthz").body)

    def every_worker(check) -> bool:
        # Each worker reloads on its own; several answers in a row reach them all.
        return all(check(health()) for _ in range(8))

    old = health()["menu"]
    heard_before = client.post("/voice", {"CallSid": "CA" + "1" * 32}).body

    line = break_it(menu)
    poll(lambda: every_worker(lambda h: h["error"]))
    h = health()
    assert h["menu"] == old and h["ok"]
    assert h["error"][0].startswith(f"{menu}:{line}: ")
    assert client.post("/voice", {"CallSid": "CA" + "1" * 32}).body == heard_before
    assert re.search(rf"{re.escape(str(menu))}:{line}: ", server.output())

    text = SHIPPED.read_text().replace("information line", "info line", 1)
    new = load_menu_text_digest(tmp_path, text)
    started = time.monotonic()
    menu.write_text(text)
    poll(lambda: every_worker(lambda h: h["menu"] == new and h["error"] is None))
    print(f"good edit live on every worker {time.monotonic() - started:.2f} s after saving")


def load_menu_text_digest(tmp_path, text: str) -> str:
    scratch = tmp_path / "scratch.yaml"
    scratch.write_text(text)
    return load_menu(scratch).digest


def test_a_call_on_a_menu_removed_under_it_hears_the_main_menu(tmp_path, served):
    menu, server = served
    client = server.client()
    call = {"CallSid": "CA" + "7" * 32}
    first = client.post("/voice", call).twiml
    more = client.post(first.find("Gather").get("action"), {**call, "Digits": "5"}).twiml
    action = more.find("Gather").get("action")
    assert "/more/" in action

    text = SHIPPED.read_text().replace("5: more\n", "5: extra\n").replace(
        "\n  more:\n", "\n  extra:\n")
    new = load_menu_text_digest(tmp_path, text)
    menu.write_text(text)
    poll(lambda: all(json.loads(client.get("/healthz").body)["menu"] == new
                     for _ in range(8)))

    root = client.post(action, {**call, "Digits": "1"}).twiml
    heard = " ".join(say.text or "" for say in root.iter("Say"))
    assert heard.startswith("The menu has changed. Here is the main menu.")
    assert "/main/" in root.find("Gather").get("action")
