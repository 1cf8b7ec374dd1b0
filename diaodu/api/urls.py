from django.urls import path, re_path
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import IsAuthenticated

from diaodu.api import views
from diaodu.api.ledgers import alias_urls, make_views
from diaodu.core.ledgers import api_ledgers

app_name = "api"


class SchemaView(SpectacularJSONAPIView):
    """The schema lists every operation: for signed-in users and token holders only."""

    public_schema = True
    permission_classes = [IsAuthenticated]


class DocsView(SpectacularSwaggerSplitView):
    public_schema = True
    permission_classes = [IsAuthenticated]


urlpatterns = [
    path("schema", SchemaView.as_view(), name="schema"),
    path("docs", DocsView.as_view(url_name="api:schema"), name="docs"),
    path("regions", views.RegionList.as_view(), name="regions"),
    path("indicators", views.IndicatorList.as_view(), name="indicators"),
    path("figures", views.FigureList.as_view(), name="figures"),
    path("figures/review", views.FigureReview.as_view(), name="figure_review"),
    path("figures/<int:pk>", views.FigureDetail.as_view(), name="figure"),
    path("targets", views.TargetList.as_view(), name="targets"),
    path("responsibilities", views.ResponsibilityList.as_view(), name="responsibilities"),
    path("results/ranks", views.Ranks.as_view(), name="ranks"),
    path("results/forecasts", views.Forecasts.as_view(), name="forecasts"),
    path("results/gaps", views.Gaps.as_view(), name="gaps"),
    path("results/evaluation", views.Evaluation.as_view(), name="evaluation"),
    path("tasks", views.TaskList.as_view(), name="tasks"),
    path("tasks/<int:pk>", views.TaskDetail.as_view(), name="task"),
    path("tasks/<int:pk>/feedback", views.TaskFeedback.as_view(), name="task_feedback"),
    path("tasks/<int:pk>/transition", views.TaskTransition.as_view(), name="task_transition"),
]
for _ledger in api_ledgers():  # one pair of routes per LedgerSpec with ``api`` set
    _list, _detail = make_views(_ledger)
    urlpatterns += [
        path(f"ledgers/{_ledger.slug}", _list.as_view(), name=f"{_ledger.slug}"),
        path(f"ledgers/{_ledger.slug}/<int:pk>", _detail.as_view(), name=f"{_ledger.slug}_detail"),
        *alias_urls(_ledger),
    ]
urlpatterns.append(re_path(r"^.*$", views.NotFoundView.as_view(), name="not_found"))
