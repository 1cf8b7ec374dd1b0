from django.urls import path

from diaodu.industry import views

app_name = "industry"
urlpatterns = [
    path("", views.index, name="index"),
    path("chains/<slug:code>/", views.chain, name="chain"),
    path("parks/", views.parks, name="parks"),
]
