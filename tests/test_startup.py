"""A public line never starts without its secrets; local development starts, and says so."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, SHIPPED
from twilio_client import TOKEN, free_port, procfile_command

from ivr import REQUIRED, SettingsError, create_app


def start_procfile(given: dict[str, str]) -> tuple[int | None, str, float]:
    """Start the Procfile's web: command; return its exit code (None if still up), output, time."""
    env = {k: v for k, v in os.environ.items() if k not in ("IVR_DEV", *REQUIRED)}
    env.update(PORT=str(free_port()), IVR_MENU=str(SHIPPED), **given)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    command = "exec " + procfile_command().replace("0.0.0.0", "127.0.0.1")
    started = time.monotonic()
    proc = subprocess.Popen(["bash", "-c", command], cwd=ROOT, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True)
    try:
        out, _ = proc.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, _ = proc.communicate()
        return None, out, time.monotonic() - started
    return proc.returncode, out, time.monotonic() - started


@pytest.mark.parametrize(("given", "named"), (
    ({"SECRET_KEY": "s"}, "TWILIO_AUTH_TOKEN not set"),
    ({"TWILIO_AUTH_TOKEN": TOKEN}, "SECRET_KEY not set"),
    ({}, "TWILIO_AUTH_TOKEN and SECRET_KEY not set"),
))
def test_the_procfile_refuses_to_start_without_a_secret(given, named):
    code, out, seconds = start_procfile(given)
    assert code is not None, "gunicorn kept running without " + named + ":\n" + out
    assert code != 0
    lines = [line for line in out.splitlines() if named in line]
    assert lines == [f"Error: {named}: the line will not start without "
                     f"{'them' if ' and ' in named else 'it'} (for local development use "
                     "`make run`)"], out
    assert "Traceback" not in out
    assert "Booting worker" not in out  # refused before any worker, so none can restart
    print(f"gunicorn exited {code} in {seconds:.2f} s without {named.split()[0]}")


def test_create_app_names_the_missing_setting(monkeypatch):
    monkeypatch.delenv("TWILIO_AUTH_TOKEN", raising=False)
    monkeypatch.delenv("IVR_DEV", raising=False)
    monkeypatch.setenv("SECRET_KEY", "s")
    with pytest.raises(SettingsError, match=r"^TWILIO_AUTH_TOKEN not set"):
        create_app({"IVR_MENU": str(SHIPPED)})


def test_local_development_runs_unsigned_and_says_so(monkeypatch, caplog):
    for name in ("TWILIO_AUTH_TOKEN", "SECRET_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("IVR_DEV", "1")
    app = create_app({"IVR_MENU": str(SHIPPED)})
    assert "TWILIO SIGNATURES ARE NOT CHECKED" in caplog.text
    assert len(app.config["SECRET_KEY"]) >= 32
    assert app.test_client().post("/voice/fallback").status_code == 200


@pytest.mark.parametrize(("setting", "value", "message"), (
    ("IVR_FALLBACK_NUMBER", "617-CALL-NOW", "IVR_FALLBACK_NUMBER '617-CALL-NOW' is not a phone"),
    ("IVR_SMS_LIMIT", "lots", "IVR_SMS_LIMIT 'lots' is not a limit like '20 per 10 minutes'"),
))
def test_a_wrong_setting_is_named(setting, value, message):
    with pytest.raises(SettingsError, match="^" + message):
        create_app({"TESTING": True, "SECRET_KEY": "s", "IVR_MENU": str(SHIPPED),
                    setting: value})


def test_make_run_says_loudly_that_it_is_unsigned():
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("TWILIO_AUTH_TOKEN", "SECRET_KEY")}
    proc = subprocess.Popen(["make", "--no-print-directory", "run", f"PORT={port}"], cwd=ROOT,
                            env=env, text=True, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, start_new_session=True)
    out = ""
    try:
        deadline = time.monotonic() + 30
        while "NOT CHECKED" not in out and time.monotonic() < deadline:
            ready, _, _ = select.select([proc.stdout], [], [], 0.2)  # poll, never block
            if ready:
                line = proc.stdout.readline()
                if not line:
                    break
                out += line
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(10)
        proc.stdout.close()
    assert "TWILIO SIGNATURES ARE NOT CHECKED" in out, out
