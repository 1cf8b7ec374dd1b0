"""Template context shared by every page."""

from django.conf import settings


def site(request):
    return {
        "DEMO_MODE": getattr(settings, "DIAODU_DEMO_LOADED", False) or settings.DEMO_MODE,
        "HOME_REGION": settings.DIAODU_HOME_REGION,
    }
