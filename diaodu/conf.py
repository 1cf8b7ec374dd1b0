"""Typed helpers that read settings from the environment.

Each helper fails with a message that names the variable and how to fix it
(the Healthchecks habit), so a wrong setting never surfaces as a traceback
deep inside Django.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlparse


class SettingError(Exception):
    """A setting read from the environment is malformed."""


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise SettingError(f"环境变量 {name}={raw!r} 不是布尔值：请设为 1/0、true/false 或 yes/no。")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise SettingError(f"环境变量 {name}={raw!r} 不是整数：请设为整数，例如 {name}={default}。")


def env_date(name: str):
    """A date (YYYY-MM-DD) or None when unset."""
    import datetime as dt

    raw = os.environ.get(name, "").strip()
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise SettingError(f"环境变量 {name}={raw!r} 不是日期：请设为 YYYY-MM-DD，例如 {name}=2021-11-20。")


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def database_from_url(url: str, base_dir: Path) -> dict:
    """Translate DATABASE_URL into Django's DATABASES['default'].

    Accepts ``sqlite:///relative/path``, ``sqlite:////absolute/path`` and
    ``postgres://user:password@host:port/name`` (also ``postgresql://``).
    """
    parsed = urlparse(url)
    scheme = parsed.scheme.lower()
    if scheme == "sqlite":
        # sqlite:///var/x.sqlite3 -> relative to the project; sqlite:////abs -> absolute.
        path = unquote(parsed.path)
        if path.startswith("//"):
            name = Path(path[1:])
        elif path.startswith("/"):
            name = base_dir / path[1:]
        else:
            name = base_dir / path
        if not path.strip("/"):
            raise SettingError("DATABASE_URL 缺少 SQLite 文件名：例如 DATABASE_URL=sqlite:///var/diaodu.sqlite3。")
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(name),
            "CONN_MAX_AGE": 60,  # opening SQLite runs the PRAGMAs below: once a minute, not per request
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;",
            },
        }
    if scheme in ("postgres", "postgresql", "pgsql"):
        options = dict(parse_qsl(parsed.query))
        name = unquote(parsed.path.lstrip("/"))
        if not name:
            raise SettingError(
                "DATABASE_URL 缺少数据库名：例如 DATABASE_URL=postgres://user@127.0.0.1:5432/diaodu。"
            )
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": name,
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "",
            "PORT": str(parsed.port or ""),
            "OPTIONS": options,
            "CONN_MAX_AGE": 60,
            "TEST": {"NAME": options.pop("test_name", None) or f"test_{name}"},
        }
    raise SettingError(
        f"DATABASE_URL 的协议 {scheme or '(空)'} 不受支持：请使用 sqlite:///路径 或 postgres://用户@主机:端口/库名。"
    )


def secret_key(base_dir: Path) -> str:
    """SECRET_KEY from the environment, else a key generated once into var/.

    A generated key is kept in ``var/secret_key`` (mode 600) so sessions survive
    restarts on a single machine; several app servers must share SECRET_KEY.
    """
    key = os.environ.get("SECRET_KEY", "")
    if key:
        if len(key) < 50:
            raise SettingError("SECRET_KEY 太短：至少 50 个字符，可用 `python -c 'import secrets;print(secrets.token_urlsafe(50))'` 生成。")
        return key
    path = base_dir / "var" / "secret_key"
    if path.exists():
        return path.read_text().strip()
    import secrets

    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    path.write_text(key)
    path.chmod(0o600)
    return key


def caches_from_url(url: str) -> dict:
    """Django's CACHES from CACHE_URL (or REDIS_URL).

    ``default`` holds what every process may share (rendered page bodies, engine results, repeat
    page views): local memory when no URL is set, Redis with ``redis://host:port/db``
    (``rediss://`` with TLS). ``local`` is always this process's memory: the published tables as
    DataFrames (too large to send over the network on every read) and the facts re-read every few
    seconds (the fingerprint), whose point is to cost no round trip at all.
    """
    local = {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "diaodu-local",
        "TIMEOUT": 24 * 3600,
        "OPTIONS": {"MAX_ENTRIES": 64},
    }
    scheme = urlparse(url).scheme.lower() if url else ""
    if not url or scheme == "locmem":
        default = {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "diaodu-default",
            "TIMEOUT": 24 * 3600,
            "OPTIONS": {"MAX_ENTRIES": 2000},
        }
    elif scheme in ("redis", "rediss", "unix"):
        default = {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "TIMEOUT": 24 * 3600,
            # A new release renders pages differently: it never reads what the old one stored.
            "KEY_PREFIX": f"diaodu-{_code_digest()}",
        }
    else:
        raise SettingError(f"CACHE_URL={url!r} 无法识别：请设为 redis://主机:端口/库号（例如 redis://127.0.0.1:6379/1），"
                           "或不设置（使用本进程内存）。")
    return {"default": default, "local": local}


def _code_digest() -> str:
    """A hash of the installed code and templates (for a shared cache's key prefix)."""
    import hashlib

    digest = hashlib.blake2b(digest_size=6)
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*")):
        if path.suffix in (".py", ".html", ".json") and "migrations" not in path.parts and path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()
