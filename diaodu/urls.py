from django.contrib import admin
from django.urls import include, path

from diaodu.accounts.views import admin_login

urlpatterns = [
    path("accounts/", include("diaodu.accounts.urls")),
    path("admin/login/", admin_login),
    path("admin/", admin.site.urls),
    path("api/", include("diaodu.api.urls")),
    path("audit/", include("diaodu.audit.urls")),
    path("data/", include("diaodu.indicators.urls")),
    path("import/", include("diaodu.ingest.urls")),
    path("ledgers/", include("diaodu.core.ledger_views")),
    path("projects/", include("diaodu.projects.urls")),
    path("investment/", include("diaodu.investment.urls")),
    path("enterprises/", include("diaodu.enterprises.urls")),
    path("fiscal/", include("diaodu.fiscal.urls")),
    path("industry/", include("diaodu.industry.urls")),
    path("tasks/", include("diaodu.supervision.urls")),
    path("briefings/", include("diaodu.briefings.urls")),
    path("", include("diaodu.dashboard.urls")),
]

handler400 = "diaodu.core.params.bad_request"
