"""Call the app the way Twilio does: signed form POSTs, cookies kept, TwiML parsed."""

from __future__ import annotations

import http.cookiejar
import os
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from twilio.request_validator import RequestValidator

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "12345678901234567890123456789012"


@dataclass
class Answer:
    """One webhook response: status, content type, body, and the TwiML root if it parsed."""

    status: int
    content_type: str
    body: str

    @property
    def twiml(self) -> ET.Element:
        return ET.fromstring(self.body)


class TwilioClient:
    """Sign and send webhook requests to a running app, keeping cookies as Twilio does."""

    def __init__(self, base: str, token: str = TOKEN) -> None:
        self.base = base.rstrip("/")
        self.validator = RequestValidator(token)
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def post(self, path: str, params: dict[str, str], sign: bool = True,
             signature: str | None = None) -> Answer:
        url = path if path.startswith("http") else self.base + path
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        if signature is not None:
            headers["X-Twilio-Signature"] = signature
        elif sign:
            headers["X-Twilio-Signature"] = self.validator.compute_signature(url, params)
        data = urllib.parse.urlencode(params).encode()
        request = urllib.request.Request(url, data=data, headers=headers, method="POST")
        try:
            with self.opener.open(request, timeout=10) as r:
                return Answer(r.status, r.headers.get("Content-Type", ""), r.read().decode())
        except urllib.error.HTTPError as e:
            return Answer(e.code, e.headers.get("Content-Type", ""), e.read().decode())

    def get(self, path: str) -> Answer:
        try:
            with self.opener.open(self.base + path, timeout=10) as r:
                return Answer(r.status, r.headers.get("Content-Type", ""), r.read().decode())
        except urllib.error.HTTPError as e:
            return Answer(e.code, e.headers.get("Content-Type", ""), e.read().decode())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def procfile_command() -> str:
    """Return the Procfile's web: command, exactly as a platform would run it."""
    for line in (ROOT / "Procfile").read_text().splitlines():
        if line.startswith("web:"):
            return line.removeprefix("web:").strip()
    raise AssertionError("the Procfile has no web: line")


class Server:
    """The app under gunicorn, started from the Procfile's web: line on a free loopback port."""

    def __init__(self, menu: Path, env: dict[str, str] | None = None) -> None:
        self.port = free_port()
        self.env = {
            **os.environ, "PORT": str(self.port), "TWILIO_AUTH_TOKEN": TOKEN,
            "SECRET_KEY": "test-secret", "IVR_MENU": str(menu), **(env or {}),
        }
        self.env.pop("IVR_DEV", None)
        # Bind to loopback only: the Procfile's 0.0.0.0 is for the platform, not for tests.
        command = procfile_command().replace("0.0.0.0", "127.0.0.1")
        venv_bin = str(Path(os.sys.executable).parent)
        self.env["PATH"] = venv_bin + os.pathsep + self.env.get("PATH", "")
        # Output goes to a file: a pipe nobody reads would fill up and stall gunicorn.
        self.log = tempfile.NamedTemporaryFile("w+", prefix="gunicorn-", suffix=".log")  # noqa: SIM115 (lives as long as the server)
        self.final = ""
        self.proc = subprocess.Popen(
            ["bash", "-c", "exec " + command], cwd=ROOT, env=self.env,
            stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        self.base = f"http://127.0.0.1:{self.port}"
        self._wait()

    def _wait(self, seconds: float = 20) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            if self.proc.poll() is not None:
                raise AssertionError("gunicorn exited:\n" + self.output())
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.05)  # polling for the port to open, not waiting on behaviour
        self.stop()
        raise AssertionError("gunicorn did not start:\n" + self.output())

    def client(self) -> TwilioClient:
        return TwilioClient(self.base)

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        if not self.log.closed:
            self.final = self.output()
            self.log.close()

    def output(self) -> str:
        """Return everything gunicorn and the app have printed so far."""
        if self.log.closed:
            return self.final
        return Path(self.log.name).read_text(errors="replace")
