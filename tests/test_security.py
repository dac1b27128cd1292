"""Only Twilio can drive the line: every Twilio-facing route needs a good X-Twilio-Signature."""

from __future__ import annotations

import json

import pytest
from conftest import SHIPPED
from webhooks import signed, twilio_paths, twiml

from ivr import create_app
from ivr.security import signature_ok, signed_url

TOKEN = "12345678901234567890123456789012"
CALL = {"CallSid": "CA" + "0" * 32, "From": "+16175550123", "To": "+16175550100",
        "Digits": "1"}


def make_app(**config):
    return create_app({"TESTING": True, "SECRET_KEY": "test", "IVR_MENU": str(SHIPPED),
                       "TWILIO_AUTH_TOKEN": TOKEN, **config})


@pytest.fixture
def signed_app():
    return make_app()


# twilio-python's own test vectors (tests/unit/test_request_validator.py): token "12345".
VECTOR_URL = "https://mycompany.com/myapp.php?foo=1&bar=2"
VECTOR_PARAMS = {"CallSid": "CA1234567890ABCDE", "Digits": "1234", "From": "+14158675309",
                 "To": "+18005551212", "Caller": "+14158675309"}
VECTOR_BODY = '{"property": "value", "boolean": true}'
VECTOR_BODY_HASH = "0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620"


@pytest.mark.parametrize(("base_url", "signature"), (
    ("https://mycompany.com", "RSOYDt4T1cUTdK1PDd93/VVr8B8="),
    ("https://mycompany.com:1234", "RSOYDt4T1cUTdK1PDd93/VVr8B8="),   # port removed
    ("http://mycompany.com:1234", "Zmvh+3yNM1Phv2jhDCwEM3q5ebU="),
    ("https://mycompany.com", "kvajT1Ptam85bY51eRf/AJRuM3w="),        # signed with :443
    ("http://mycompany.com", "0ZXoZLH/DfblKGATFgpif+LLRf4="),         # signed with :80
))
def test_published_vectors_pass_through_our_url_and_form(signed_app, base_url, signature):
    with signed_app.test_request_context(
        "/myapp.php?foo=1&bar=2", base_url=base_url, method="POST", data=VECTOR_PARAMS,
        headers={"X-Twilio-Signature": signature},
    ):
        assert signature_ok("12345")
        assert not signature_ok("54321")


def test_published_vector_with_repeated_parameters(signed_app):
    form = {"Sid": "CA123", "SidAccount": "AC123", "Digits": ["5678", "1234"]}
    with signed_app.test_request_context(
        "/myapp.php?foo=1&bar=2", base_url="https://mycompany.com", method="POST", data=form,
        headers={"X-Twilio-Signature": "IK+Dwps556ElfBT0I3Rgjkr1wJU="},
    ):
        assert signature_ok("12345")


@pytest.mark.parametrize(("body", "ok"), ((VECTOR_BODY, True), (VECTOR_BODY + " ", False)))
def test_published_vector_for_a_json_body_checks_the_body_hash(signed_app, body, ok):
    with signed_app.test_request_context(
        f"/myapp.php?foo=1&bar=2&bodySHA256={VECTOR_BODY_HASH}", base_url="https://mycompany.com",
        method="POST", data=body, content_type="application/json",
        headers={"X-Twilio-Signature": "a9nBmqA0ju/hNViExpshrM61xv4="},
    ):
        assert signature_ok("12345") is ok


def test_the_url_keeps_twilios_percent_encoding_and_query(signed_app):
    with signed_app.test_request_context("/voice/caf%C3%A9?x=a%2Fb", base_url="https://h.org"):
        assert signed_url() == "https://h.org/voice/caf%C3%A9?x=a%2Fb"


@pytest.mark.parametrize("path", ("/voice/at/;/;/1/;", "/voice/at/a;b/-/1/-"))
def test_a_path_ending_in_a_semicolon_is_checked_as_signed(signed_app, path):
    # twilio's validate() rebuilds URLs with urlparse, which drops a trailing ';'.
    client = signed_app.test_client()
    headers = signed(TOKEN, "http://localhost" + path, CALL)
    twiml(client.post(path, data=CALL, headers=headers))
    assert client.post(path, data=CALL, headers=signed(TOKEN, "http://localhost/x", CALL)
                       ).status_code == 403


def test_every_route_is_covered(signed_app):
    paths = twilio_paths(signed_app)
    assert {"/voice", "/sms", "/voice/fallback", "/sms/fallback"} <= set(paths)


def test_unsigned_requests_get_a_short_403_on_every_route(signed_app):
    client = signed_app.test_client()
    for path in twilio_paths(signed_app):
        r = client.post(path, data=CALL)
        assert r.status_code == 403, path
        assert r.mimetype == "text/plain"
        assert len(r.data) < 100


def test_signed_requests_are_answered_on_every_route(signed_app):
    client = signed_app.test_client()
    for path in twilio_paths(signed_app):
        r = client.post(path, data=CALL, headers=signed(TOKEN, "http://localhost" + path, CALL))
        twiml(r)


@pytest.mark.parametrize("how", ("other token", "changed digit", "replayed to other path",
                                 "changed query", "empty"))
def test_forged_and_replayed_requests_get_403_on_every_route(signed_app, how):
    client = signed_app.test_client()
    for path in twilio_paths(signed_app):
        url, params, token, sent_to = "http://localhost" + path, dict(CALL), TOKEN, path
        if how == "other token":
            token = "X" * 32
        elif how == "replayed to other path":
            sent_to = "/sms" if path != "/sms" else "/voice"
        elif how == "changed query":
            url, sent_to = url + "?menu=main", path + "?menu=more"
        headers = signed(token, url, params) if how != "empty" else {"X-Twilio-Signature": ""}
        if how == "changed digit":
            params["Digits"] = "2"
        r = client.post(sent_to, data=params, headers=headers)
        assert r.status_code == 403, (how, path)


def test_public_base_url_is_what_twilio_signed():
    app = make_app(PUBLIC_BASE_URL="https://line.example.org/")
    client = app.test_client()
    headers = signed(TOKEN, "https://line.example.org/voice/fallback", CALL)
    inside = "http://10.1.2.3:8000"  # how the request looks behind the platform's router
    twiml(client.post("/voice/fallback", data=CALL, headers=headers, base_url=inside))
    bare = make_app().test_client()
    assert bare.post("/voice/fallback", data=CALL, headers=headers,
                     base_url=inside).status_code == 403


def test_forwarded_proto_and_host_are_what_twilio_signed(signed_app):
    client = signed_app.test_client()
    headers = {**signed(TOKEN, "https://line.example.org/sms/fallback", CALL),
               "X-Forwarded-Proto": "https", "X-Forwarded-Host": "line.example.org"}
    twiml(client.post("/sms/fallback", data=CALL, headers=headers,
                      base_url="http://10.1.2.3:8000"))


def test_health_check_needs_no_signature(signed_app):
    assert signed_app.test_client().get("/healthz").status_code == 200


def test_a_body_too_large_to_read_is_refused_not_answered():
    app = make_app(MAX_CONTENT_LENGTH=1000)
    params = {"Body": "x" * 2000}
    r = app.test_client().post("/sms", data=params,
                               headers=signed(TOKEN, "http://localhost/sms", params))
    assert r.status_code == 403


def test_refusals_are_logged_without_the_callers_number(signed_app, caplog):
    signed_app.test_client().post("/voice", data=CALL)
    assert "403 POST /voice: no signature" in caplog.text
    assert "5550123" not in caplog.text


def test_through_gunicorn_only_signed_requests_are_answered(server):
    client = server.client()
    assert client.post("/voice/fallback", CALL).twiml.find("Dial") is not None
    assert client.post("/voice/fallback", CALL, sign=False).status == 403
    assert client.post("/sms/fallback", CALL, signature=client.validator.compute_signature(
        server.base + "/voice/fallback", CALL)).status == 403
    assert json.loads(client.get("/healthz").body)["ok"] is True
