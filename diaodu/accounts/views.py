"""Login in two steps (password, then the authenticator's code where required),
enrolment of an authenticator, and the password change an expired password forces."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters

from diaodu.accounts import policy, totp
from diaodu.accounts.forms import CodeForm, LoginForm
from diaodu.accounts.models import TOTPDevice
from diaodu.accounts.policy import EXPIRED_KEY
from diaodu.audit.models import LoginRecord
from diaodu.audit.records import record_login

PENDING_KEY = "diaodu_pending_login"
PENDING_SECONDS = 300  # the second step must follow the password within five minutes


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        if not policy.needs_second_factor(user):
            return super().form_valid(form)
        self.request.session[PENDING_KEY] = {
            "uid": user.pk, "backend": user.backend, "at": time.time(), "next": self.get_success_url(),
        }
        return redirect("otp_verify" if policy.has_device(user) else "otp_enrol")


def _pending_user(request):
    pending = request.session.get(PENDING_KEY)
    if not pending or time.time() - pending["at"] > PENDING_SECONDS:
        request.session.pop(PENDING_KEY, None)
        return None, None
    user = get_user_model().objects.filter(pk=pending["uid"], is_active=True).first()
    return user, pending


def _finish(request, user, pending):
    request.session.pop(PENDING_KEY, None)
    auth_login(request, user, backend=pending["backend"])
    target = pending.get("next") or settings.LOGIN_REDIRECT_URL
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        target = settings.LOGIN_REDIRECT_URL
    return redirect(target)


def _code_failed(request, user, form):
    record_login(LoginRecord.Event.OTP_FAILED, user.get_username(), request)
    until = policy.after_failure(user.get_username(), request)
    if until:
        request.session.pop(PENDING_KEY, None)
        messages.error(request, policy.lock_message(user.get_username(), until))
        return redirect("login")
    form.add_error("code", "动态口令不正确或已使用，请输入验证器中当前显示的 6 位数字。")
    return None


@sensitive_post_parameters()
@csrf_protect
@never_cache
def otp_verify(request):
    user, pending = _pending_user(request)
    if user is None:
        messages.error(request, "登录已超时，请重新输入用户名和密码。")
        return redirect("login")
    until = policy.locked_until(user.get_username(), request=request)
    if until:
        request.session.pop(PENDING_KEY, None)
        messages.error(request, policy.lock_message(user.get_username(), until))
        return redirect("login")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device and device.verify(form.cleaned_data["code"]):
            return _finish(request, user, pending)
        response = _code_failed(request, user, form)
        if response:
            return response
    return render(request, "registration/otp_verify.html", {"form": form, "username": user.get_username()})


@sensitive_post_parameters()
@csrf_protect
@never_cache
def otp_enrol(request):
    """Bind an authenticator: during a login that requires one (管理员), or from
    the signed-in user's own page. The secret is shown as text and as an
    otpauth:// URI (no external QR service)."""
    if request.user.is_authenticated:
        user, pending = request.user, None
    else:
        user, pending = _pending_user(request)
        if user is None:
            messages.error(request, "登录已超时，请重新输入用户名和密码。")
            return redirect("login")
    device, _ = TOTPDevice.objects.get_or_create(user=user, defaults={"secret": totp.random_secret()})
    if device.confirmed and pending is not None:
        return redirect("otp_verify")
    if device.confirmed:  # never show an enabled secret again
        return render(request, "registration/otp_enrol.html", {"username": user.get_username(), "enabled": True})
    if request.method != "POST":
        # A new secret at every showing: one seen by someone else earlier (who had
        # the password but not the phone) is worthless once the owner binds.
        device.secret = totp.random_secret()
        device.last_step = -1
        device.save(update_fields=["secret", "last_step"])
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify(form.cleaned_data["code"]):
            if not device.confirmed:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                record_login(LoginRecord.Event.OTP_ENROLLED, user.get_username(), request)
            if pending is not None:
                return _finish(request, user, pending)
            messages.success(request, "动态口令已启用：以后登录时须输入验证器中的 6 位数字。")
            return redirect(settings.LOGIN_REDIRECT_URL)
        response = _code_failed(request, user, form)
        if response:
            return response
    uri = totp.otpauth_uri(device.secret, user.get_username())
    return render(request, "registration/otp_enrol.html", {
        "form": form, "username": user.get_username(), "device": device,
        "secret_groups": " ".join(device.secret[i:i + 4] for i in range(0, len(device.secret), 4)),
        "uri": uri,
        # segno's own markup of a URI built here: no user text reaches it unescaped
        "qr": mark_safe(totp.qr_svg(uri)),
        "required": pending is not None,
    })


class PasswordChangeView(auth_views.PasswordChangeView):
    success_url = reverse_lazy("password_change_done")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["expired"] = bool(self.request.session.get(EXPIRED_KEY))
        context["max_age_days"] = settings.DIAODU_PASSWORD_MAX_AGE_DAYS
        return context

    def form_valid(self, form):
        response = super().form_valid(form)
        self.request.session.pop(EXPIRED_KEY, None)
        record_login(LoginRecord.Event.PASSWORD, self.request.user.get_username(), self.request)
        return response


@login_required
def password_change_done(request):
    messages.success(request, "密码已修改。")
    return redirect(settings.LOGIN_REDIRECT_URL)


def admin_login(request):
    """The admin site signs in through the same two-step login. A signed-in user the
    admin turned away (not staff) gets a 403 page, not a loop back to the login."""
    if request.user.is_authenticated:
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied("配置后台仅供管理员使用：您的账户没有进入配置后台的权限。")
    query = request.META.get("QUERY_STRING", "")
    return redirect(reverse("login") + (f"?{query}" if query else ""))


@login_required
def locks(request):
    """管理员 lift login locks in the web (the CLI's ``diaodu unlock`` stays for the last one)."""
    from django.core.exceptions import PermissionDenied

    from diaodu.org import scopes

    if not scopes.can_configure(request.user):
        raise PermissionDenied("解除登录锁定须“管理员”角色。")
    if request.method == "POST":
        username = request.POST.get("username", "")[:150]
        if policy.unlock(username, by=f"管理员 {request.user.get_username()}（网页）", request=request):
            messages.success(request, f"已解除账户“{username}”的锁定。")
        else:
            messages.info(request, f"账户“{username}”未被锁定。")
        return redirect("login_locks")
    return render(request, "registration/locks.html", {"locks": policy.current_locks()})
