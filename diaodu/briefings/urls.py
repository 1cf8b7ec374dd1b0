from django.urls import path

from diaodu.briefings import views

app_name = "briefings"
urlpatterns = [
    path("", views.index, name="index"),
    path("download/<slug:kind>/<slug:fmt>/", views.download, name="download"),
]
