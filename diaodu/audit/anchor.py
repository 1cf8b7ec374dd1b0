"""The audit chains' heads, anchored outside the database.

The hash chains find an edited, inserted or deleted record *within* the chain,
but not a tail cut off the end (delete the newest records with the triggers
dropped, and what is left still links). So after every commit that appends a
record, the chain's last (id, hash) is written to ``head-<database>.json`` under
DIAODU_AUDIT_HEAD_DIR (default ``var/audit``), once a day also as a line of
``heads-YYYY-MM.log`` (one file a month) and of the server's log. ``diaodu audit
verify`` then requires every anchored record to still be in the database with
the same hash (or to have been pruned by ``audit prune``, which leaves its own
anchor). What someone with write access to both the database and these files
can still do is in README (安全 · 审计链锚点).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone

log = logging.getLogger("diaodu.audit")


def folder() -> Path | None:
    raw = settings.DIAODU_AUDIT_HEAD_DIR
    if not raw:
        return None
    path = Path(raw)
    return path if path.is_absolute() else Path(settings.BASE_DIR) / path


def _database_key() -> str:
    db = connection.settings_dict
    raw = f"{db['ENGINE']}|{db.get('HOST') or ''}|{db.get('PORT') or ''}|{db['NAME']}"
    return hashlib.sha256(raw.encode()).hexdigest()[:12]


def head_path() -> Path | None:
    base = folder()
    return None if base is None else base / f"head-{_database_key()}.json"


def read_heads() -> dict:
    path = head_path()
    if path is None or not path.exists():
        return {}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"unreadable": True}


def note(chain: str, record_id: int, record_hash: str) -> None:
    """Move the chain's anchored head forward (never back: commits may finish out of order)."""
    path = head_path()
    if path is None:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = open(path.with_suffix(".lock"), "a")
    try:
        try:
            import fcntl

            fcntl.flock(lock, fcntl.LOCK_EX)
        except ImportError:  # pragma: no cover - not POSIX
            pass
        heads = read_heads()
        heads.pop("unreadable", None)
        if heads.get(chain, {}).get("id", 0) >= record_id:
            return
        now = timezone.localtime()
        heads[chain] = {"id": record_id, "hash": record_hash, "time": now.isoformat(timespec="seconds")}
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps(heads, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(temporary, path)
        _daily_line(path.parent, heads, now)
    finally:
        lock.close()


def _daily_line(base: Path, heads: dict, now) -> None:
    day = f"{now:%Y-%m-%d}"
    marker = base / f"day-{_database_key()}"
    if marker.exists() and marker.read_text() == day:
        return
    marker.write_text(day)
    line = f"{now.isoformat(timespec='seconds')} {_database_key()} " + " ".join(
        f"{chain}#{head['id']}:{head['hash']}" for chain, head in sorted(heads.items()))
    with open(base / f"heads-{now:%Y-%m}.log", "a", encoding="utf-8") as handle:
        handle.write(line + "\n")
    log.warning("审计链锚点（每日）：%s", line)


def reset(reason: str) -> dict:
    """Anchor the database's current heads (after a restore: the file then describes the old one)."""
    from diaodu.audit.models import ChangeRecord, LoginRecord

    path = head_path()
    if path is None:
        return {}
    heads = {}
    for chain, model in (("change", ChangeRecord), ("login", LoginRecord)):
        last = model.objects.order_by("-id").values_list("id", "hash").first()
        if last:
            heads[chain] = {"id": last[0], "hash": last[1], "time": timezone.localtime().isoformat(timespec="seconds")}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(heads, ensure_ascii=False, indent=1), encoding="utf-8")
    log.warning("审计链锚点已按当前数据库重置（%s）：%s", reason, heads)
    return heads


def check() -> list[str]:
    """Problems of the database against the anchored heads (empty: none)."""
    from diaodu.audit.models import ChainAnchor, ChangeRecord, LoginRecord

    heads = read_heads()
    if heads.get("unreadable"):
        return [f"审计链锚点文件 {head_path()} 无法读取"]
    labels = {"change": ("变更记录", ChangeRecord), "login": ("登录记录", LoginRecord)}
    problems = []
    for chain, head in heads.items():
        if chain not in labels:
            continue
        label, model = labels[chain]
        stored = model.objects.filter(pk=head["id"]).values_list("hash", flat=True).first()
        if stored == head["hash"]:
            continue
        pruned = ChainAnchor.objects.filter(chain=chain, last_id__gte=head["id"]).exists()
        if stored is None and pruned:
            continue
        if stored is None:
            newest = model.objects.order_by("-id").values_list("id", flat=True).first()
            problems.append(f"{label}尾部缺失：锚点记录的最新一条 #{head['id']}（{head['time']}）已不在数据库中"
                            f"（数据库中最新为 #{newest or '无'}），疑似被截断")
        else:
            problems.append(f"{label} #{head['id']} 与锚点记录的哈希不符：该记录或其后的记录被改写")
    return problems
