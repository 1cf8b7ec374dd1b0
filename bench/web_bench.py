"""Web bench: the 总览 page under 200 concurrent connections, against a static file of the same size.

Serves a fresh demo database (in a temporary DIAODU_HOME) with ``diaodu serve`` — gunicorn, as in
production — on a free loopback port, signs in as ``leader``, then runs wrk (loopback only,
bounded duration) in the same run:

1. the baseline the issue names: a static file of the same size served by WhiteNoise (no session,
   no user: the ceiling of the server itself); and, for information, a tiny view returning exactly
   the overview page's byte size behind the same login and middleware (session read,
   user loaded), which shows what Django's per-request work alone costs;
2. the overview page ``/`` with the session cookie: repeat views, which the page cache answers
   (``diaodu/dashboard/page_cache.py``); and first views — every request a URL
   of its own — which take the whole Django path (the page body is still rendered once per data);
   and, also for information, the big screen ``/screen/`` and a county profile ``/county/621202/``.

Passes when the overview had 0 errors (socket errors, timeouts, any status but 200), its
throughput is at least 50% of the static file's (``--baseline view`` gates on the tiny view
instead) and its first views at least 15% of it. Prints p50, p99 and the ratios; exits 1 otherwise.

    .venv/bin/python bench/web_bench.py [--seconds 30] [--connections 200] [--workers 2] [--baseline view|static]

The tiny view lives only in the bench's own settings module (``bench_site``, written to the
temporary folder: the project's settings plus one URL); production URLs are unchanged.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DIAODU = ROOT / ".venv" / "bin" / "diaodu"
WRK = shutil.which("wrk") or "/usr/bin/wrk"
PASSWORD = "Diaodu#2021"
FIRST_VIEW_TARGET = 0.15  # first views of 总览 against the static file (issue 16)
# Counts every response whose status is not 200 (wrk itself ignores 3xx).
LUA = """
local bad = 0
response = function(status, headers, body)
  if status ~= 200 then bad = bad + 1 end
end
done = function(summary, latency, requests)
  io.write(string.format("BAD_STATUS %d\\n", bad))
end
"""
# Every request a URL of its own (/?first=<thread>-<n>): a reader's first view of a page, which
# the page cache cannot answer (the page body itself is still rendered once per data).
FIRST_VIEW_LUA = LUA + """
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", "/?first=" .. id .. "-" .. n)
end
"""
# With one Lua state per wrk thread, the done() counter above is only thread 1's; run wrk with one
# thread per core but read the error total from its summary too (non-2xx/3xx, socket errors).


BENCH_SITE = """from diaodu.settings import *  # noqa: F403

ROOT_URLCONF = "bench_urls"
"""
BENCH_URLS = """from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import include, path

BODY = b"x" * {size}


@login_required
def same_size(request):
    return HttpResponse(BODY, content_type="text/html; charset=utf-8")


urlpatterns = [path("bench/same-size/", same_size), path("", include("diaodu.urls"))]
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_up(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except Exception:
            time.sleep(0.3)
    raise SystemExit(f"server did not start: {url}")


class Server:
    def __init__(self, home: Path, port: int, workers: int):
        self.home, self.port, self.workers = home, port, workers
        self.proc: subprocess.Popen | None = None

    def __enter__(self):
        env = {**os.environ, "DIAODU_HOME": str(self.home), "LOG_LEVEL": "ERROR",
               "DJANGO_SETTINGS_MODULE": "bench_site", "PYTHONPATH": str(self.home)}
        env.pop("DATABASE_URL", None)
        self.proc = subprocess.Popen(
            [str(DIAODU), "serve", "--host", "127.0.0.1", "--port", str(self.port), "--workers", str(self.workers)],
            cwd=self.home, env=env, stdout=subprocess.DEVNULL, stderr=open(self.home / "serve.log", "ab"),
        )
        wait_up(f"http://127.0.0.1:{self.port}/accounts/login/")
        return self

    def __exit__(self, *exc):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()


def login(base: str) -> tuple[str, urllib.request.OpenerDirector]:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    html = opener.open(f"{base}/accounts/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": "leader", "password": PASSWORD}).encode()
    request = urllib.request.Request(f"{base}/accounts/login/", data=data, headers={"Referer": f"{base}/accounts/login/"})
    opener.open(request).read()
    cookies = {c.name: c.value for c in jar}
    if "sessionid" not in cookies:
        raise SystemExit("login failed: no session cookie")
    return "; ".join(f"{k}={v}" for k, v in cookies.items()), opener


def fetch(base: str, path: str, cookie: str) -> tuple[int, bytes]:
    request = urllib.request.Request(f"{base}{path}", headers={"Cookie": cookie})
    with urllib.request.urlopen(request) as response:
        return response.status, response.read()


def to_ms(text: str) -> float:
    number, unit = re.match(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def parse_wrk(out: str) -> dict:
    """Throughput, latency and error counts from wrk's output (with --latency and a script
    that prints ``BAD_STATUS n``)."""
    def count(pattern: str) -> int:
        m = re.search(pattern, out)
        return sum(int(x) for x in m.groups()) if m else 0

    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
        # The latency distribution's own lines ("    50%  1.23ms"), not a "+/- Stdev" column ending in 50%.
        "p50": to_ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1)),
        "p99": to_ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1)),
        "socket_errors": count(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)"),
        "non_2xx": count(r"Non-2xx or 3xx responses: (\d+)"),
        "bad_status": count(r"BAD_STATUS (\d+)"),
    }


def wrk(url: str, cookie: str, seconds: int, connections: int, threads: int, script: Path) -> dict:
    cmd = [WRK, f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "--latency",
           "-s", str(script), "-H", f"Cookie: {cookie}", url]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 60).stdout
    parsed = parse_wrk(out)
    errors = parsed["socket_errors"] + parsed["non_2xx"] + parsed["bad_status"]
    return {**parsed, "errors": errors, "raw": out}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--connections", type=int, default=200)
    parser.add_argument("--workers", type=int, default=int(os.environ.get("DIAODU_WORKERS", "2")))
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--baseline", choices=["view", "static"], default="static")
    args = parser.parse_args()
    if not Path(WRK).exists():
        print("wrk 未安装：apt-get install wrk", file=sys.stderr)
        return 1

    home = Path(tempfile.mkdtemp(prefix="diaodu-web-bench-"))
    try:
        env = {**os.environ, "DIAODU_HOME": str(home)}
        env.pop("DATABASE_URL", None)
        started = time.monotonic()
        subprocess.run([str(DIAODU), "demo", "--no-serve"], cwd=home, env=env, check=True, stdout=subprocess.DEVNULL)
        print(f"demo database ready in {time.monotonic() - started:.1f} s ({home})")
        script = home / "status.lua"
        script.write_text(LUA, encoding="utf-8")
        first_view_script = home / "first_view.lua"
        first_view_script.write_text(FIRST_VIEW_LUA, encoding="utf-8")
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        (home / "bench_site.py").write_text(BENCH_SITE, encoding="utf-8")
        (home / "bench_urls.py").write_text(BENCH_URLS.format(size=0), encoding="utf-8")

        # 1. The overview's size, to write a static file of exactly that many bytes.
        with Server(home, port, args.workers):
            cookie, _ = login(base)
            status, body = fetch(base, "/", cookie)
            assert status == 200 and "经济运行总览".encode() in body, "overview did not render"
        static_dir = home / "var" / "static" / "bench"
        static_dir.mkdir(parents=True, exist_ok=True)
        (static_dir / "same-size.html").write_bytes(b"x" * len(body))
        (home / "bench_urls.py").write_text(BENCH_URLS.format(size=len(body)), encoding="utf-8")

        # 2. Both measured on the same server (WhiteNoise indexes the static folder at start).
        with Server(home, port, args.workers):
            cookie, _ = login(base)
            status, page = fetch(base, "/", cookie)
            assert status == 200 and b"form" in page
            sstatus, static = fetch(base, "/static/bench/same-size.html", cookie)
            assert sstatus == 200 and len(static) == len(body), (sstatus, len(static), len(body))
            vstatus, view = fetch(base, "/bench/same-size/", cookie)
            assert vstatus == 200 and len(view) == len(body), (vstatus, len(view), len(body))
            fetch(base, "/", cookie)  # warm both workers' page cache
            static_run = wrk(f"{base}/static/bench/same-size.html", cookie, args.seconds, args.connections,
                             args.threads, script)
            view_run = wrk(f"{base}/bench/same-size/", cookie, args.seconds, args.connections, args.threads, script)
            overview = wrk(f"{base}/", cookie, args.seconds, args.connections, args.threads, script)
            first_view = wrk(f"{base}/", cookie, args.seconds, args.connections, args.threads, first_view_script)
            # For information: the big screen and a county profile (一县一档), rendered per request.
            for path in ("/screen/", "/county/621202/"):
                pstatus, _ = fetch(base, path, cookie)
                assert pstatus == 200, (path, pstatus)
            screen = wrk(f"{base}/screen/", cookie, args.seconds, args.connections, args.threads, script)
            county = wrk(f"{base}/county/621202/", cookie, args.seconds, args.connections, args.threads, script)
            after, _ = fetch(base, "/", cookie)
            assert after == 200, "session lost during the run"

        baseline = view_run if args.baseline == "view" else static_run
        ratio = overview["rps"] / baseline["rps"] if baseline["rps"] else 0.0
        static_ratio = overview["rps"] / static_run["rps"] if static_run["rps"] else 0.0
        print(f"page size: {len(body)} bytes; {args.connections} connections × {args.seconds} s; "
              f"gunicorn {args.workers} workers; {os.cpu_count()} cores (shared)")
        for name, r in (("static file (WhiteNoise)", static_run), ("same-size view (login)", view_run),
                        ("overview /", overview), ("overview, first views", first_view),
                        ("big screen /screen/", screen), ("county profile", county)):
            print(f"{name:<26} {r['rps']:>9.1f} req/s  p50 {r['p50']:>8.1f} ms  p99 {r['p99']:>8.1f} ms  "
                  f"requests {r['requests']}  errors {r['errors']}")
        print(f"ratio overview/same-size view: {overview['rps'] / view_run['rps'] if view_run['rps'] else 0:.2f}; "
              f"overview/static file: {static_ratio:.2f}; gate ({args.baseline}): {ratio:.2f} (required ≥ 0.50)")
        first_ratio = first_view["rps"] / static_run["rps"] if static_run["rps"] else 0.0
        print(f"ratio first views/static file: {first_ratio:.3f} (required ≥ {FIRST_VIEW_TARGET:.2f}, issue 16)")
        failed = []
        if overview["errors"]:
            failed.append(f"{overview['errors']} errors on the overview")
        if ratio < 0.5:
            failed.append(f"ratio {ratio:.2f} < 0.50")
        if first_ratio < FIRST_VIEW_TARGET:
            failed.append(f"first views ratio {first_ratio:.3f} < {FIRST_VIEW_TARGET:.2f}")
        if failed:
            print("FAIL: " + "; ".join(failed))
            return 1
        print("OK")
        return 0
    finally:
        if args.keep:
            print(f"kept {home}")
        else:
            shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
