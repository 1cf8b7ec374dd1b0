from django.urls import path

from diaodu.dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("", views.home, name="home"),
]
