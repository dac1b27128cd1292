"""Fixtures: the shipped menu, a small menu to break, and the app with its test client."""

from __future__ import annotations

from pathlib import Path

import pytest

from ivr import create_app
from ivr.engine import Conversation
from ivr.menu import load_menu

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "menus.yaml"

SMALL = """\
line:
  name: the test line
  greeting: If this is a medical emergency, hang up and dial 911. This is the test line.
  notice: Not for emergencies. Call 911.
  person: patient
transfers:
  patient:
    title: talking to a person
    number: "+16173556000"
menus:
  main:
    prompt: Choose a topic.
    options:
      1: symptoms
      2: more
  more:
    title: more topics
    options:
      1: treatment
topics:
  symptoms:
    title: symptoms
    answer: A lump that does not hurt. Call {patient} with questions.
    keywords: [symptoms, signs]
  treatment:
    title: treatment
    answer: Surgery comes first.
    keywords: [treatment, surgery]
"""


@pytest.fixture
def small_menu_text() -> str:
    return SMALL


@pytest.fixture(scope="session")
def shipped():
    return load_menu(SHIPPED)


@pytest.fixture(scope="session")
def conversation(shipped) -> Conversation:
    return Conversation(shipped)


@pytest.fixture
def app():
    # Many texts from one number: the budget per number is tested in test_abuse.py, not here.
    return create_app({"TESTING": True, "SECRET_KEY": "test", "IVR_MENU": str(SHIPPED),
                       "IVR_SMS_LIMIT": "10000 per 10 minutes"})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture(scope="session")
def server():
    """The shipped line under gunicorn, started from the Procfile, for signed black-box calls."""
    from twilio_client import Server

    s = Server(SHIPPED)
    yield s
    s.stop()


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium driven by Playwright, one for every browser test; skips without it."""
    from browser import chromium

    yield from chromium()
