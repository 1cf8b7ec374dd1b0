from django.urls import path

from diaodu.enterprises import views

app_name = "enterprises"
urlpatterns = [
    path("", views.index, name="index"),
    path("stopped/", views.stopped, name="stopped"),
    path("candidates/", views.candidates, name="candidates"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
]
