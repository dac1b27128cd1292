"""A whole text conversation with the line under gunicorn, signed as Twilio signs, cookies kept."""

from __future__ import annotations

from twilio_client import TwilioClient

NOTICE = "This line is not for emergencies. In an emergency, call 911."


def texter(server) -> TwilioClient:
    return server.client()


def send(client: TwilioClient, body: str) -> list[str]:
    """Text the line; return what the texter's phone shows."""
    answer = client.post("/sms", {"From": "+16175550123", "To": "+16175550100",
                                  "MessageSid": "SM" + "1" * 32, "Body": body})
    assert answer.status == 200, answer.body
    assert answer.content_type.startswith("text/xml")
    assert answer.twiml.tag == "Response"
    return [m.text or "" for m in answer.twiml.findall("Message")]


def test_a_family_texts_the_line_from_a_question_to_stop(server):
    phone = texter(server)
    [first] = send(phone, "my son has a lump on his leg")
    assert first.split("\n")[0] == NOTICE
    assert first.split("\n")[1].startswith("Signs differ from child to child.")
    assert first.endswith("Reply MORE for the rest.")
    [rest] = send(phone, "MORE")
    assert rest.startswith("A lump can grow for a long time")

    [menu] = send(phone, "menu")
    assert "5 More topics" in menu.split("\n")
    assert send(phone, "5")[0].startswith("More topics.")
    assert send(phone, "2")[0].startswith("Sometimes ASPS can be cured.")

    [offer] = send(phone, "treatment and symptoms")
    assert offer.split("\n")[0] == "Did you mean:"
    pick = next(line[0] for line in offer.split("\n") if line.endswith("Treatment"))
    [treatment] = send(phone, pick)
    assert treatment.startswith("Surgery to take out the tumor is the main treatment.")

    [person] = send(phone, "0")
    assert "To talk to a person, call 617-355-6000." in person

    [helped] = send(phone, "HELP")
    assert helped.endswith("Reply STOP to opt out. Msg & data rates may apply.")
    assert send(phone, "STOP") == []


def test_two_phones_keep_their_own_place(server):
    first, second = texter(server), texter(server)
    send(first, "hi")
    assert send(first, "5")[0].startswith("More topics.")
    assert send(second, "2")[0].split("\n")[1].startswith("Signs differ")
    # The first phone is still in "more topics": 2 is whether it can be cured.
    assert send(first, "2")[0].startswith("Sometimes ASPS can be cured.")
