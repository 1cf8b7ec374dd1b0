"""HOTP (RFC 4226) and TOTP (RFC 6238) with SHA-1, 6 digits, 30-second steps —
what every authenticator app (Google/Microsoft Authenticator, FreeOTP, 宁盾,
阿里云 App) reads from an ``otpauth://`` URI."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import struct
import time
from urllib.parse import quote, urlencode

import segno

DIGITS = 6
STEP = 30


def random_secret() -> str:
    """A 160-bit secret in base32 (the RFC 4226 recommended length)."""
    return base64.b32encode(secrets.token_bytes(20)).decode()


def _key(secret: str) -> bytes:
    cleaned = secret.replace(" ", "").upper()
    return base64.b32decode(cleaned + "=" * (-len(cleaned) % 8))


def hotp(secret: str, counter: int, digits: int = DIGITS, digest=hashlib.sha1) -> str:
    mac = hmac.new(_key(secret), struct.pack(">Q", counter), digest).digest()
    offset = mac[-1] & 0x0F
    code = struct.unpack(">I", mac[offset:offset + 4])[0] & 0x7FFFFFFF
    return str(code % 10**digits).zfill(digits)


def step_at(moment: float | None = None) -> int:
    return int((time.time() if moment is None else moment) // STEP)


def totp(secret: str, moment: float | None = None, digits: int = DIGITS, digest=hashlib.sha1) -> str:
    return hotp(secret, step_at(moment), digits, digest)


def match(secret: str, code: str, *, after_step: int = -1, moment: float | None = None, window: int = 1) -> int | None:
    """The time step ``code`` belongs to (±``window`` steps for clock drift), or
    None. Steps at or before ``after_step`` are refused, so a code works once."""
    code = (code or "").strip().replace(" ", "")
    if len(code) != DIGITS or not code.isdigit():
        return None
    now = step_at(moment)
    for step in range(now - window, now + window + 1):
        if step > after_step and hmac.compare_digest(hotp(secret, step), code):
            return step
    return None


def otpauth_uri(secret: str, account: str, issuer: str = "调度 Diaodu") -> str:
    label = quote(f"{issuer}:{account}")
    query = urlencode({"secret": secret, "issuer": issuer, "algorithm": "SHA1", "digits": DIGITS, "period": STEP},
                      quote_via=quote)
    return f"otpauth://totp/{label}?{query}"


def qr_svg(uri: str) -> str:
    """The otpauth URI as an inline SVG QR code for the authenticator app to scan (drawn here: the
    intranet reaches no QR service)."""
    return segno.make(uri, error="m").svg_inline(scale=4, border=2, svgclass="qr", lineclass=None,
                                                  omitsize=False, title="动态口令二维码")
