"""The OpenAPI schema: every operation documents the one error shape."""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import inline_serializer
from rest_framework import serializers

ERROR = inline_serializer(
    name="Error",
    fields={
        "error": inline_serializer(
            name="ErrorDetail",
            fields={
                "code": serializers.CharField(help_text="invalid, not_authenticated, forbidden, not_found, conflict …"),
                "message": serializers.CharField(help_text="中文说明"),
                "fields": serializers.DictField(child=serializers.ListField(child=serializers.CharField()),
                                                help_text="字段 → 原因"),
            },
        )
    },
)
ERROR_DESCRIPTIONS = {
    "400": "提交的数据有误", "401": "未登录或令牌无效", "403": "超出本单位权限",
    "404": "未找到或无权查看", "405": "不支持该请求方法", "406": "无法提供所请求的格式",
    "409": "版本冲突：记录已被他人修改", "415": "不支持的内容类型",
}


class DiaoduSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        public = getattr(self.view, "public_schema", False)
        codes = ["400", "404", "405", "406"] if public else ["400", "401", "403", "404", "405", "406"]
        if self.method in ("POST", "PUT", "PATCH"):
            codes += ["409", "415"]
        for code in codes:
            if code not in responses:
                response = self._get_response_for_code(ERROR, code, direction=direction)
                response["description"] = ERROR_DESCRIPTIONS[code]
                responses[code] = response
        return responses


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "diaodu.api.auth.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "Authorization",
                "description": "Token 密钥（diaodu api-token 用户名 生成）"}
