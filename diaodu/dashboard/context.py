"""Template context shared by every page, and the per-process memory of slowly changing facts."""

from django.conf import settings

from diaodu.core.caching import remember
from diaodu.org.home import home_code


def recent(name: str, read):
    """``read()``, re-read at most every DIAODU_FINGERPRINT_SECONDS per process (0: every call).

    For facts every page view needs and that change only with a publication or a demo load: under
    load a page view then costs no query for them; a change shows at most that many seconds later.
    Kept in the process's own cache (``local``): a shared cache would cost a round trip per view.
    """
    ttl = settings.DIAODU_FINGERPRINT_SECONDS
    if ttl <= 0:
        return read()
    return remember("local", f"recent:{name}", read, ttl)


def site(request):
    from diaodu.dashboard.landing import menus
    from diaodu.demo.models import DemoDataset
    from diaodu.org.models import Role
    from diaodu.org.scopes import scope_for

    return {
        "CAN_AUDIT": scope_for(request.user).has(Role.AUDITOR),
        # Every page of a demo database carries the 演示数据 label.
        "DEMO_MODE": settings.DEMO_MODE or recent("demo", DemoDataset.objects.exists),
        "HOME_REGION": home_code(),
        "MENUS": menus(request.user) if request.user.is_authenticated else {},
    }
