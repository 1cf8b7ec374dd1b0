from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("data/", include("diaodu.indicators.urls")),
    path("import/", include("diaodu.ingest.urls")),
    path("", include("diaodu.dashboard.urls")),
]
