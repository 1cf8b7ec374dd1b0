"""Template context shared by every page."""

from django.conf import settings


def site(request):
    from diaodu.demo.models import DemoDataset

    return {
        # Every page of a demo database carries the 演示数据 label.
        "DEMO_MODE": settings.DEMO_MODE or DemoDataset.objects.exists(),
        "HOME_REGION": settings.DIAODU_HOME_REGION,
    }
