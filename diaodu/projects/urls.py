from django.urls import path

from diaodu.projects import views

app_name = "projects"
urlpatterns = [
    path("", views.project_list, name="list"),
    path("new/", views.project_new, name="new"),
    path("<int:pk>/", views.project_detail, name="detail"),
    path("<int:pk>/edit/", views.project_edit, name="edit"),
    path("<int:pk>/progress/", views.project_progress, name="progress"),
    path("behind/", views.behind, name="behind"),
    path("idle/", views.idle, name="idle"),
    path("not-started/", views.not_started, name="not_started"),
    path("statistics/", views.statistics, name="statistics"),
    path("counties/", views.counties, name="counties"),
    path("reserve/", views.reserve, name="reserve"),
]
