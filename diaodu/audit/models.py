"""Change records and login records: append-only and hash-chained (统计法 全程留痕).

Three layers keep them unchanged:
- the model refuses ``save()`` of an existing row and ``delete()``;
- the manager's QuerySet refuses ``update()`` and ``delete()``;
- database triggers refuse UPDATE and DELETE (``diaodu.audit.triggers``),
and whatever still gets through (a DBA's raw SQL with the triggers dropped)
breaks the hash chain that ``diaodu audit verify`` checks.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from django.conf import settings
from django.db import models


def _utc(moment: dt.datetime) -> str:
    """A datetime as hashed: in UTC, as the database gives it back."""
    return moment.astimezone(dt.UTC).isoformat()


class AppendOnlyError(Exception):
    """Audit records are never changed or deleted through the application."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("审计记录只能追加，不能修改。")

    def delete(self):
        raise AppendOnlyError("审计记录只能追加，不能删除。")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyError("审计记录只能追加，不能修改。")

    def update_or_create(self, defaults=None, create_defaults=None, **kwargs):
        raise AppendOnlyError("审计记录只能追加，不能修改。")

    def _raw_delete(self, using):
        raise AppendOnlyError("审计记录只能追加，不能删除。")


class AppendOnlyModel(models.Model):
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("审计记录只能追加，不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("审计记录只能追加，不能删除。")

    def hashed_fields(self) -> list:
        raise NotImplementedError

    def payload(self) -> str:
        """The canonical text the hash covers (the previous record's hash included)."""
        return json.dumps(
            [*self.hashed_fields(), self.prev_hash], ensure_ascii=False, sort_keys=True, default=str
        )

    def compute_hash(self) -> str:
        return hashlib.sha256(self.payload().encode()).hexdigest()


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
    # No database constraint and no cascade: deleting a user never touches
    # audit rows (the username is kept in its own column).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="用户", null=True, on_delete=models.DO_NOTHING,
        db_constraint=False, related_name="+",
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

    class Meta:
        verbose_name = "变更记录"
        verbose_name_plural = "变更记录"
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.time:%Y-%m-%d %H:%M} {self.username} {self.get_action_display()} {self.object_repr}"

    def hashed_fields(self) -> list:
        return [
            _utc(self.time),
            self.username,
            self.action,
            self.object_type,
            self.object_id,
            self.object_repr,
            self.before,
            self.after,
            self.reason,
            self.source,
        ]


class LoginRecord(AppendOnlyModel):
    """Every login, logout, failed login, lock and password change (time, user, event, outcome)."""

    class Event(models.TextChoices):
        LOGIN = "login", "登录"
        LOGOUT = "logout", "退出"
        FAILED = "failed", "登录失败"
        OTP_FAILED = "otp_failed", "动态口令错误"
        LOCKED = "locked", "账户锁定"
        REFUSED = "refused", "锁定期间拒绝登录"
        UNLOCKED = "unlocked", "解除锁定"
        PASSWORD = "password", "修改密码"
        OTP_ENROLLED = "otp_enrol", "绑定动态口令"

    time = models.DateTimeField("时间", db_index=True)
    username = models.CharField("用户名", max_length=150, db_index=True)
    event = models.CharField("事件", max_length=12, choices=Event.choices)
    ip = models.GenericIPAddressField("IP", null=True, blank=True)
    user_agent = models.CharField("浏览器", max_length=200, blank=True)
    detail = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "登录记录"
        verbose_name_plural = "登录记录"
        ordering = ["-id"]
        indexes = [models.Index(fields=["username", "time"], name="audit_login_user_time")]

    def __str__(self) -> str:
        return f"{self.time:%Y-%m-%d %H:%M} {self.username} {self.get_event_display()}"

    def hashed_fields(self) -> list:
        return [_utc(self.time), self.username, self.event, self.ip, self.user_agent, self.detail]


class ChainAnchor(AppendOnlyModel):
    """Where a chain starts after ``diaodu audit prune``: the hash of the last
    pruned record, so the first kept record still links to something known."""

    class Chain(models.TextChoices):
        CHANGE = "change", "变更记录"
        LOGIN = "login", "登录记录"

    time = models.DateTimeField("清理时间")
    chain = models.CharField("记录类别", max_length=10, choices=Chain.choices)
    last_id = models.BigIntegerField("最后清理的记录")
    last_hash = models.CharField("其哈希", max_length=64)
    before = models.DateTimeField("清理此前的记录")
    count = models.PositiveIntegerField("清理条数")
    username = models.CharField("操作人", max_length=150)

    class Meta:
        verbose_name = "审计链锚点"
        verbose_name_plural = "审计链锚点"
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.get_chain_display()} 清理至 #{self.last_id}"

    def hashed_fields(self) -> list:
        return [_utc(self.time), self.chain, self.last_id, self.last_hash, _utc(self.before),
                self.count, self.username]
