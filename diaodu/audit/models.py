"""Change records and login records: append-only and hash-chained (统计法 全程留痕)."""

from __future__ import annotations

import hashlib
import json

from django.conf import settings
from django.db import models


class AppendOnlyError(Exception):
    """Audit records are never changed or deleted through the application."""


class AppendOnlyModel(models.Model):
    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("审计记录只能追加，不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("审计记录只能追加，不能删除。")


class ChangeRecord(AppendOnlyModel):
    """Who changed what, when, from what to what, and why."""

    class Action(models.TextChoices):
        CREATE = "create", "新增"
        UPDATE = "update", "修改"
        DELETE = "delete", "删除"
        APPROVE = "approve", "审核"
        PUBLISH = "publish", "发布"
        REJECT = "reject", "退回"
        IMPORT = "import", "导入"

    time = models.DateTimeField("时间", db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="用户", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    username = models.CharField("用户名", max_length=150)
    action = models.CharField("操作", max_length=10, choices=Action.choices)
    object_type = models.CharField("对象类型", max_length=60, db_index=True)
    object_id = models.CharField("对象", max_length=64, db_index=True)
    object_repr = models.CharField("对象名称", max_length=200)
    before = models.JSONField("修改前", null=True, blank=True)
    after = models.JSONField("修改后", null=True, blank=True)
    reason = models.CharField("原因", max_length=300, blank=True)
    source = models.CharField("途径", max_length=20, default="web")
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = "变更记录"
        verbose_name_plural = "变更记录"
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.time:%Y-%m-%d %H:%M} {self.username} {self.get_action_display()} {self.object_repr}"

    def payload(self) -> str:
        """The canonical text the hash covers."""
        return json.dumps(
            [
                self.time.isoformat(),
                self.username,
                self.action,
                self.object_type,
                self.object_id,
                self.object_repr,
                self.before,
                self.after,
                self.reason,
                self.source,
                self.prev_hash,
            ],
            ensure_ascii=False,
            sort_keys=True,
            default=str,
        )

    def compute_hash(self) -> str:
        return hashlib.sha256(self.payload().encode()).hexdigest()


class LoginRecord(AppendOnlyModel):
    """Every login, logout and failed login."""

    class Event(models.TextChoices):
        LOGIN = "login", "登录"
        LOGOUT = "logout", "退出"
        FAILED = "failed", "登录失败"

    time = models.DateTimeField("时间", db_index=True)
    username = models.CharField("用户名", max_length=150, db_index=True)
    event = models.CharField("事件", max_length=10, choices=Event.choices)
    ip = models.GenericIPAddressField("IP", null=True, blank=True)
    user_agent = models.CharField("浏览器", max_length=200, blank=True)

    class Meta:
        verbose_name = "登录记录"
        verbose_name_plural = "登录记录"
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.time:%Y-%m-%d %H:%M} {self.username} {self.get_event_display()}"
