from django.urls import path

from diaodu.dashboard import landing, profile, screen, views

app_name = "dashboard"
urlpatterns = [
    path("", views.home, name="home"),
    path("indicator/<slug:code>/", views.indicator, name="indicator"),
    path("counties/", views.counties, name="counties"),
    path("province/", views.province, name="province"),
    path("gap/", views.gap, name="gap"),
    path("start/", landing.start, name="start"),
    path("county/<slug:code>/", profile.county, name="county"),
    path("screen/", screen.screen, name="screen"),
    path("screen/state.json", screen.state, name="screen_state"),
    path("source/", views.source, name="source"),
    path("maps/<slug:name>.json", views.map_file, name="map"),
]
