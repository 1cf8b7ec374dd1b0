"""One error shape for every API failure (Zulip's JsonableError habit):

    {"error": {"code": "conflict", "message": "中文说明", "fields": {"field": ["原因"]}}}

400 invalid input, 401 not signed in, 403 outside the user's scope, 404 not
found (or not readable), 405/406/415 protocol, 409 stale version.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from diaodu.core.write_path import ConflictError as LedgerConflict
from diaodu.indicators.actions import ConflictError as FigureConflict
from diaodu.indicators.validation import RuleViolations

MESSAGES = {
    400: "提交的数据有误。",
    401: "未登录或令牌无效。",
    403: "无权执行该操作。",
    404: "未找到，或无权查看。",
    405: "不支持该请求方法。",
    406: "无法提供所请求的格式。",
    409: "记录已被他人修改，请刷新后重试。",
    415: "不支持的内容类型：请使用 application/json。",
    429: "请求过于频繁，请稍后再试。",
}
CODES = {400: "invalid", 401: "not_authenticated", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
         406: "not_acceptable", 409: "conflict", 415: "unsupported_media_type", 429: "throttled"}


class Invalid(exceptions.APIException):
    """A 400 with field-keyed reasons, raised by the API's own checks."""

    status_code = 400

    def __init__(self, message: str, fields: dict | None = None):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


def flatten(detail, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail as {"figures[0].period": ["…"]}."""
    out: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = str(key) if not prefix else f"{prefix}.{key}"
            if key == "non_field_errors" and not prefix:
                name = "__all__"
            for k, v in flatten(value, name).items():
                out.setdefault(k, []).extend(v)
    elif isinstance(detail, list) and detail and all(isinstance(d, (dict, list)) for d in detail):
        for i, value in enumerate(detail):
            for k, v in flatten(value, f"{prefix}[{i}]").items():
                out.setdefault(k, []).extend(v)
    elif isinstance(detail, list):
        out[prefix or "__all__"] = [str(d) for d in detail]
    elif detail is not None:
        out[prefix or "__all__"] = [str(detail)]
    return {k: v for k, v in out.items() if v}


def error_body(status_code: int, message: str, fields: dict | None = None, code: str | None = None) -> dict:
    return {"error": {"code": code or CODES.get(status_code, "error"), "message": message,
                      "fields": fields or {}}}


def exception_handler(exc, context):
    if isinstance(exc, (FigureConflict, LedgerConflict)):
        return Response(error_body(409, str(exc)), status=409)
    if isinstance(exc, RuleViolations):  # blocking rules, or warnings sent without accept_warnings
        shown = exc.blocking or exc.warnings
        code = "rule_violation" if exc.blocking else "rule_warning"
        return Response(error_body(400, str(exc), {"figures": [v["message"] for v in shown]}, code=code), status=400)
    if isinstance(exc, DjangoValidationError):
        fields = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        fields = {("__all__" if k == "__all__" else k): [str(m) for m in v] for k, v in fields.items()}
        message = "；".join(m for v in fields.values() for m in v) or MESSAGES[400]
        return Response(error_body(400, message, fields), status=400)
    if isinstance(exc, Invalid):
        return Response(error_body(400, exc.message, exc.fields), status=400)
    if isinstance(exc, Http404):
        return Response(error_body(404, MESSAGES[404]), status=404)
    if isinstance(exc, PermissionDenied):  # ScopeError included: its message names the rule
        return Response(error_body(403, str(exc) or MESSAGES[403]), status=403)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # a bug: Django's 500 (logged)
    code = response.status_code
    if isinstance(exc, exceptions.ValidationError):
        fields = flatten(exc.detail)
        message = MESSAGES[400]
        if fields:
            first_key, first = next(iter(fields.items()))
            message = f"{MESSAGES[400]}{'' if first_key == '__all__' else first_key + '：'}{first[0]}"
        response.data = error_body(400, message, fields)
    else:
        detail = getattr(exc, "detail", None)
        message = str(detail) if isinstance(detail, str) and detail else MESSAGES.get(code, "请求失败。")
        if code in (401, 403, 404, 405, 406, 415, 429) and isinstance(exc, (
                exceptions.NotAuthenticated, exceptions.NotFound, exceptions.MethodNotAllowed,
                exceptions.NotAcceptable, exceptions.UnsupportedMediaType)):
            message = MESSAGES[code]
        response.data = error_body(code, message)
    if code == status.HTTP_401_UNAUTHORIZED:
        response.data["error"]["code"] = "not_authenticated"
    return response
