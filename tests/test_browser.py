"""A person tries the real line in the simulator page: Chromium against gunicorn from the Procfile.

The server runs with a token, as in production, plus IVR_SIMULATOR=1: every webhook request the
page makes is signed by the simulator's relay, so these calls pass the real signature check.
"""

from __future__ import annotations

import pytest
from conftest import SHIPPED

from ivr import gsm, speech
from ivr.engine import Conversation, DialEnded, Silence, State
from ivr.menu import load_menu

expect = pytest.importorskip("playwright.sync_api").expect

MENU = load_menu(SHIPPED)
LINE = Conversation(MENU)


@pytest.fixture(scope="module")
def sim_server():
    from twilio_client import Server

    server = Server(SHIPPED, env={"IVR_SIMULATOR": "1"})
    yield server
    server.stop()


@pytest.fixture(scope="module")
def open_page(chromium, sim_server):
    server = sim_server
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    errors: list[str] = []

    def new():
        page = context.new_page()
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(server.base + "/")
        return page

    yield new
    context.close()
    assert errors == []  # the page's script never failed


def call(page):
    page.get_by_role("button", name="Call", exact=True).click()
    expect(page.locator("#call-log")).to_contain_text("If this is a medical emergency")


def test_pressing_keys_reaches_an_answer_and_marks_it_in_the_tree(open_page):
    page = open_page()
    call(page)
    expect(page.locator("#call-log")).to_contain_text("For more topics, press 5.")
    page.get_by_role("button", name="5", exact=True).click()
    expect(page.locator("#call-log")).to_contain_text("For whether it can be cured, press 2.")
    page.get_by_role("button", name="2", exact=True).click()
    expect(page.locator("#call-log")).to_contain_text(speech.answer(MENU, MENU.topics["curable"]))
    expect(page.locator("#tree li.here")).to_have_attribute("data-id", "curable")
    page.get_by_role("button", name="Hang up").click()
    expect(page.locator("#call-log")).to_contain_text("You hung up.")


def test_saying_a_word_reaches_its_answer(open_page):
    page = open_page()
    call(page)
    page.get_by_label("Say", exact=True).fill("treatment")
    page.get_by_role("button", name="Say it").click()
    expect(page.locator("#call-log")).to_contain_text(
        speech.answer(MENU, MENU.topics["treatment"]))


def test_pound_is_a_key_that_goes_back_to_the_main_menu(open_page):
    page = open_page()
    call(page)
    page.get_by_role("button", name="5", exact=True).click()
    expect(page.locator("#tree li.here")).to_have_attribute("data-id", "more")
    page.get_by_role("button", name="pound").click()
    expect(page.locator("#tree li.here")).to_have_attribute("data-id", "main")


def test_a_transfer_that_is_not_answered_gives_the_number_and_the_menu(open_page):
    page = open_page()
    call(page)
    page.get_by_role("button", name="0", exact=True).click()
    expect(page.locator("#dial")).to_contain_text(f"Connecting to {MENU.person.number}")
    expect(page.locator("#tree li.here")).to_have_attribute("data-id", MENU.person.id)
    page.get_by_role("button", name="No answer").click()
    unanswered = LINE.step(State(), DialEnded(MENU.person.id, "no-answer"))
    for said in speech.say(MENU, unanswered):
        expect(page.locator("#call-log")).to_contain_text(said)
    expect(page.get_by_role("button", name="Hang up")).to_be_enabled()  # the call goes on


def test_a_text_conversation_shows_replies_with_their_cost_and_keeps_its_place(open_page):
    page = open_page()
    page.get_by_label("Message").fill("what are the symptoms")
    page.get_by_role("button", name="Send").click()
    replies = page.locator("#chat-log li.line")
    expect(replies.first).to_contain_text(MENU.settings.notice)
    expect(replies.first).to_contain_text(MENU.topics["symptoms"].texted.plain()[:60])
    expect(replies.first.locator(".meta")).to_be_visible()
    text = replies.first.evaluate("li => li.firstChild.textContent")
    count = gsm.segments(text)
    expect(replies.first.locator(".meta")).to_have_text(
        f"{count} segment{'s' * (count != 1)} · {gsm.encoding(text)}")
    page.get_by_label("Message").fill("MORE")
    page.get_by_role("button", name="Send").click()
    # The rest of the same answer: the line kept the texter's place in its cookie.
    expect(replies.nth(1)).to_contain_text(MENU.topics["symptoms"].texted.plain()[-40:])


def test_with_the_simulator_on_the_webhooks_still_refuse_unsigned_requests(sim_server):
    client = sim_server.client()
    call = {"CallSid": "CA" + "0" * 32, "From": "+16175550123", "To": "+16175550100"}
    assert client.post("/voice", call, sign=False).status == 403
    assert client.post("/sms", {**call, "Body": "hi"}, sign=False).status == 403
    assert client.post("/voice", call).status == 200  # signed as Twilio signs: answered
    # The relay signs only for the page: a request without its header is refused.
    assert client.post("/simulator/relay?to=/voice", call, sign=False).status == 403


def test_silence_runs_out_the_timeout_and_the_line_asks_again(open_page):
    page = open_page()
    call(page)
    expect(page.locator("#gather")).to_contain_text("The line waits for a key or words")
    page.get_by_role("button", name="Stay silent").click()  # the timeout, without the wait
    quiet = LINE.step(State(MENU.main), Silence())
    expect(page.locator("#call-log")).to_contain_text(speech.say(MENU, quiet)[0])
    expect(page.get_by_role("button", name="Hang up")).to_be_enabled()
