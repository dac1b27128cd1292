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
import statistics
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

from ivr.live import LiveMenu  # noqa: E402

CALL = {"CallSid": "CA" + "0" * 32, "AccountSid": "AC" + "0" * 32, "From": "+15555550100",
        "To": "+15555550199", "CallStatus": "in-progress", "Direction": "inbound"}
TEXT = {"MessageSid": "SM" + "0" * 32, "AccountSid": "AC" + "0" * 32, "From": "+15555550100",
        "To": "+15555550199", "NumSegments": "1"}
# The bench is one number sending thousands of texts on purpose: lift the text budget.
NO_LIMIT = "1000000000 per 1 second"
CONNECTIONS = 4
# The targets, as floors.
MIN_RATIO, MAX_SLOWDOWN, MAX_CHECK_S, MAX_WORKER_MB = 0.8, 1.3, 2.0, 100
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
        if app:  # the floor: the same command, access log and all, with only the app changed
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
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                self.log.seek(0)
                sys.exit("gunicorn exited:\n" + self.log.read().decode(errors="replace"))
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.1)  # not listening yet
        sys.exit("gunicorn did not start within 120 s")

    def worker_memory_mb(self) -> dict[str, float]:
        """Return the largest RSS, PSS and USS among the workers, in MB.

        With --preload the workers share the menu's pages with the master: RSS counts them in
        every worker, PSS shares them out, USS is only what each worker holds alone.
        """
        children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children").read_text()
        out = {"rss": 0.0, "pss": 0.0, "uss": 0.0}
        for pid in children.split():
            kb = {}
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
                name, value = line.split(":")
                kb[name] = int(value.split()[0])
            seen = {"rss": kb["Rss"], "pss": kb["Pss"],
                    "uss": kb["Private_Clean"] + kb["Private_Dirty"]}
            out = {k: max(out[k], v / 1024) for k, v in seen.items()}
        return out

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


def median(runs: list[dict[str, float]]) -> dict[str, float]:
    """Return the median of each figure over several runs."""
    return {k: statistics.median(r[k] for r in runs) for k in runs[0]}


def throughput(seconds: int, rounds: int, checks: list[tuple[str, bool]]) -> list[str]:
    """Compare the line with the floor, request kind by request kind, in alternating rounds."""
    line = Gunicorn({"IVR_MENU": str(ROOT / "menus.yaml"), "IVR_SMS_LIMIT": NO_LIMIT})
    floor = Gunicorn({}, app="'floor:create_app()'")
    rows = ["| request | line req/s | p50 ms | p99 ms | floor req/s | floor p50 ms | "
            "floor p99 ms | ratio |", "|---|---:|---:|---:|---:|---:|---:|---:|"]
    ratios = []
    try:
        for name, url, params, size in requests_to_time(line.base):
            ours, base = [], []
            for _ in range(rounds):  # alternate, so a busy moment hurts both sides alike
                ours.append(wrk(url, params, seconds, CONNECTIONS))
                base.append(wrk(f"{floor.base}/{size}", params, seconds, CONNECTIONS))
            o, b = median(ours), median(base)
            ratios.append(o["rps"] / b["rps"])
            rows.append(f"| {name} | {o['rps']:.0f} | {o['p50']:.2f} | {o['p99']:.2f} | "
                        f"{b['rps']:.0f} | {b['p50']:.2f} | {b['p99']:.2f} | "
                        f"{ratios[-1]:.2f} |")
            errors = sum(r["errors"] for r in ours), sum(r["errors"] for r in base)
            if any(errors):
                rows.append(f"| (errors: line {errors[0]}, floor {errors[1]}) ||||||||")
    finally:
        line.stop()
        floor.stop()
    checks.append((f"throughput at least {MIN_RATIO} of the floor's (lowest: "
                   f"{min(ratios):.2f})", min(ratios) >= MIN_RATIO))
    return rows


def check_seconds(path: Path, runs: int) -> float:
    """Return the median wall time of `ivr check` on a menu, as staff would run it."""
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run([str(Path(sys.executable).parent / "ivr"), "check", str(path)],
                       check=True, capture_output=True)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def scaling(sizes: list[int], seconds: int, rounds: int,
            checks: list[tuple[str, bool]]) -> list[str]:
    """Measure load-and-check time, worker memory and latency for menus of each size."""
    rows = ["| topics | ivr check s | load+index s | worker RSS MB | PSS MB | USS MB | "
            "key p50 ms | text p50 ms | key ratio | text ratio |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    with tempfile.TemporaryDirectory() as tmp:
        servers, loads, targets = {}, {}, {}
        try:
            for n in sizes:
                text, asks = synthetic_menu(n)
                path = Path(tmp) / f"menu-{n}.yaml"
                path.write_text(text)
                t0 = time.perf_counter()
                if LiveMenu(str(path)).current() is None:  # as the app loads it: menu and index
                    sys.exit(f"the synthetic menu of {n} topics did not load")
                load_s = time.perf_counter() - t0
                loads[n] = (check_seconds(path, 3), load_s)
                server = servers[n] = Gunicorn({"IVR_MENU": str(path), "IVR_SMS_LIMIT": NO_LIMIT})
                start = TwilioClient(server.base).post("/voice", CALL).twiml
                action = urllib.parse.urljoin(server.base + "/voice",
                                              start.find("Gather").get("action"))
                # A misspelt keyword, so the fuzzy path is timed too.
                ask = asks[n // 2][:-1] + "q"
                targets[n] = ((action, {**CALL, "Digits": "1"}),
                              (server.base + "/sms", {**TEXT, "Body": f"tell me about {ask}"}))
            runs: dict[int, list[tuple[float, float]]] = {n: [] for n in sizes}
            for _ in range(rounds):  # every size in each round, so noise falls on all of them
                for n in sizes:
                    (key_url, key), (sms_url, sms) = targets[n]
                    runs[n].append((wrk(key_url, key, seconds, 1)["p50"],
                                    wrk(sms_url, sms, seconds, 1)["p50"]))
            memory = {n: servers[n].worker_memory_mb() for n in sizes}
        finally:
            for server in servers.values():
                server.stop()
    p50 = {n: (statistics.median(k for k, _ in r), statistics.median(t for _, t in r))
           for n, r in runs.items()}
    first, last = sizes[0], sizes[-1]
    for n in sizes:
        (check_s, load_s), m, (key, txt) = loads[n], memory[n], p50[n]
        rows.append(f"| {n:,} | {check_s:.2f} | {load_s:.2f} | {m['rss']:.0f} | "
                    f"{m['pss']:.0f} | {m['uss']:.0f} | {key:.2f} | {txt:.2f} | "
                    f"{key / p50[first][0]:.2f} | {txt / p50[first][1]:.2f} |")
    key_ratio, text_ratio = (p50[last][i] / p50[first][i] for i in (0, 1))
    checks += [
        (f"latency at {last:,} topics within {MAX_SLOWDOWN}x of {first:,} (keys "
         f"{key_ratio:.2f}x, text {text_ratio:.2f}x)", max(key_ratio, text_ratio) <= MAX_SLOWDOWN),
        (f"ivr check on {last:,} topics under {MAX_CHECK_S:.0f} s ({loads[last][0]:.2f} s)",
         loads[last][0] < MAX_CHECK_S),
        (f"memory per worker under {MAX_WORKER_MB} MB at {last:,} topics (RSS "
         f"{memory[last]['rss']:.0f}, PSS {memory[last]['pss']:.0f}, USS "
         f"{memory[last]['uss']:.0f} MB)", memory[last]["rss"] < MAX_WORKER_MB),
    ]
    return rows


def main() -> None:
    """Run both parts and print the tables, then each target and whether it holds."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    # Whole seconds: Debian's wrk 4.1 refuses a duration such as 2.5s.
    parser.add_argument("--seconds", type=int, default=2, help="Load each run this long.")
    parser.add_argument("--rounds", type=int, default=3,
                        help="Runs of each load, alternated with the floor's; medians shown.")
    parser.add_argument("--sizes", default="10,100,1000,10000",
                        help="Menu sizes to try, in topics, comma-separated.")
    args = parser.parse_args()
    ensure_wrk()
    checks: list[tuple[str, bool]] = []
    print(f"# make bench ({os.cpu_count()} cores; medians of {args.rounds} runs of "
          f"{args.seconds} s each, line and floor alternating)\n", flush=True)
    print(f"## Throughput and latency beside the floor ({CONNECTIONS} connections)\n")
    print("\n".join(throughput(args.seconds, args.rounds, checks)) + "\n", flush=True)
    print("## Menu size (1 connection; ratios to the smallest menu)\n")
    sizes = [int(s) for s in args.sizes.split(",")]
    print("\n".join(scaling(sizes, args.seconds, args.rounds, checks)) + "\n")
    print("## Targets\n")
    for what, held in checks:
        print(f"- {'PASS' if held else 'MISS'}: {what}")


if __name__ == "__main__":
    main()
