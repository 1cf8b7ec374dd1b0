"""Template context shared by every page."""

from django.conf import settings

from diaodu.core.caching import recent
from diaodu.org.home import home_code


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
