"""Text limits said the same way by the web forms, the API and the imports."""

from __future__ import annotations

NOTE_MAX = 200  # 备注 of a figure (Observation.note, Revision.note)


def too_long(label: str, limit: int) -> str:
    """The one message for a text over its limit (never cut silently)."""
    return f"{label}最多 {limit} 个字符，请删减后再提交。"
