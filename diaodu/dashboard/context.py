"""Template context shared by every page, and the per-process memory of slowly changing facts."""

import time

from django.conf import settings

from diaodu.org.home import home_code

_RECENT: dict[str, tuple[object, float]] = {}


def recent(name: str, read):
    """``read()``, re-read at most every DIAODU_FINGERPRINT_SECONDS per process (0: every call).

    For facts every page view needs and that change only with a publication or a demo load: under
    load a page view then costs no query for them; a change shows at most that many seconds later.
    """
    ttl = settings.DIAODU_FINGERPRINT_SECONDS
    now = time.monotonic()
    hit = _RECENT.get(name)
    if hit is None or ttl <= 0 or now - hit[1] >= ttl:
        hit = _RECENT[name] = (read(), now)
    return hit[0]


def site(request):
    from diaodu.demo.models import DemoDataset
    from diaodu.org.models import Role
    from diaodu.org.scopes import scope_for

    return {
        "CAN_AUDIT": scope_for(request.user).has(Role.AUDITOR),
        # Every page of a demo database carries the 演示数据 label.
        "DEMO_MODE": settings.DEMO_MODE or recent("demo", DemoDataset.objects.exists),
        "HOME_REGION": home_code(),
    }
