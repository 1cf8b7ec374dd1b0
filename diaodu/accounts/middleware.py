"""Forced password change after expiry, and the security headers every response carries."""

from __future__ import annotations

import contextvars
import secrets

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from diaodu.accounts.policy import EXPIRED_KEY

_REQUEST = contextvars.ContextVar("diaodu_request", default=None)


def current_request():
    """The request being served in this thread (None outside one: the CLI, tests' direct calls)."""
    return _REQUEST.get()


class ActorMiddleware:
    """Keeps the request within reach of model signals, so a change made through
    any view (the admin's password page included) is recorded under who made it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _REQUEST.set(request)
        try:
            return self.get_response(request)
        finally:
            _REQUEST.reset(token)


class PasswordExpiryMiddleware:
    """While a signed-in user's password is expired, every page leads to the change form."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and session.get(EXPIRED_KEY) and request.user.is_authenticated:
            allowed = (reverse("password_change"), reverse("logout"), settings.STATIC_URL)
            if not request.path.startswith(allowed):
                return redirect("password_change")
        return self.get_response(request)


class SecurityHeadersMiddleware:
    """Content-Security-Policy and Permissions-Policy. Scripts: this site's own
    files, and an inline ``<script nonce="{{ request.csp_nonce }}">`` where a
    page needs one (never an on* attribute); styles: own files and style
    attributes. Django's SecurityMiddleware and XFrameOptionsMiddleware set the
    rest (nosniff, Referrer-Policy, X-Frame-Options, COOP)."""

    CSP = "; ".join([
        "default-src 'self'",
        "script-src 'self' 'nonce-{nonce}'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ])
    PERMISSIONS = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.csp_nonce = secrets.token_urlsafe(16)
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.CSP.format(nonce=request.csp_nonce))
        response.headers.setdefault("Permissions-Policy", self.PERMISSIONS)
        return response
