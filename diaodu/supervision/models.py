"""Supervision (督查督办): meetings, tasks (交办事项, 一事一单), feedback, accountability.

A task is handed out at a meeting (or by a document, a leader's instruction, a
lagging indicator), owned by one or more lead units (牵头单位) with co-units
(配合单位), and followed through the flow in ``diaodu.supervision.flow``.
Every write goes through ``diaodu.supervision.actions``.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from diaodu.core.models import OwnedLedger
from diaodu.org.models import Department, Region


class SupervisionSettings(models.Model):
    """The office's configuration: warning thresholds, the indicator rule, the clock.

    One row (pk=1); ``SupervisionSettings.get()`` creates it with the defaults.
    """

    blue_days = models.PositiveSmallIntegerField(
        "蓝色预警天数", default=7, help_text="距办理期限不超过该天数时亮蓝灯")
    yellow_points = models.FloatField(
        "黄色预警差距（百分点）", default=10.0,
        help_text="数量完成率低于序时进度超过该百分点时亮黄灯")
    indicator_red_points = models.FloatField(
        "指标红灯差距（百分点）", default=5.0,
        help_text="总量完成率低于序时进度超过该百分点，或增速低于目标增速超过下一项，视为红灯指标")
    indicator_red_growth_points = models.FloatField("指标红灯增速差距（百分点）", default=2.0)
    indicator_tasks_enabled = models.BooleanField(
        "红灯指标自动生成督办事项", default=False,
        help_text="启用后，diaodu tasks sync-indicators 为红灯指标的责任单位开单，指标恢复后自动办结")
    indicator_owners = models.JSONField(
        "指标责任部门", default=dict, blank=True,
        help_text="指标代码 → 部门代码，例如 {\"fai\": \"fgw\"}；为空时用内置对照表")
    office_department = models.CharField(
        "督查部门代码", max_length=20, default="zfb", help_text="负责交办、复核、办结的部门（默认市政府办公室）")
    clock_date = models.DateField(
        "演示日期", null=True, blank=True,
        help_text="设置后，预警与倒计时按此日期计算（演示数据用）；环境变量 DIAODU_TODAY 优先")
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = "督查设置"
        verbose_name_plural = "督查设置"

    def __str__(self) -> str:
        return "督查设置"

    @classmethod
    def today(cls) -> dt.date:
        """The date pages and commands compute against (see ``warnings.today``)."""
        from diaodu.supervision.warnings import today

        return today(cls.get().clock_date)

    @classmethod
    def get(cls) -> SupervisionSettings:
        obj = cls.objects.filter(pk=1).first()
        if obj is None:
            obj, _ = cls.objects.get_or_create(pk=1)
        return obj


class Meeting(models.Model):
    """A meeting whose decisions become tasks (调度会, 市长办公会 …)."""

    class Kind(models.TextChoices):
        DISPATCH = "dispatch", "经济运行调度会"
        MAYOR = "mayor", "市长办公会"
        EXECUTIVE = "executive", "政府常务会议"
        TOPIC = "topic", "专题会议"
        OTHER = "other", "其他会议"

    kind = models.CharField("会议类型", max_length=12, choices=Kind.choices, default=Kind.DISPATCH)
    title = models.CharField("会议名称", max_length=120)
    date = models.DateField("会议日期")
    chair = models.CharField("主持人", max_length=60, blank=True)
    attendees = models.TextField("参会单位和人员", blank=True)
    briefing_ref = models.CharField("所用调度材料", max_length=200, blank=True,
                                    help_text="材料名称或编号，如“2021年1-10月经济运行调度材料”")
    briefing_file = models.FileField("调度材料文件", upload_to="supervision/briefings/%Y/", blank=True)
    speech = models.TextField("讲话稿", blank=True)
    decisions = models.TextField("议定事项", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", editable=False)
    version = models.PositiveIntegerField("版本", default=1, editable=False)

    class Meta:
        verbose_name = "会议"
        verbose_name_plural = "会议"
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("supervision:meeting", args=[self.pk])


class State(models.TextChoices):
    """The flow of a task; transitions live in ``flow.TRANSITIONS``."""

    REGISTERED = "registered", "立项"
    ASSIGNED = "assigned", "交办"
    SIGNED = "signed", "签收"
    HANDLING = "handling", "办理"
    REPORTED = "reported", "反馈"
    REVIEWING = "reviewing", "复核"
    CLOSED = "closed", "办结"


OPEN_STATES = [s for s in State.values if s != State.CLOSED]
MAX_REPORT_DAY = 28  # a recurring task's report day: one every month has
# The order of the flow: a task with several lead units stands where its least advanced lead stands.
STATE_ORDER = {s: i for i, s in enumerate(State.values)}


class Task(OwnedLedger):
    """A 交办事项, one sheet per item (一事一单).

    ``region``/``department`` (from OwnedLedger) hold the first lead unit (主办单位);
    every lead and co unit, that one included, is a ``TaskUnit`` row, which is
    what scopes read. Each lead unit signs, reports and is closed on its own row
    (``TaskUnit.state``); the task's ``state`` is derived from them
    (``actions.sync_task_state``): the least advanced lead's, 办结 when all are.
    """

    class Source(models.TextChoices):
        MEETING = "meeting", "会议议定"
        SPEECH = "speech", "领导讲话"
        DOCUMENT = "document", "文件"
        INSTRUCTION = "instruction", "领导批示"
        INDICATOR = "indicator", "指标预警"

    class Recurrence(models.TextChoices):
        NONE = "", "一次性"
        MONTHLY = "monthly", "每月报送"
        QUARTERLY = "quarterly", "每季度报送"

    title = models.CharField("事项", max_length=120)
    content = models.TextField("交办内容")
    source = models.CharField("来源", max_length=12, choices=Source.choices, default=Source.SPEECH)
    meeting = models.ForeignKey(Meeting, verbose_name="会议", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="tasks")
    source_ref = models.CharField("来源文件或批示", max_length=200, blank=True)
    sentence = models.TextField("原文", blank=True)
    matched = models.JSONField("识别依据", default=list, blank=True)
    leader = models.CharField("责任领导", max_length=60, blank=True)
    state = models.CharField("状态", max_length=12, choices=State.choices, default=State.REGISTERED)
    start_date = models.DateField("起始日期", default=dt.date.today)
    deadline = models.DateField("办理期限", null=True, blank=True)
    deadline_text = models.CharField("期限原文", max_length=60, blank=True)
    recurrence = models.CharField("报送周期", max_length=10, choices=Recurrence.choices, blank=True, default="")
    report_day = models.PositiveSmallIntegerField("每期报送日", null=True, blank=True,
                                                  help_text="周期性事项每月（季）的报送日，如 5 表示每月5日前")
    quantity_target = models.FloatField("目标数量", null=True, blank=True)
    quantity_unit = models.CharField("数量单位", max_length=20, blank=True)
    quantity_done = models.FloatField("已完成数量", null=True, blank=True, editable=False)
    returned_count = models.PositiveSmallIntegerField("退回次数", default=0, editable=False)
    closed_on = models.DateField("办结日期", null=True, blank=True, editable=False)
    # Indicator tasks: the lagging figure that opened the task.
    indicator = models.ForeignKey("indicators.Indicator", verbose_name="预警指标", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    indicator_region = models.ForeignKey(Region, verbose_name="指标区划", null=True, blank=True,
                                         on_delete=models.PROTECT, related_name="+")
    indicator_period = models.CharField("指标期别", max_length=7, blank=True)

    class Meta:
        verbose_name = "督办事项"
        verbose_name_plural = "督办事项"
        ordering = ["deadline", "id"]
        indexes = [models.Index(fields=["state", "deadline"], name="task_state_deadline_idx")]
        constraints = [
            models.CheckConstraint(
                name="task_quantity_positive",
                condition=Q(quantity_target__isnull=True) | Q(quantity_target__gt=0),
                violation_error_message="目标数量必须大于0。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("supervision:task", args=[self.pk])

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.deadline and self.start_date and self.deadline < self.start_date:
            raise ValidationError({"deadline": "办理期限不能早于起始日期。"})
        if self.recurrence and not self.report_day:
            raise ValidationError({"report_day": "周期性事项须填写每期报送日。"})
        if self.report_day and not 1 <= self.report_day <= MAX_REPORT_DAY:
            raise ValidationError({"report_day": f"报送日须在1到{MAX_REPORT_DAY}之间。"})

    @property
    def number(self) -> str:
        """The sheet number shown on 交办单 and 通报 (督办〔year〕N号)."""
        year = (self.start_date or dt.date.today()).year
        return f"督办〔{year}〕{self.pk or 0}号"

    @property
    def is_open(self) -> bool:
        return self.state != State.CLOSED

    def lead_names(self) -> list[str]:
        return [u.name for u in self.units.all() if u.role == TaskUnit.Role.LEAD]

    def co_names(self) -> list[str]:
        return [u.name for u in self.units.all() if u.role == TaskUnit.Role.CO]

    def due_date(self, today: dt.date, last_report: dt.date | None | bool = False) -> dt.date | None:
        """The date that counts for warnings: the deadline, or the next report due of a recurring task
        (after ``last_report``; by default the task's last report by any unit)."""
        from diaodu.supervision.warnings import next_report_due

        if self.recurrence:
            last = self.last_report_date if last_report is False else last_report
            due = next_report_due(self.recurrence, self.report_day or 1, today, last, self.start_date)
            if self.deadline and due > self.deadline:
                return self.deadline
            return due
        return self.deadline

    @property
    def last_report_date(self) -> dt.date | None:
        dates = [f.created_at.date() for f in self.feedback.all()]
        return max(dates) if dates else None

    def lead_units(self) -> list[TaskUnit]:
        return [u for u in self.units.all() if u.role == TaskUnit.Role.LEAD]

    def warning(self, today: dt.date, config: SupervisionSettings | None = None):
        """The worst warning of the task's open lead units (none once all are closed)."""
        from diaodu.supervision.warnings import LEVEL_ORDER, compute_warning

        config = config or SupervisionSettings.get()
        leads = [u for u in self.lead_units() if u.state != State.CLOSED]
        if not leads or not self.is_open:
            return compute_warning(
                due=self.due_date(today), start=self.start_date, today=today, closed=not self.is_open,
                done=self.quantity_done, target=self.quantity_target,
                blue_days=config.blue_days, yellow_points=config.yellow_points,
            )
        warnings = [u.warning(today, config) for u in leads]
        return min(warnings, key=lambda w: (LEVEL_ORDER[w.level], w.days_left if w.days_left is not None else 10**6))


class TaskUnit(models.Model):
    """A unit on a task: lead (牵头) or co (配合); a county government or a city department."""

    class Role(models.TextChoices):
        LEAD = "lead", "牵头单位"
        CO = "co", "配合单位"

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="units")
    role = models.CharField("角色", max_length=4, choices=Role.choices, default=Role.LEAD)
    region = models.ForeignKey(Region, verbose_name="县区政府", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    department = models.ForeignKey(Department, verbose_name="部门", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField(default=0)
    # A lead unit's own place in the flow; co units carry no state (they never block closing).
    state = models.CharField("办理状态", max_length=12, choices=State.choices, blank=True, default="")
    quantity_done = models.FloatField("本单位完成数量", null=True, blank=True)
    returned_count = models.PositiveSmallIntegerField("退回次数", default=0)
    closed_on = models.DateField("办结日期", null=True, blank=True)

    class Meta:
        verbose_name = "责任单位"
        verbose_name_plural = "责任单位"
        ordering = ["task_id", "role", "order", "id"]
        constraints = [
            models.CheckConstraint(
                name="taskunit_one_unit",
                condition=(Q(region__isnull=False) & Q(department__isnull=True))
                | (Q(region__isnull=True) & Q(department__isnull=False)),
                violation_error_message="责任单位须为一个县区政府或一个部门。",
            ),
            models.UniqueConstraint(fields=["task", "region"], name="taskunit_unique_region",
                                    condition=Q(region__isnull=False)),
            models.UniqueConstraint(fields=["task", "department"], name="taskunit_unique_department",
                                    condition=Q(department__isnull=False)),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.department.name if self.department_id else self.region.name

    @property
    def code(self) -> str:
        """The unit as the API names it: the county's code or the department's code."""
        return self.department.code if self.department_id else self.region_id

    @property
    def is_closed(self) -> bool:
        return self.state == State.CLOSED

    def is_for(self, region_id: str | None, department_id: int | None) -> bool:
        return bool((department_id and self.department_id == department_id)
                    or (region_id and not department_id and self.region_id == region_id))

    def last_report_date(self) -> dt.date | None:
        dates = [f.created_at.date() for f in self.task.feedback.all()
                 if f.region_id == self.region_id and f.department_id == self.department_id]
        return max(dates) if dates else None

    def warning(self, today: dt.date, config: SupervisionSettings | None = None):
        """This lead unit's warning: its own closing, its own last report, its own quantity
        (the task's when the unit has reported none)."""
        from diaodu.supervision.warnings import compute_warning

        config = config or SupervisionSettings.get()
        task = self.task
        due = task.due_date(today, self.last_report_date() if task.recurrence else None)
        done = self.quantity_done if self.quantity_done is not None else task.quantity_done
        return compute_warning(
            due=due, start=task.start_date, today=today, closed=self.is_closed or not task.is_open,
            done=done, target=task.quantity_target,
            blue_days=config.blue_days, yellow_points=config.yellow_points,
        )


class Feedback(models.Model):
    """Progress reported by a unit (进展反馈), with the quantity done so far."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="feedback")
    region = models.ForeignKey(Region, verbose_name="县区政府", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    department = models.ForeignKey(Department, verbose_name="部门", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="填报人", null=True,
                               on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("反馈时间")
    text = models.TextField("进展情况")
    quantity_done = models.FloatField("累计完成数量", null=True, blank=True)
    final = models.BooleanField("办结报告", default=False, help_text="提交复核")

    class Meta:
        verbose_name = "进展反馈"
        verbose_name_plural = "进展反馈"
        ordering = ["task_id", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.task.number} {self.created_at:%Y-%m-%d} {self.unit_name}"

    @property
    def unit_name(self) -> str:
        if self.department_id:
            return self.department.name
        if self.region_id:
            return self.region.name
        return "督查部门"


class Attachment(models.Model):
    """A file attached to a feedback (照片、台账、佐证材料)."""

    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField("附件", upload_to="supervision/feedback/%Y/%m/")
    name = models.CharField("文件名", max_length=200)
    size = models.PositiveIntegerField("大小", default=0)

    class Meta:
        verbose_name = "反馈附件"
        verbose_name_plural = "反馈附件"

    def __str__(self) -> str:
        return self.name


class Accountability(models.Model):
    """通报表扬, 通报批评, 约谈, 问责: recorded against a unit and (usually) a task."""

    class Kind(models.TextChoices):
        PRAISE = "praise", "通报表扬"
        CRITICISM = "criticism", "通报批评"
        TALK = "talk", "约谈"
        ACCOUNTABILITY = "account", "问责"

    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    task = models.ForeignKey(Task, verbose_name="事项", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="accountability")
    region = models.ForeignKey(Region, verbose_name="县区政府", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    department = models.ForeignKey(Department, verbose_name="部门", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    date = models.DateField("日期")
    reason = models.TextField("事由")
    decided_by = models.CharField("决定机关", max_length=60, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT,
                                   related_name="+", editable=False)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "奖惩记录"
        verbose_name_plural = "奖惩记录"
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(
                name="accountability_one_unit",
                condition=(Q(region__isnull=False) & Q(department__isnull=True))
                | (Q(region__isnull=True) & Q(department__isnull=False)),
                violation_error_message="奖惩对象须为一个县区政府或一个部门。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.unit_name}"

    @property
    def unit_name(self) -> str:
        return self.department.name if self.department_id else self.region.name


class NotificationChannel(models.Model):
    """Where task messages go beyond the inbox: e-mail (Django's SMTP settings) or a group
    robot's webhook (钉钉 / 企业微信, markdown messages; 钉钉 signed with the robot's 加签 secret)."""

    class Kind(models.TextChoices):
        EMAIL = "email", "电子邮件"
        DINGTALK = "dingtalk", "钉钉群机器人"
        WECOM = "wecom", "企业微信群机器人"

    EVENTS = ("assigned", "due_soon", "overdue", "returned")

    name = models.CharField("名称", max_length=60)
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    enabled = models.BooleanField("启用", default=True)
    url = models.URLField("Webhook 地址", max_length=500, blank=True, help_text="群机器人的 Webhook 地址（电子邮件不填）")
    secret = models.CharField("加签密钥", max_length=200, blank=True, help_text="钉钉机器人“加签”的 SEC… 密钥；不加签则留空")
    recipients = models.TextField("固定收件人", blank=True,
                                  help_text="电子邮件：除承办单位用户外另发的地址，每行一个")
    events = models.JSONField("通知事件", default=list, blank=True,
                              help_text="assigned 交办、due_soon 3天内到期、overdue 逾期、returned 退回；为空表示全部")
    last_success_at = models.DateTimeField("最近成功", null=True, blank=True, editable=False)
    last_failure_at = models.DateTimeField("最近失败", null=True, blank=True, editable=False)
    last_error = models.CharField("最近失败原因", max_length=300, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = "通知渠道"
        verbose_name_plural = "通知渠道"
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_kind_display()}）"

    def wants(self, event: str) -> bool:
        return self.enabled and (not self.events or event in self.events)


class Notification(models.Model):
    """One message to one channel, queued with the write that caused it and sent by
    ``diaodu notify``; a failure is retried later and never undoes the write."""

    class Status(models.TextChoices):
        PENDING = "pending", "待发送"
        SENT = "sent", "已发送"
        FAILED = "failed", "发送失败（不再重试）"

    EVENT_LABELS = {"assigned": "交办", "due_soon": "3天内到期", "overdue": "逾期", "returned": "退回重办"}

    channel = models.ForeignKey(NotificationChannel, verbose_name="渠道", on_delete=models.CASCADE,
                                related_name="notifications")
    task = models.ForeignKey(Task, verbose_name="事项", null=True, blank=True, on_delete=models.CASCADE,
                             related_name="notifications")
    event = models.CharField("事件", max_length=12)
    key = models.CharField("去重键", max_length=120, unique=True)
    title = models.CharField("标题", max_length=200)
    text = models.TextField("内容（Markdown）")
    recipients = models.JSONField("收件人", default=list, blank=True)
    status = models.CharField("状态", max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField("已尝试次数", default=0)
    next_attempt_at = models.DateTimeField("下次尝试", db_index=True)
    last_error = models.CharField("失败原因", max_length=300, blank=True)
    created_at = models.DateTimeField("生成时间", auto_now_add=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)

    class Meta:
        verbose_name = "通知"
        verbose_name_plural = "通知"
        ordering = ["-pk"]

    def __str__(self) -> str:
        return f"{self.channel.name}：{self.title}"
