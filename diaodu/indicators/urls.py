from django.urls import path

from diaodu.indicators import views

app_name = "indicators"
urlpatterns = [
    path("", views.figures, name="figures"),
    path("catalogue/", views.indicator_list, name="catalogue"),
    path("responsibilities/", views.responsibilities, name="responsibilities"),
    path("queue/", views.queue, name="queue"),
    path("release/", views.release, name="release"),
    path("review/", views.review, name="review"),
    path("entry/", views.entry, name="entry"),
    path("progress/", views.progress_page, name="progress"),
    path("entry/check/", views.entry_check, name="entry_check"),
    path("figure/<int:pk>/", views.figure_detail, name="figure"),
    path("figure/<int:pk>/edit/", views.figure_edit, name="figure_edit"),
    path("revision/<int:pk>/<str:action>/", views.revision_action, name="revision_action"),
]
