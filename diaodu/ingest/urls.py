from django.urls import path

from diaodu.ingest import views

app_name = "ingest"
urlpatterns = [
    path("", views.upload, name="upload"),
    path("confirm/", views.confirm, name="confirm"),
    path("template.xlsx", views.template, name="template"),
]
