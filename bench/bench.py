"""`make bench`: how fast the line answers beside a bare Flask floor, and as the menu grows.

Everything runs on this machine over loopback, bounded in time: gunicorn started from the
Procfile's own web: line (signature checks on), load from wrk, and synthetic menus of 10 to 10,000
topics. Figures vary with the machine and what else it is doing; compare the ratios of one run.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "bench")]

from synth import synthetic_menu  # noqa: E402
from twilio_client import TOKEN, TwilioClient, free_port, procfile_command  # noqa: E402

from ivr.engine import Conversation  # noqa: E402
from ivr.menu import load_menu  # noqa: E402

CALL = {"CallSid": "CA" + "0" * 32, "AccountSid": "AC" + "0" * 32, "From": "+15555550100",
        "To": "+15555550199", "CallStatus": "in-progress", "Direction": "inbound"}
TEXT = {"MessageSid": "SM" + "0" * 32, "AccountSid": "AC" + "0" * 32, "From": "+15555550100",
        "To": "+15555550199", "NumSegments": "1"}
# The bench is one number sending thousands of texts on purpose: lift the text budget.
NO_LIMIT = "1000000000 per 1 second"
LUA = """
wrk.method = "POST"
wrk.body = %(body)s
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["X-Twilio-Signature"] = %(signature)s
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('RESULT {"rps": %%.1f, "p50": %%.3f, "p99": %%.3f, "errors": %%d}\\n',
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, e.connect + e.read + e.write + e.status + e.timeout))
end
"""


class Gunicorn:
    """gunicorn as the Procfile runs it, on a free loopback port, optionally with another app."""

    def __init__(self, env: dict[str, str], app: str | None = None) -> None:
        self.port = free_port()
        command = procfile_command().replace("0.0.0.0", "127.0.0.1")
        if app:
            command = command.replace("'ivr:create_app()'", app)
        full_env = {**os.environ, "PORT": str(self.port), "TWILIO_AUTH_TOKEN": TOKEN,
                    "SECRET_KEY": "bench", "PYTHONPATH": str(ROOT / "bench"), **env}
        full_env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + full_env["PATH"]
        full_env.pop("IVR_DEV", None)
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 (open while the server runs)
        self.proc = subprocess.Popen(["bash", "-c", "exec " + command], cwd=ROOT, env=full_env,
                                     stdout=self.log, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        self.base = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                self.log.seek(0)
                sys.exit("gunicorn exited:\n" + self.log.read().decode(errors="replace"))
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.1)  # not listening yet
        sys.exit("gunicorn did not start within 60 s")

    def worker_memory_mb(self) -> float:
        """Return the largest resident memory of the workers, in MB."""
        children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children").read_text()
        sizes = []
        for pid in children.split():
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    sizes.append(int(line.split()[1]) / 1024)
        return max(sizes) if sizes else float("nan")

    def stop(self) -> None:
        os.killpg(self.proc.pid, 15)
        self.proc.wait(20)
        self.log.close()


def ensure_wrk() -> str:
    """Return wrk's path, installing Debian's package first when it is missing and we are root."""
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("installing wrk from Debian's packages...", flush=True)
        subprocess.run(["apt-get", "update", "-qq"], check=False, capture_output=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True,
                       capture_output=True, env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
        found = shutil.which("wrk")
    if not found:
        sys.exit("make bench needs wrk: sudo apt-get install wrk")
    return found


def wrk(url: str, params: dict[str, str], seconds: int, connections: int) -> dict[str, float]:
    """Load `url` with one signed POST, over and over, and return rps, p50 and p99 in ms."""
    client = TwilioClient(url)
    body = urllib.parse.urlencode(params)
    script = LUA % {"body": json.dumps(body),
                    "signature": json.dumps(client.validator.compute_signature(url, params))}
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as f:
        f.write(script)
        f.flush()
        out = subprocess.run(
            [ensure_wrk(), "-t1", f"-c{connections}", f"-d{seconds}s", "-s", f.name, url],
            capture_output=True, text=True, timeout=seconds + 30, check=True,
        ).stdout
    line = next(x for x in out.splitlines() if x.startswith("RESULT "))
    return json.loads(line.removeprefix("RESULT "))


def requests_to_time(base: str) -> list[tuple[str, str, dict[str, str], int]]:
    """Return (name, url, params, reply size) for each request kind, found by walking the line."""
    client = TwilioClient(base)
    start = client.post("/voice", CALL)
    gather = start.twiml.find("Gather")
    if start.status != 200 or gather is None:
        sys.exit(f"POST /voice did not answer with a Gather ({start.status}): {start.body[:300]}")
    action = urllib.parse.urljoin(base + "/voice", gather.get("action"))
    kinds = [
        ("call starts", base + "/voice", CALL),
        ("key press", action, {**CALL, "Digits": "2"}),
        ("speech", action, {**CALL, "SpeechResult": "symptoms", "Confidence": "0.92"}),
        ("sms number", base + "/sms", {**TEXT, "Body": "2"}),
        ("sms question", base + "/sms", {**TEXT, "Body": "is it curable"}),
    ]
    out = []
    for name, url, params in kinds:
        answer = TwilioClient(base).post(url, params)
        if answer.status != 200:
            sys.exit(f"{name}: {url} answered {answer.status}: {answer.body[:300]}")
        ET.fromstring(answer.body)
        out.append((name, url, params, len(answer.body.encode())))
    return out


def throughput(seconds: int) -> list[str]:
    """Compare the line with the floor, request kind by request kind."""
    line = Gunicorn({"IVR_MENU": str(ROOT / "menus.yaml"), "IVR_SMS_LIMIT": NO_LIMIT})
    floor = Gunicorn({}, app="'floor:create_app()'")
    rows = ["| request | line req/s | p50 ms | p99 ms | floor req/s | floor p50 ms | ratio |",
            "|---|---:|---:|---:|---:|---:|---:|"]
    try:
        for name, url, params, size in requests_to_time(line.base):
            ours = wrk(url, params, seconds, 4)
            base = wrk(f"{floor.base}/{size}", params, seconds, 4)
            rows.append(f"| {name} | {ours['rps']:.0f} | {ours['p50']:.2f} | {ours['p99']:.2f} | "
                        f"{base['rps']:.0f} | {base['p50']:.2f} | "
                        f"{ours['rps'] / base['rps']:.2f} |")
            if ours["errors"] or base["errors"]:
                rows.append(f"| (errors: line {ours['errors']}, floor {base['errors']}) |||||||")
    finally:
        line.stop()
        floor.stop()
    return rows


def scaling(sizes: list[int], seconds: int) -> list[str]:
    """Measure load-and-check time, worker memory and latency for menus of each size."""
    rows = ["| topics | ivr check s | load+index s | worker MB | key p50 ms | text p50 ms |"
            " key ratio | text ratio |", "|---:|---:|---:|---:|---:|---:|---:|---:|"]
    first: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            text, asks = synthetic_menu(n)
            path = Path(tmp) / f"menu-{n}.yaml"
            path.write_text(text)
            t0 = time.perf_counter()
            subprocess.run([str(Path(sys.executable).parent / "ivr"), "check", str(path)],
                           check=True, capture_output=True)
            check_s = time.perf_counter() - t0
            t0 = time.perf_counter()
            Conversation(load_menu(path))
            load_s = time.perf_counter() - t0
            server = Gunicorn({"IVR_MENU": str(path), "IVR_SMS_LIMIT": NO_LIMIT})
            try:
                start = TwilioClient(server.base).post("/voice", CALL).twiml
                action = urllib.parse.urljoin(server.base + "/voice",
                                              start.find("Gather").get("action"))
                # A misspelt keyword, so the fuzzy path is timed too.
                ask = asks[n // 2][:-1] + "q"
                key = wrk(action, {**CALL, "Digits": "1"}, seconds, 1)
                txt = wrk(server.base + "/sms", {**TEXT, "Body": f"tell me about {ask}"},
                          seconds, 1)
                memory = server.worker_memory_mb()
            finally:
                server.stop()
            first = first or {"key": key["p50"], "text": txt["p50"]}
            rows.append(f"| {n:,} | {check_s:.2f} | {load_s:.2f} | {memory:.0f} | "
                        f"{key['p50']:.2f} | {txt['p50']:.2f} | {key['p50'] / first['key']:.2f} | "
                        f"{txt['p50'] / first['text']:.2f} |")
    return rows


def main() -> None:
    """Run both parts and print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    # Whole seconds: Debian's wrk 4.1 refuses a duration such as 2.5s.
    parser.add_argument("--seconds", type=int, default=5, help="Load each request this long.")
    parser.add_argument("--sizes", default="10,100,1000,10000",
                        help="Menu sizes to try, in topics, comma-separated.")
    args = parser.parse_args()
    ensure_wrk()
    print(f"# make bench ({os.cpu_count()} cores; {args.seconds} s per load)\n", flush=True)
    print("## Throughput and latency beside the floor (4 connections)\n")
    print("\n".join(throughput(args.seconds)), "\n", flush=True)
    print("## Menu size (1 connection; ratios to the smallest menu)\n")
    sizes = [int(s) for s in args.sizes.split(",")]
    print("\n".join(scaling(sizes, max(2, args.seconds // 2))))


if __name__ == "__main__":
    main()
