"""A real server for the API's live tests: ``diaodu serve`` (gunicorn, as in
production) on a free 127.0.0.1 port over a fresh demo database of its own —
a file in a temporary DIAODU_HOME on SQLite, or a throwaway database next to the
test database on PostgreSQL (when DATABASE_URL names one)."""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

from django.db import connection

from tests.helpers import empty_demo, in_memory_sqlite, load_demo

ROOT = Path(__file__).resolve().parents[2]
DIAODU = ROOT / ".venv" / "bin" / "diaodu"


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
    raise RuntimeError(f"server did not start: {url}")


def _postgres_admin(url: str, sql: str) -> None:
    import psycopg

    parts = urlparse(url)
    with psycopg.connect(host=parts.hostname, port=parts.port or 5432, user=parts.username,
                         password=parts.password, dbname="postgres", autocommit=True) as conn:
        conn.execute(sql)


def copy_demo(django_db_blocker, path: Path) -> None:
    """The demo as this worker's in-memory SQLite test database holds it (``tests.helpers.load_demo``:
    loaded once per worker, copied after), written to the file ``path``: ``diaodu demo --no-serve``
    then finds it loaded and only migrates (nothing to do), where loading it again took 11 s. The
    copy's passwords are hashed as the test run hashes them (MD5), which the server does not accept:
    these tests sign in with API tokens."""
    with django_db_blocker.unblock():
        load_demo()
        try:
            target = sqlite3.connect(path)
            try:
                connection.connection.backup(target)
            finally:
                target.close()
        finally:
            empty_demo()


@contextmanager
def demo_server(users: tuple[str, ...], workers: int = 2, threads: int = 8, django_db_blocker=None):
    """Yields (base URL, {username: token}, env). Loopback only; stopped by its pid. On SQLite, given
    ``django_db_blocker``, the server's database starts as a copy of the worker's demo."""
    with tempfile.TemporaryDirectory(prefix="diaodu-api-") as home:
        env = {**os.environ, "DIAODU_HOME": home, "LOG_LEVEL": "ERROR", "DIAODU_THREADS": str(threads)}
        env.pop("DJANGO_SETTINGS_MODULE", None)
        database = os.environ.get("DATABASE_URL", "")
        pg_name = None
        if database.startswith("postgres"):
            parts = urlparse(database)
            pg_name = f"test_{parts.path.lstrip('/')}_live{os.getpid()}"
            _postgres_admin(database, f'DROP DATABASE IF EXISTS "{pg_name}"')
            _postgres_admin(database, f'CREATE DATABASE "{pg_name}"')
            env["DATABASE_URL"] = parts._replace(path=f"/{pg_name}").geturl()
        else:
            env["DATABASE_URL"] = f"sqlite:///{home}/diaodu.sqlite3"
            if django_db_blocker is not None and in_memory_sqlite():
                copy_demo(django_db_blocker, Path(home) / "diaodu.sqlite3")
        proc = None
        try:
            subprocess.run([str(DIAODU), "demo", "--no-serve"], cwd=home, env=env, check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            tokens = {}
            for user in users:
                out = subprocess.run([str(DIAODU), "api-token", user, "--name", "tests"], cwd=home, env=env,
                                     check=True, capture_output=True, text=True)
                tokens[user] = out.stdout.strip()
            port = free_port()
            proc = subprocess.Popen(
                [str(DIAODU), "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)],
                cwd=home, env=env, stdout=subprocess.DEVNULL, stderr=open(Path(home) / "serve.log", "ab"),
            )
            base = f"http://127.0.0.1:{port}"
            wait_up(f"{base}/accounts/login/")
            yield base, tokens, env
        finally:
            if proc is not None and proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    proc.kill()
            if pg_name:
                _postgres_admin(database, f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')
