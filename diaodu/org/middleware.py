"""Before ``diaodu setup-city`` no page knows which city it serves: every page but sign-in, the
admin and the API says what to run, instead of failing on a missing home city."""

from __future__ import annotations

from django.shortcuts import render

from diaodu.core.caching import recent
from diaodu.org.home import home_region

OPEN_PREFIXES = ("/accounts/", "/admin/", "/api/", "/static/", "/audit/")


class HomeCityMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(OPEN_PREFIXES) and not recent("home-city-ready", _home_city_ready):
            return render(request, "no_home_city.html", status=200)
        return self.get_response(request)


def _home_city_ready() -> bool:
    return home_region() is not None
