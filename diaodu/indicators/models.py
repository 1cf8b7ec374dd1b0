"""The indicator catalogue, observations with their revisions, and targets.

An observation is one figure: unit × indicator × period. Each reported version
of it is a ``Revision`` (快报 → 年报 → 普查修订, or a correction): revisions are
never overwritten. The observation row carries the latest revision's state and
a copy of the latest *published* revision, which is what every page, briefing
and the engine read.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from diaodu.engine.periods import MONTHLY, QUARTERLY, Period
from diaodu.org.models import Region


class Indicator(models.Model):
    """An indicator of the catalogue (地区生产总值, 固定资产投资 …)."""

    class Frequency(models.TextChoices):
        MONTHLY = MONTHLY, "月度"
        QUARTERLY = QUARTERLY, "季度"

    class Kind(models.TextChoices):
        FLOW = "flow", "累计流量"
        STOCK = "stock", "存量（余额）"
        RATE = "rate", "仅发布增速"
        SURVEY = "survey", "住户调查人均"
        RATIO = "ratio", "派生比率"

    class PriceBasis(models.TextChoices):
        COMPARABLE = "comparable", "可比价"
        CURRENT = "current", "现价"

    code = models.SlugField("指标代码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=40, unique=True)
    short_name = models.CharField("简称", max_length=20)
    unit = models.CharField("计量单位", max_length=10)
    frequency = models.CharField("频率", max_length=10, choices=Frequency.choices)
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    price_basis = models.CharField("增速口径", max_length=12, choices=PriceBasis.choices)
    polarity = models.SmallIntegerField("方向", choices=[(1, "越大越好"), (-1, "越小越好")], default=1)
    additive = models.BooleanField("下级可加总", default=True)
    first_month = models.PositiveSmallIntegerField("年内首个发布月", default=2)
    is_main = models.BooleanField("主要指标", default=False)
    aliases = models.JSONField("别名", default=list, blank=True)
    order = models.PositiveIntegerField("排序", default=0)
    # Which city departments report the figure (市税务局 → 税收收入): their clerks' entry form lists it.
    departments = models.ManyToManyField("org.Department", verbose_name="报送部门", blank=True,
                                         related_name="indicators")

    class Meta:
        verbose_name = "指标"
        verbose_name_plural = "指标目录"
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name

    def publishes(self, period: Period) -> bool:
        return period.valid_for(self.frequency, self.first_month)


class RevisionStatus(models.TextChoices):
    ENTERED = "entered", "填报"
    APPROVED = "approved", "审核"
    PUBLISHED = "published", "发布"
    REJECTED = "rejected", "退回"


class Vintage(models.TextChoices):
    FLASH = "flash", "快报"
    ANNUAL = "annual", "年报"
    CENSUS = "census", "普查修订"


class Observation(models.Model):
    """One figure: unit × indicator × period, with its latest and published revision."""

    # No single-column indexes on the two keys: the unique constraint (region first) and the
    # period index (indicator first) cover their lookups, and every index slows a bulk import.
    region = models.ForeignKey(Region, verbose_name="区划", on_delete=models.PROTECT, related_name="observations",
                               db_index=False)
    indicator = models.ForeignKey(Indicator, verbose_name="指标", on_delete=models.PROTECT,
                                  related_name="observations", db_index=False)
    year = models.PositiveSmallIntegerField("年")
    month = models.PositiveSmallIntegerField("月")
    # The latest revision, whatever its status.
    value = models.FloatField("累计值", null=True, blank=True)
    growth = models.FloatField("累计增速(%)", null=True, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)
    status = models.CharField("状态", max_length=10, choices=RevisionStatus.choices, default=RevisionStatus.ENTERED)
    revision = models.PositiveIntegerField("最新修订号", default=1)
    # The latest published revision: what published views read.
    published_value = models.FloatField("发布累计值", null=True, blank=True)
    published_growth = models.FloatField("发布累计增速(%)", null=True, blank=True)
    published_revision = models.PositiveIntegerField("发布修订号", null=True, blank=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    version = models.PositiveIntegerField("版本", default=1)

    class Meta:
        verbose_name = "数据"
        verbose_name_plural = "数据"
        ordering = ["indicator__order", "region_id", "year", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "indicator", "year", "month"],
                name="observation_unique_figure",
                violation_error_message="同一区划、指标、期别只能有一条数据。",
            ),
            models.CheckConstraint(name="observation_month_range", condition=Q(month__gte=1, month__lte=12)),
        ]
        indexes = [models.Index(fields=["indicator", "year", "month"], name="observation_ind_period_idx")]

    def __str__(self) -> str:
        return f"{self.region} {self.indicator} {self.period.full_label(self.indicator.frequency)}"

    @property
    def period(self) -> Period:
        return Period(self.year, self.month)


class Revision(models.Model):
    """One reported version of a figure; never overwritten (统计法 全程留痕)."""

    # The unique (observation, number) constraint serves lookups by observation.
    observation = models.ForeignKey(Observation, on_delete=models.CASCADE, related_name="revisions", db_index=False)
    number = models.PositiveIntegerField("修订号")
    value = models.FloatField("累计值", null=True, blank=True)
    growth = models.FloatField("累计增速(%)", null=True, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)
    vintage = models.CharField("版次", max_length=10, choices=Vintage.choices, default=Vintage.FLASH)
    status = models.CharField("状态", max_length=10, choices=RevisionStatus.choices, default=RevisionStatus.ENTERED)
    reason = models.CharField("修改原因", max_length=200, blank=True)
    source = models.CharField("来源", max_length=20, default="web")
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="填报人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField("填报时间")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="审核人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField("审核时间", null=True, blank=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)

    class Meta:
        verbose_name = "数据修订"
        verbose_name_plural = "数据修订"
        ordering = ["observation_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["observation", "number"], name="revision_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.observation} 第{self.number}版"


class Target(models.Model):
    """An annual target of a unit on an indicator: a total and/or a growth rate."""

    class Source(models.TextChoices):
        PROVINCE = "province", "省定"
        CITY = "city", "市定"
        COUNTY = "county", "县定"

    region = models.ForeignKey(Region, verbose_name="区划", on_delete=models.PROTECT, related_name="targets")
    indicator = models.ForeignKey(Indicator, verbose_name="指标", on_delete=models.PROTECT, related_name="targets")
    year = models.PositiveSmallIntegerField("年度")
    total = models.FloatField("目标总量", null=True, blank=True)
    growth = models.FloatField("目标增速(%)", null=True, blank=True)
    source = models.CharField("来源", max_length=10, choices=Source.choices)
    note = models.CharField("备注", max_length=200, blank=True)
    version = models.PositiveIntegerField("版本", default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "目标"
        verbose_name_plural = "目标"
        ordering = ["year", "indicator__order", "region_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "indicator", "year"],
                name="target_unique",
                violation_error_message="同一区划、指标、年度只能有一个目标。",
            ),
            models.CheckConstraint(
                name="target_total_or_growth",
                condition=Q(total__isnull=False) | Q(growth__isnull=False),
                violation_error_message="目标总量与目标增速至少填一项。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.indicator} {self.year}年目标"


class TargetResponsibility(models.Model):
    """The 目标责任书 of an annual target: the leader, the lead unit and the co-units answerable
    for it, and the signed document. One per target (unit × indicator × year)."""

    region = models.ForeignKey(Region, verbose_name="区划", on_delete=models.PROTECT, related_name="responsibilities")
    indicator = models.ForeignKey(Indicator, verbose_name="指标", on_delete=models.PROTECT,
                                  related_name="responsibilities")
    year = models.PositiveSmallIntegerField("年度")
    leader = models.CharField("责任领导", max_length=40)
    leader_post = models.CharField("领导职务", max_length=60, blank=True, help_text="例如 副市长")
    lead_department = models.ForeignKey("org.Department", verbose_name="牵头单位", on_delete=models.PROTECT,
                                        related_name="led_targets")
    co_departments = models.ManyToManyField("org.Department", verbose_name="配合单位", blank=True,
                                            related_name="co_targets")
    document_number = models.CharField("责任书文号", max_length=60, blank=True)
    document_date = models.DateField("签订日期", null=True, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)
    version = models.PositiveIntegerField("版本", default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "目标责任书"
        verbose_name_plural = "目标责任书"
        ordering = ["year", "indicator__order", "region_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "indicator", "year"],
                name="target_responsibility_unique",
                violation_error_message="同一区划、指标、年度只能有一份目标责任书。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.indicator} {self.year}年目标责任书"

    @property
    def leader_label(self) -> str:
        return f"{self.leader}（{self.leader_post}）" if self.leader_post else self.leader

    def co_names(self) -> list[str]:
        return [d.name for d in self.co_departments.all()]

    def snapshot(self) -> dict:
        return {
            "leader": self.leader, "leader_post": self.leader_post, "lead": self.lead_department.name,
            "co": self.co_names(), "document_number": self.document_number,
            "document_date": self.document_date.isoformat() if self.document_date else None, "note": self.note,
        }


class PeriodRelease(models.Model):
    """A period released by the statistics office (期别发布): pages and documents default to the
    latest period released for the city; an unreleased period is shown only when asked for, and
    labelled 初步数据（未发布）. The province's releases (the other 市州's figures) are recorded
    separately. A release naming indicators releases only those and does not move the default."""

    class Scope(models.TextChoices):
        CITY = "city", "本市（市及县区）"
        PROVINCE = "province", "全省（各市州）"

    year = models.PositiveSmallIntegerField("年")
    month = models.PositiveSmallIntegerField("月")
    scope = models.CharField("范围", max_length=10, choices=Scope.choices, default=Scope.CITY)
    indicators = models.JSONField("指标（空：全部）", default=list, blank=True)
    # Kept beside ``indicators`` so "released whole" is a plain indexed filter on every database.
    whole = models.BooleanField("整期发布", default=True)
    note = models.CharField("说明", max_length=200, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发布人", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    released_at = models.DateTimeField("发布时间")

    class Meta:
        verbose_name = "期别发布"
        verbose_name_plural = "期别发布"
        ordering = ["-year", "-month", "scope", "-released_at"]
        constraints = [
            models.CheckConstraint(name="release_month_range", condition=Q(month__gte=1, month__lte=12)),
        ]

    def __str__(self) -> str:
        what = "、".join(self.indicators) if self.indicators else "全部指标"
        return f"{self.get_scope_display()} {Period(self.year, self.month).full_label()} {what}"

    @property
    def period(self) -> Period:
        return Period(self.year, self.month)


class ValidationRule(models.Model):
    """A rule figures are checked against (数据审核), applied alike by the import, the entry form, the
    API and ``diaodu validate``. Blocking rules (逻辑性审核) refuse a figure; warning rules
    (合理性审核) need an explicit confirmation, recorded with the figures. The statistics office
    edits and extends them in 配置; the defaults ship with a data migration."""

    class Kind(models.TextChoices):
        CUMULATIVE_DROP = "cumulative_drop", "累计值低于同年上月累计值"
        GROWTH_CONSISTENCY = "growth_consistency", "累计增速与上年同期累计值不符（现价指标）"
        COUNTY_SUM = "county_sum", "县区合计高于全市（可加总指标）"
        NEGATIVE = "negative", "不应为负的数值为负"
        GROWTH_JUMP = "growth_jump", "累计增速较上月变动过大"
        ROBUST_Z = "robust_z", "偏离本单位历史（稳健z值）"
        GROWTH_BOUND = "growth_bound", "累计增速超出合理范围"

    class Severity(models.TextChoices):
        BLOCKING = "blocking", "阻止（逻辑性审核）"
        WARNING = "warning", "警告（合理性审核）"

    code = models.SlugField("规则代码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=60)
    kind = models.CharField("类型", max_length=30, choices=Kind.choices)
    severity = models.CharField("级别", max_length=10, choices=Severity.choices)
    threshold = models.FloatField("阈值", null=True, blank=True,
                                  help_text="容差（百分点）、变动上限（百分点）、z值上限或增速上限（%），依类型而定")
    indicators = models.JSONField("适用指标（空：全部适用）", default=list, blank=True)
    active = models.BooleanField("启用", default=True)
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "审核规则"
        verbose_name_plural = "审核规则"
        ordering = ["severity", "code"]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_severity_display()}）"

    def as_engine_rule(self) -> dict:
        return {"code": self.code, "name": self.name, "kind": self.kind, "severity": self.severity,
                "threshold": self.threshold, "indicators": list(self.indicators or [])}


class ReportingDeadline(models.Model):
    """报送日历: the day of the following month by which a kind of unit reports a month's figures
    (default: the 8th). The progress page marks units late against it."""

    class UnitKind(models.TextChoices):
        COUNTY = "county", "县区"
        CITY = "city", "市本级"
        DEPARTMENT = "department", "市直部门"

    unit_kind = models.CharField("报送单位", max_length=12, choices=UnitKind.choices, unique=True)
    due_day = models.PositiveSmallIntegerField("次月截止日", default=8)
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "报送日历"
        verbose_name_plural = "报送日历"
        ordering = ["unit_kind"]
        constraints = [models.CheckConstraint(name="deadline_day_range", condition=Q(due_day__gte=1, due_day__lte=28))]

    def __str__(self) -> str:
        return f"{self.get_unit_kind_display()}：次月{self.due_day}日前"
