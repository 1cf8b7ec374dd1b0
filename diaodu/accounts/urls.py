from django.contrib.auth import views as auth_views
from django.urls import path

from diaodu.accounts import views

# Names are Django's own (login, logout, password_change …), without a namespace.
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("login/code/", views.otp_verify, name="otp_verify"),
    path("otp/", views.otp_enrol, name="otp_enrol"),
    path("locks/", views.locks, name="login_locks"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password_change/", views.PasswordChangeView.as_view(), name="password_change"),
    path("password_change/done/", views.password_change_done, name="password_change_done"),
]
