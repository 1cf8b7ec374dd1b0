from django.urls import path

from diaodu.fiscal import views

app_name = "fiscal"
urlpatterns = [
    path("", views.index, name="index"),
    path("gap/", views.gap, name="gap"),
    path("parcels/", views.parcels, name="parcels"),
    path("bonds/", views.bonds, name="bonds"),
]
