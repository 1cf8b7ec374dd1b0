from django.urls import path

from diaodu.investment import views

app_name = "investment"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.new, name="new"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/arrival/", views.arrival, name="arrival"),
]
