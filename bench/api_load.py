"""API load: 200 concurrent users for 60 s across the overview, the county page and the API.

Serves a fresh demo database (temporary DIAODU_HOME, SQLite) with ``diaodu serve`` — gunicorn,
as in production — on a free loopback port, signs in as ``leader`` for a session cookie, creates
an API token for ``leader`` (``diaodu api-token``), then runs wrk (loopback only, bounded) with a
Lua script that rotates every request over the overview ``/``, the county page ``/counties/``
(with the session cookie) and five API reads (with ``Authorization: Token …``).

Passes when there were 0 errors: socket errors, timeouts and any status that is not 2xx/3xx
(counted by wrk and by the script itself, per path). Prints requests/s, p50 and p99; exits 1 otherwise.

    .venv/bin/python bench/api_load.py [--seconds 60] [--connections 200] [--workers 2]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from web_bench import DIAODU, WRK, fetch, free_port, login, parse_wrk, wait_up  # noqa: E402

WEB_PATHS = ["/", "/counties/"]
API_PATHS = [
    "/api/figures?region=621202&period=2021-09",
    "/api/results/ranks?period=2021-09&level=county",
    "/api/results/gaps?period=2021-09&level=county",
    "/api/ledgers/projects?limit=20",
    "/api/tasks?limit=20",
]
# One Lua state per wrk thread: each thread counts its own bad statuses and prints them in done()
# through a shared table of per-thread counters (wrk's documented setup()/thread pattern).
LUA = """
local threads = {}
function setup(thread) table.insert(threads, thread) end

local paths = {%(paths)s}
local kinds = {%(kinds)s}
local cookie = "%(cookie)s"
local token = "%(token)s"
local i = 0
bad = 0
last_bad = ""

function init(args) i = math.random(#paths) end

request = function()
  i = i %% #paths + 1
  local headers = {}
  if kinds[i] == "api" then headers["Authorization"] = "Token " .. token else headers["Cookie"] = cookie end
  current = paths[i]
  return wrk.format("GET", paths[i], headers)
end

response = function(status, headers, body)
  if status < 200 or status >= 400 then bad = bad + 1; last_bad = status .. " " .. current end
end

function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do
    total = total + thread:get("bad")
    local last = thread:get("last_bad")
    if last ~= "" then io.write("LAST_BAD " .. last .. "\\n") end
  end
  io.write(string.format("BAD_STATUS %%d\\n", total))
end
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--connections", type=int, default=200)
    parser.add_argument("--workers", type=int, default=int(os.environ.get("DIAODU_WORKERS", "2")), help="gunicorn processes")
    parser.add_argument("--server-threads", type=int, default=4, help="threads per gunicorn process")
    parser.add_argument("--threads", type=int, default=4, help="wrk threads")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()
    if not Path(WRK).exists():
        print("wrk 未安装：apt-get install wrk", file=sys.stderr)
        return 1
    home = Path(tempfile.mkdtemp(prefix="diaodu-api-load-"))
    proc = None
    try:
        env = {**os.environ, "DIAODU_HOME": str(home), "LOG_LEVEL": "ERROR",
               "DIAODU_THREADS": str(args.server_threads)}
        env.pop("DATABASE_URL", None)
        env.pop("DJANGO_SETTINGS_MODULE", None)
        started = time.monotonic()
        subprocess.run([str(DIAODU), "demo", "--no-serve"], cwd=home, env=env, check=True, stdout=subprocess.DEVNULL)
        token = subprocess.run([str(DIAODU), "api-token", "leader", "--name", "load"], cwd=home, env=env,
                               check=True, capture_output=True, text=True).stdout.strip()
        print(f"demo database ready in {time.monotonic() - started:.1f} s ({home})")
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        proc = subprocess.Popen(
            [str(DIAODU), "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(args.workers)],
            cwd=home, env=env, stdout=subprocess.DEVNULL, stderr=open(home / "serve.log", "ab"),
        )
        wait_up(f"{base}/accounts/login/")
        cookie, _ = login(base)
        for path in WEB_PATHS:  # warm: each page renders once before the clock starts
            status, _ = fetch(base, path, cookie)
            assert status == 200, f"{path} → {status}"
        paths = WEB_PATHS + API_PATHS
        script = home / "rotate.lua"
        script.write_text(LUA % {
            "paths": ", ".join(f'"{p}"' for p in paths),
            "kinds": ", ".join('"api"' if p.startswith("/api/") else '"web"' for p in paths),
            "cookie": cookie, "token": token,
        }, encoding="utf-8")
        cmd = [WRK, f"-t{args.threads}", f"-c{args.connections}", f"-d{args.seconds}s", "--timeout", "10s",
               "--latency", "-s", str(script), base + "/"]
        print(f"wrk: {args.connections} connections, {args.seconds} s, {len(paths)} paths rotating "
              f"(gunicorn {args.workers} workers × {args.server_threads} threads)")
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=args.seconds + 120).stdout
        parsed = parse_wrk(out)
        rps, requests, p50, p99 = parsed["rps"], parsed["requests"], parsed["p50"], parsed["p99"]
        errors = parsed["socket_errors"] + max(parsed["non_2xx"], parsed["bad_status"])
        print(f"requests: {requests}  ({rps:.0f}/s)  errors: {errors}")
        print(f"latency p50: {p50:.1f} ms  p99: {p99:.1f} ms")
        for line in out.splitlines():
            if line.startswith(("LAST_BAD", "  Socket errors")):
                print(line)
        return 0 if errors == 0 else 1
    finally:
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
        if not args.keep:
            shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
