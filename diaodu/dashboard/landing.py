"""Where a user lands after signing in, and which menus they see: each role where it works."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import reverse

from diaodu.org.models import Region, Role
from diaodu.org.scopes import WRITE_ROLES, scope_for


def start_page(user) -> str:
    """总览 for leaders and administrators; the review queue for 统计局 (数据审核); the task board for
    the supervising office; a county clerk's own county (一县一档: its figures and tasks); a
    department clerk's inbox of tasks; the audit records for an auditor."""
    scope = scope_for(user)
    if scope.has(Role.ADMIN) or scope.has(Role.LEADER):
        return reverse("dashboard:home")
    if scope.has(Role.APPROVE):
        return reverse("indicators:queue")
    from diaodu.supervision.flow import actor_for

    if actor_for(user).office:
        return "/tasks/"
    if scope.has(Role.ENTER):
        if scope.unit_region and Region.objects.filter(code=scope.unit_region, level=Region.Level.COUNTY).exists():
            return reverse("dashboard:county", args=[scope.unit_region])
        return "/tasks/"
    if scope.has(Role.AUDITOR):
        return reverse("audit:records")
    return reverse("dashboard:home")


@login_required
def start(request):
    return redirect(start_page(request.user))


def menus(user) -> dict:
    """Which menus a user can use: ledgers and entry for those who write, the queue for those who
    write or approve, the big screen for leaders."""
    scope = scope_for(user)
    writes = bool(scope.roles & WRITE_ROLES)
    only_audits = scope.roles == frozenset({Role.AUDITOR})
    return {"entry": writes, "ledgers": not only_audits, "screen": bool(scope.roles & {Role.LEADER, Role.ADMIN})}
