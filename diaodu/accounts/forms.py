from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from diaodu.accounts import policy
from diaodu.audit.models import LoginRecord
from diaodu.audit.records import record_login


class LoginForm(AuthenticationForm):
    """Django's login form with the lock checked first and Chinese messages."""

    error_messages = {
        "invalid_login": "用户名或密码不正确，请重试。",
        "inactive": "该账户已停用，请联系管理员。",
    }

    def clean(self):
        username = (self.cleaned_data.get("username") or "").strip()
        blocked = policy.address_blocked_until(self.request)
        if blocked:
            record_login(LoginRecord.Event.REFUSED, username, self.request, detail="地址因多次登录失败被暂停")
            raise forms.ValidationError(policy.address_message(blocked), code="locked")
        until = policy.locked_until(username, request=self.request)
        if until:
            record_login(LoginRecord.Event.REFUSED, username, self.request)
            raise forms.ValidationError(policy.lock_message(username, until), code="locked")
        try:
            return super().clean()
        except forms.ValidationError:
            until = policy.locked_until(username, request=self.request)  # this failure may have been the fifth
            if until:
                raise forms.ValidationError(policy.lock_message(username, until), code="locked")
            raise


class CodeForm(forms.Form):
    code = forms.CharField(label="动态口令", max_length=8, min_length=6,
                           widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                                         "autofocus": True}))
