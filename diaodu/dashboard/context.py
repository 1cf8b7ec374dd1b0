"""Template context shared by every page."""

from django.conf import settings


def site(request):
    from diaodu.demo.models import DemoDataset
    from diaodu.org.models import Role
    from diaodu.org.scopes import scope_for

    return {
        "CAN_AUDIT": scope_for(request.user).has(Role.AUDITOR),
        # Every page of a demo database carries the 演示数据 label.
        "DEMO_MODE": settings.DEMO_MODE or DemoDataset.objects.exists(),
        "HOME_REGION": settings.DIAODU_HOME_REGION,
    }
