from django.urls import path

from diaodu.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.records, name="records"),
    path("export.xlsx", views.download, {"fmt": "xlsx"}, name="export_xlsx"),
    path("export.csv", views.download, {"fmt": "csv"}, name="export_csv"),
]
