"""Import previews: the uploaded file waiting for its confirmation.

Each preview has its own token, bound to the SHA-256 of the file shown, so
confirming one preview writes that file and no other (two previews open in two
tabs stay apart). A preview expires after DIAODU_PREVIEW_MINUTES and its file is
deleted; ``diaodu cleanup`` removes files whose preview was never confirmed
(a closed tab, a killed worker).
"""

from __future__ import annotations

import hashlib
import secrets
import time
from pathlib import Path

from django.conf import settings

SESSION_KEY = "import_previews"


def upload_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "uploads"
    path.mkdir(parents=True, exist_ok=True)
    return path


def file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _lifetime() -> int:
    return settings.DIAODU_PREVIEW_MINUTES * 60


def save_upload(upload, suffix: str) -> tuple[str, Path]:
    """Write the upload under a fresh token; returns (token, path)."""
    token = secrets.token_hex(16)
    path = upload_dir() / f"{token}{suffix}"
    with open(path, "wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    return token, path


def path_of(token: str, suffix: str) -> Path:
    return upload_dir() / f"{token}{suffix}"


def remember(session, token: str, *, suffix: str, name: str, sha256: str, publish: bool, reason: str) -> None:
    previews = expire(session)
    previews[token] = {"suffix": suffix, "name": name, "sha256": sha256, "publish": publish, "reason": reason,
                       "created": time.time()}
    session[SESSION_KEY] = previews


def expire(session) -> dict:
    """The session's live previews; expired ones are dropped and their files deleted."""
    previews = dict(session.get(SESSION_KEY) or {})
    now = time.time()
    for token, preview in list(previews.items()):
        if now - preview.get("created", 0) > _lifetime():
            path_of(token, preview["suffix"]).unlink(missing_ok=True)
            del previews[token]
    session[SESSION_KEY] = previews
    return previews


def take(session, token: str) -> dict | None:
    """The live preview ``token`` names, removed from the session (a preview is confirmed once)."""
    previews = expire(session)
    preview = previews.pop(token, None) if isinstance(token, str) else None
    session[SESSION_KEY] = previews
    return preview


def cleanup(now: float | None = None) -> list[Path]:
    """Delete upload files older than a preview's lifetime (orphans); returns them."""
    now = now or time.time()
    removed = []
    folder = Path(settings.MEDIA_ROOT) / "uploads"
    if not folder.is_dir():
        return removed
    for path in folder.iterdir():
        if path.is_file() and now - path.stat().st_mtime > _lifetime():
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed
