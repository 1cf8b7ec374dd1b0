"""Upload attack bench (issue 19, "Must show").

Starts the server as ``diaodu serve`` does (gunicorn, 2 workers) on a demo
database in a temporary DIAODU_HOME, then sends 10 malicious uploads to
``/import/`` from 10 connections — the quadratic-regex file, zip bombs of 1 MB
(→ 1 GiB) and 4 MB (→ 4 GiB), a 1 MiB-row sheet — while 50 connections read 总览
(wrk, loopback only). Prints the readers' error count (target 0), their p99, and
the peak resident memory of the server's processes (workers and their upload
checks) above idle (target ≤ 1 GB). Exits 1 when a target is missed.

    .venv/bin/python bench/upload_attack.py            # the bench
    .venv/bin/python bench/upload_attack.py --keep     # keep the temporary home

On a shared machine every number is pessimistic: say so when quoting it.
"""

from __future__ import annotations

import argparse
import http.client
import io
import os
import re
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DIAODU = ROOT / ".venv" / "bin" / "diaodu"
MEMORY_TARGET_MB = 1024.0
ERROR_TARGET = 0

SHEET_HEAD = (b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
              b'spreadsheetml/2006/main"><sheetData>')
SHEET_TAIL = b"</sheetData></worksheet>"
SKELETON = {
    "[Content_Types].xml": b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
                           b'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.'
                           b'openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
                           b'"application/xml"/></Types>',
    "_rels/.rels": b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                   b'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                   b'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml": b'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
                       b'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
                       b'relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
                                  b'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type='
                                  b'"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
                                  b'Target="worksheets/sheet1.xml"/></Relationships>',
}


# --- the malicious files ---------------------------------------------------------

def _deflate_piece(data: bytes, final: bool) -> bytes:
    """Raw deflate of ``data`` from a fresh state, ending on a byte boundary (full flush)
    or finished: such pieces concatenate into one valid stream."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush(zlib.Z_FINISH if final else zlib.Z_FULL_FLUSH)


def _bomb_member(gib: int = 1) -> tuple[bytes, int, int]:
    """(raw deflate, crc, size) of a sheet padded with spaces to ``gib`` GiB, built
    from one compressed MiB repeated: seconds, not minutes."""
    head = SHEET_HEAD + b'<row r="1"><c r="A1"><v>1</v></c></row>'
    chunk = b" " * (1 << 20)
    repeats = (gib << 10) - 1
    pieces = [_deflate_piece(head, False), _deflate_piece(chunk, False) * repeats, _deflate_piece(SHEET_TAIL, True)]
    crc = zlib.crc32(head)
    for _ in range(repeats):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(SHEET_TAIL, crc)
    return b"".join(pieces), crc, len(head) + repeats * len(chunk) + len(SHEET_TAIL)


def _zip_raw(members: list[tuple[str, bytes, int, int]]) -> bytes:
    """A zip of already deflated members (name, data, crc, size)."""
    out, central = io.BytesIO(), io.BytesIO()
    for name, data, crc, size in members:
        offset = out.tell()
        encoded = name.encode()
        out.write(struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0x21, crc, len(data), size, len(encoded), 0))
        out.write(encoded + data)
        central.write(struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 8, 0, 0x21, crc, len(data), size,
                                  len(encoded), 0, 0, 0, 0, 0, offset) + encoded)
    start = out.tell()
    out.write(central.getvalue())
    out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(members), len(members), len(central.getvalue()),
                          start, 0))
    return out.getvalue()


def _small_members() -> list[tuple[str, bytes, int, int]]:
    out = []
    for name, data in SKELETON.items():
        out.append((name, _deflate_piece(data, True), zlib.crc32(data), len(data)))
    return out


def zip_bomb(members: int) -> bytes:
    """``members`` worksheets of 1 GiB each: ≈ 1 MB zipped per GiB."""
    member = _bomb_member()
    sheets = [(f"xl/worksheets/sheet{i + 1}.xml", *member) for i in range(members)]
    return _zip_raw(_small_members() + sheets)


def regex_bomb() -> bytes:
    cell = b'<c r="A1" t="e"><f>'
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in SKELETON.items():
            archive.writestr(name, data)
        archive.writestr("xl/worksheets/sheet1.xml", SHEET_HEAD + b'<row r="1">' + cell * (1048576 // len(cell)))
    return buffer.getvalue()


def million_rows() -> bytes:
    rows = b"".join(b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (i, i) for i in range(1, 1048577))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for name, data in SKELETON.items():
            archive.writestr(name, data)
        archive.writestr("xl/worksheets/sheet1.xml", SHEET_HEAD + rows + SHEET_TAIL)
    return buffer.getvalue()


# --- the server --------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def environment(home: Path) -> dict:
    return {**os.environ, "DIAODU_HOME": str(home), "DATABASE_URL": f"sqlite:///{home / 'bench.sqlite3'}",
            "DJANGO_SETTINGS_MODULE": "diaodu.settings", "DIAODU_DEMO": "1", "PYTHONPATH": str(ROOT)}


def sessions(home: Path) -> dict[str, str]:
    """Session keys for a clerk (uploads) and a leader (reads), made as a login would."""
    code = (
        "import django; django.setup()\n"
        "from django.contrib.auth import get_user_model, BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY\n"
        "from django.contrib.sessions.backends.db import SessionStore\n"
        "for name in ('wudu', 'leader'):\n"
        "    user = get_user_model().objects.get(username=name)\n"
        "    s = SessionStore()\n"
        "    s[SESSION_KEY] = str(user.pk)\n"
        "    s[BACKEND_SESSION_KEY] = 'diaodu.accounts.backends.LockoutModelBackend'\n"
        "    s[HASH_SESSION_KEY] = user.get_session_auth_hash()\n"
        "    s.create()\n"
        "    print(name, s.session_key)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], env=environment(home), cwd=home, capture_output=True,
                          text=True, check=True)
    return dict(line.split() for line in done.stdout.strip().splitlines())


def tree_rss_mb(root_pid: int) -> float:
    """Resident memory of the process and all its descendants (MB)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(entry))
            rss[int(entry)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            continue
    total, stack = 0, [root_pid]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, []))
    return total / 1048576


def upload(port: int, session: str, name: str, data: bytes, results: list) -> None:
    started = time.monotonic()
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        conn.request("GET", "/import/", headers={"Cookie": f"sessionid={session}"})
        page = conn.getresponse()
        body = page.read().decode()
        cookie = page.getheader("Set-Cookie") or ""
        csrf = re.search(r"csrftoken=([^;]+)", cookie).group(1)
        form = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
        boundary = "----diaodubench"
        parts = (f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n{form}\r\n'
                 f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
                 "Content-Type: application/octet-stream\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
        conn.request("POST", "/import/", body=parts, headers={
            "Cookie": f"sessionid={session}; csrftoken={csrf}", "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Referer": f"http://127.0.0.1:{port}/import/"})
        response = conn.getresponse()
        text = response.read().decode(errors="replace")
        refused = re.search(r'<ul class="problems"><li>(.*?)</li>', text, re.S)
        results.append((name, response.status, time.monotonic() - started,
                         re.sub(r"<[^>]+>", "", refused.group(1))[:110] if refused else ""))
    except Exception as exc:  # noqa: BLE001 - reported, not raised
        results.append((name, f"error {type(exc).__name__}", time.monotonic() - started, str(exc)[:100]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="keep the temporary DIAODU_HOME")
    parser.add_argument("--readers", type=int, default=50)
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="diaodu-attack-"))
    server = None
    try:
        print("building the files …", flush=True)
        files = [("regex.xlsx", regex_bomb())] * 3 + [("bomb-1mb.xlsx", zip_bomb(1))] * 3 \
            + [("bomb-4mb.xlsx", zip_bomb(4))] * 2 + [("million-rows.xlsx", million_rows())] * 2
        for name, data in dict(files).items():
            print(f"  {name}: {len(data) / 1048576:.1f} MB", flush=True)
        print("loading the demo into a temporary home …", flush=True)
        subprocess.run([str(DIAODU), "demo", "--no-serve"], env=environment(home), cwd=home, check=True,
                       stdout=subprocess.DEVNULL)
        keys = sessions(home)
        port = free_port()
        server = subprocess.Popen([str(DIAODU), "serve", "--port", str(port), "--workers", "2"],
                                  env=environment(home), cwd=home, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        for _ in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", port, timeout=2).request("GET", "/accounts/login/")
                break
            except OSError:
                time.sleep(0.2)
        warm = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        warm.request("GET", "/", headers={"Cookie": f"sessionid={keys['leader']}"})
        status = warm.getresponse().status
        if status != 200:
            print(f"总览 answered {status} to the reader's session", file=sys.stderr)
            return 1
        time.sleep(1)
        idle = tree_rss_mb(server.pid)
        peak = idle
        stop = threading.Event()

        def sample():
            nonlocal peak
            while not stop.is_set():
                peak = max(peak, tree_rss_mb(server.pid))
                time.sleep(0.05)

        sampler = threading.Thread(target=sample)
        sampler.start()
        duration = 60
        wrk = subprocess.Popen(["wrk", "-t2", f"-c{args.readers}", f"-d{duration}s", "--latency", "--timeout", "10s",
                                "-H", f"Cookie: sessionid={keys['leader']}", f"http://127.0.0.1:{port}/"],
                               stdout=subprocess.PIPE, text=True)
        time.sleep(2)
        results: list = []
        threads = [threading.Thread(target=upload, args=(port, keys["wudu"], name, data, results))
                   for name, data in files]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        report = wrk.communicate()[0]
        stop.set()
        sampler.join()
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        if not args.keep:
            shutil.rmtree(home, ignore_errors=True)
    print("\nuploads (10 connections):")
    for name, status, seconds, message in sorted(results):
        print(f"  {name:18} {status}  {seconds:6.1f} s  {message}")
    p99 = re.search(r"^\s+99%\s+(\S+)", report, re.M)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", report)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", report)
    requests = re.search(r"(\d+) requests in", report)
    errors = (int(non2xx.group(1)) if non2xx else 0) + (sum(map(int, socket_errors.groups())) if socket_errors else 0)
    print(f"\nreaders ({args.readers} connections on 总览, {duration} s): {requests.group(1) if requests else '?'} "
          f"requests, errors {errors} (target {ERROR_TARGET}), p99 {p99.group(1) if p99 else '?'}")
    print(f"server memory (workers and their upload checks): idle {idle:,.0f} MB, peak {peak:,.0f} MB, "
          f"above idle {peak - idle:,.0f} MB (target ≤ {MEMORY_TARGET_MB:,.0f} MB)")
    ok = errors <= ERROR_TARGET and peak - idle <= MEMORY_TARGET_MB
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
