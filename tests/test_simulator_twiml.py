"""The page does with TwiML what Twilio does: played in Chromium against a scripted line.

The scripted webhooks below return fixed TwiML for each step, so these tests pin the page's
reading of Say, Gather (keys, # as a digit, words, timeout), Redirect, Dial and Hangup, and the
fallback URL, whatever the real line says.
"""

from __future__ import annotations

import pytest
from browser import serve
from conftest import SHIPPED
from flask import Flask, request
from twilio.twiml.messaging_response import MessagingResponse
from twilio.twiml.voice_response import VoiceResponse

from ivr import simulator
from ivr.live import LiveMenu

expect = pytest.importorskip("playwright.sync_api").expect


def scripted_line(seen: list[dict[str, str]]) -> Flask:
    app = Flask(__name__)
    app.config.update(IVR_SIMULATOR=True, SECRET_KEY="test")
    app.extensions["ivr.menu"] = LiveMenu(str(SHIPPED))
    app.register_blueprint(simulator.bp)

    def twiml(r: VoiceResponse | MessagingResponse) -> tuple[str, int, dict[str, str]]:
        return str(r), 200, {"Content-Type": "text/xml"}

    def menu(r: VoiceResponse, action: str) -> VoiceResponse:
        g = r.gather(input="dtmf speech", num_digits=1, finish_on_key="", timeout=1,
                     action=action)
        g.say("Press 1 for symptoms. Press 0 for a person.")
        r.say("We did not hear you.")
        r.redirect("/voice/quiet")
        return r

    @app.post("/voice")
    def start():
        seen.append(request.form.to_dict())
        return twiml(menu(VoiceResponse(), "/voice/menu/main"))

    @app.post("/voice/menu/<path:where>")
    def pick(where: str):
        seen.append(request.form.to_dict())
        r = VoiceResponse()
        digits, words = request.form.get("Digits"), request.form.get("SpeechResult")
        if digits == "0":
            r.dial("+16173556000", action="/voice/dialed/patient", timeout=20)
            r.say("Not reached: the Dial has an action.")
        elif digits == "5":
            return "broken", 500
        elif words:
            r.say(f"You said {words}.")
            return twiml(menu(r, "/voice/menu/main"))
        else:
            r.say(f"You pressed {digits}.")
            return twiml(menu(r, "/voice/menu/main/symptoms"))
        return twiml(r)

    @app.post("/voice/dialed/<line>")
    def dialed(line: str):
        seen.append(request.form.to_dict())
        r = VoiceResponse()
        r.say(f"The transfer to {line} ended: {request.form['DialCallStatus']}.")
        r.hangup()
        return twiml(r)

    @app.post("/voice/quiet")
    def quiet():
        r = VoiceResponse()
        r.say("Goodbye after the silence.")
        r.hangup()
        return twiml(r)

    @app.post("/voice/fallback")
    def fallback():
        r = VoiceResponse()
        r.say(f"Sorry, something went wrong at {request.form['ErrorUrl']}.")
        return twiml(r)

    @app.post("/sms")
    def sms():
        seen.append(request.form.to_dict())
        r = MessagingResponse()
        r.message(f"You wrote: {request.form['Body']}")
        r.message("ça va? " + "a" * 70)  # ç is not in GSM-7
        return twiml(r)

    return app


@pytest.fixture(scope="module")
def page_at(chromium):
    seen: list[dict[str, str]] = []
    errors: list[str] = []
    with serve(scripted_line(seen)) as base:
        context = chromium.new_context()

        def open_page(init: str = ""):
            seen.clear()
            page = context.new_page()
            if init:
                page.add_init_script(init)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(base + "/")
            return page, seen

        yield open_page
        context.close()
    assert errors == []  # the page's script never failed


def test_keys_are_sent_one_at_a_time_and_pound_is_a_digit(page_at):
    page, seen = page_at()
    page.get_by_role("button", name="Call").click()
    log = page.locator("#call-log")
    expect(log).to_contain_text("Press 1 for symptoms.")
    page.get_by_role("button", name="pound").click()
    expect(log).to_contain_text("You pressed #.")
    page.get_by_role("button", name="1", exact=True).click()
    expect(log).to_contain_text("You pressed 1.")
    assert [s.get("Digits") for s in seen] == [None, "#", "1"]
    assert len({s["CallSid"] for s in seen}) == 1
    assert all(s["From"] and s["To"] for s in seen)
    expect(page.locator("#tree li.here")).to_have_attribute("data-id", "symptoms")


def test_words_go_as_speech_result(page_at):
    page, seen = page_at()
    page.get_by_role("button", name="Call").click()
    expect(page.locator("#call-log")).to_contain_text("Press 1")
    page.get_by_label("Say", exact=True).fill("what is asps")
    page.get_by_role("button", name="Say it").click()
    expect(page.locator("#call-log")).to_contain_text("You said what is asps.")
    assert seen[-1]["SpeechResult"] == "what is asps"


def test_silence_runs_on_to_the_next_verb_and_the_redirect(page_at):
    page, _ = page_at()
    page.get_by_role("button", name="Call").click()
    log = page.locator("#call-log")
    expect(log).to_contain_text("We did not hear you.", timeout=5000)
    expect(log).to_contain_text("Goodbye after the silence.")
    expect(log).to_contain_text("The line hung up.")
    expect(page.get_by_role("button", name="Call")).to_be_enabled()


def test_a_dial_waits_for_how_the_transfer_ends_then_posts_its_action(page_at):
    page, seen = page_at()
    page.get_by_role("button", name="Call").click()
    expect(page.locator("#call-log")).to_contain_text("Press 1")
    page.get_by_role("button", name="0", exact=True).click()
    expect(page.locator("#dial")).to_contain_text("Connecting to +16173556000")
    expect(page.locator("#tree li.here")).to_have_attribute("data-id", "patient")
    page.get_by_role("button", name="No answer").click()
    expect(page.locator("#call-log")).to_contain_text("The transfer to patient ended: no-answer.")
    expect(page.locator("#call-log")).not_to_contain_text("Not reached")
    expect(page.locator("#call-log")).to_contain_text("The line hung up.")
    assert seen[-1]["DialCallStatus"] == "no-answer"


def test_an_error_goes_to_the_fallback_url(page_at):
    page, _ = page_at()
    page.get_by_role("button", name="Call").click()
    expect(page.locator("#call-log")).to_contain_text("Press 1")
    page.get_by_role("button", name="5", exact=True).click()
    expect(page.locator("#call-log")).to_contain_text(
        "Sorry, something went wrong at /voice/menu/main.")


def test_each_text_reply_shows_its_segments_and_encoding(page_at):
    page, _ = page_at()
    page.get_by_label("Message").fill("hello")
    page.get_by_role("button", name="Send").click()
    bubbles = page.locator("#chat-log li.line")
    expect(bubbles.nth(0)).to_contain_text("You wrote: hello")
    expect(bubbles.nth(0)).to_contain_text("1 segment · GSM-7")
    expect(bubbles.nth(1)).to_contain_text("2 segments · UCS-2")  # 77 characters > 70


def test_a_new_conversation_texts_from_another_phone(page_at):
    page, seen = page_at()
    page.get_by_label("Message").fill("one")
    page.get_by_role("button", name="Send").click()
    expect(page.locator("#chat-log li.line").first).to_contain_text("You wrote: one")
    page.get_by_role("button", name="New conversation").click()
    expect(page.locator("#chat-log")).to_contain_text("A new conversation from")
    page.get_by_label("Message").fill("two")
    page.get_by_role("button", name="Send").click()
    expect(page.locator("#chat-log li.line").first).to_contain_text("You wrote: two")
    first, second = (s["From"] for s in seen)
    assert first != second
    expect(page.locator("#texter")).to_have_text(second)


def test_the_menu_panel_follows_an_edit_and_shows_a_broken_one(chromium, tmp_path,
                                                                small_menu_text):
    path = tmp_path / "menus.yaml"
    path.write_text(small_menu_text)
    app = Flask(__name__)
    app.config.update(IVR_SIMULATOR=True)
    app.extensions["ivr.menu"] = LiveMenu(str(path), interval=0)
    app.register_blueprint(simulator.bp)
    with serve(app) as base:
        page = chromium.new_page()
        page.goto(base + "/")
        tree = page.locator("#tree")
        expect(tree).to_contain_text("1 symptoms [symptoms]")
        expect(page.locator("#tree li[data-id=treatment]")).to_have_count(1)
        path.write_text(small_menu_text.replace("2: more\n", "2: more\n      3: treatment\n"))
        expect(page.locator("#tree li[data-id=treatment]")).to_have_count(2)  # now on main too
        path.write_text(small_menu_text.replace("1: symptoms", "1: symptom"))
        expect(page.locator("#menu-error")).to_contain_text(f"{path}:")
        expect(page.locator("#menu-status")).to_contain_text("The last edit did not load")


# Stands in for the browser's voice, which headless Chromium may not have: notes what it is asked
# to say and finishes at once.
SPEECH_RECORDER = """
window.spoken = [];
speechSynthesis.speak = (u) => {
  window.spoken.push([u.text, u.lang]);
  setTimeout(() => u.onend(), 10);
};
"""


def test_with_sound_on_each_say_is_spoken_in_its_language(page_at):
    page, _ = page_at(init=SPEECH_RECORDER)
    page.get_by_label("Sound").check()
    page.get_by_role("button", name="Call").click()
    expect(page.locator("#gather")).to_be_visible()
    assert page.evaluate("window.spoken") == [
        ["Press 1 for symptoms. Press 0 for a person.", "en-US"]]


def test_the_keyboard_works_the_keypad(page_at):
    page, seen = page_at()
    page.get_by_role("button", name="Call").click()
    expect(page.locator("#call-log")).to_contain_text("Press 1")
    page.keyboard.press("#")
    expect(page.locator("#call-log")).to_contain_text("You pressed #.")
    assert seen[-1]["Digits"] == "#"
