"""Industry chains (链长制: 一链一图谱一方案) and the 百亿产业园区/集群.

Projects are linked by their free-text project codes (``project_codes``): the
projects ledger is a separate app, and a code stays meaningful across imports.
"""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from diaodu.core.models import OwnedLedger


def split_codes(text: str) -> list[str]:
    """Codes listed in one cell, separated by commas, 、, ；, spaces or new lines."""
    return [c for c in re.split(r"[\s,，、;；]+", text or "") if c]


class IndustryChain(OwnedLedger):
    """A key industry chain with its 链长 and 专班; ``department`` is the lead
    department (牵头部门), ``responsible`` the 专班 contact."""

    code = models.SlugField("链代码", max_length=40, unique=True)
    name = models.CharField("产业链", max_length=60, unique=True)
    chief = models.CharField("链长", max_length=60)
    task_force = models.TextField("专班成员", blank=True, help_text="每行一人，或以“、”分隔")
    year = models.PositiveSmallIntegerField("年度", validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    output_target = models.DecimalField("年度产值目标（亿元）", max_digits=12, decimal_places=2, null=True,
                                        blank=True, validators=[MinValueValidator(0)])
    output_actual = models.DecimalField("累计完成产值（亿元）", max_digits=12, decimal_places=2, null=True,
                                        blank=True, validators=[MinValueValidator(0)])
    as_of_month = models.PositiveSmallIntegerField("截至月份", null=True, blank=True,
                                                   validators=[MinValueValidator(1), MaxValueValidator(12)])
    project_codes = models.TextField("关联项目代码", blank=True)
    deals = models.TextField("关联招商项目", blank=True)
    plan = models.TextField("一链一方案", blank=True)

    class Meta:
        verbose_name = "产业链"
        verbose_name_plural = "产业链"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("industry:chain", args=[self.code])

    def clean(self):
        if self.output_actual is not None and self.as_of_month is None:
            raise ValidationError({"as_of_month": "填写累计完成产值时须填写截至月份。"})

    @property
    def members_list(self) -> list[str]:
        return [m for m in re.split(r"[\n、,，;；]+", self.task_force or "") if m.strip()]

    @property
    def projects(self) -> list[str]:
        return split_codes(self.project_codes)

    @property
    def progress(self) -> float | None:
        if not self.output_target or self.output_actual is None:
            return None
        return float(self.output_actual) / float(self.output_target)


class ChainEnterprise(models.Model):
    """An enterprise on a chain, by segment; the 链主企业 are marked. The enterprise
    is linked to the enterprise ledger when it is in the city, named otherwise."""

    class Segment(models.TextChoices):
        UPSTREAM = "up", "上游"
        MIDSTREAM = "mid", "中游"
        DOWNSTREAM = "down", "下游"

    chain = models.ForeignKey(IndustryChain, verbose_name="产业链", on_delete=models.CASCADE, related_name="members")
    name = models.CharField("企业名称", max_length=100)
    enterprise = models.ForeignKey("enterprises.Enterprise", verbose_name="企业台账", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="chain_memberships")
    segment = models.CharField("环节", max_length=4, choices=Segment.choices)
    is_leader = models.BooleanField("链主企业", default=False)
    product = models.CharField("主要产品", max_length=80, blank=True)
    supplies_to = models.CharField("配套对象", max_length=100, blank=True, help_text="本链上游向其供货的企业名称")
    project_codes = models.CharField("关联项目代码", max_length=200, blank=True)

    class Meta:
        verbose_name = "链上企业"
        verbose_name_plural = "链上企业"
        ordering = ["chain_id", "segment", "-is_leader", "name"]
        constraints = [
            models.UniqueConstraint(fields=["chain", "name"], name="chain_enterprise_unique",
                                    violation_error_message="同一产业链中企业不能重复。"),
        ]

    def __str__(self) -> str:
        return f"{self.chain}·{self.name}"

    @property
    def projects(self) -> list[str]:
        return split_codes(self.project_codes)


class Park(OwnedLedger):
    """A 百亿产业园区 or 产业集群 with its plan: status, lead unit (``department``),
    financing entity, plan deadline and linked projects; ``region`` is the host
    county when there is one."""

    class Kind(models.TextChoices):
        PARK = "park", "园区"
        BELT = "belt", "产业带"
        CLUSTER = "cluster", "产业集群"
        OTHER = "other", "其他"

    class PlanStatus(models.TextChoices):
        MATURE = "mature", "成熟"
        TO_IMPROVE = "improve", "待完善"
        NEW = "new", "新增"

    code = models.SlugField("代码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=60, unique=True)
    kind = models.CharField("类型", max_length=10, choices=Kind.choices, default=Kind.PARK)
    plan_status = models.CharField("规划状态", max_length=10, choices=PlanStatus.choices)
    lead_unit = models.CharField("牵头单位", max_length=60, blank=True, help_text="空则为责任部门")
    financing_entity = models.CharField("融资主体", max_length=100, blank=True)
    plan_deadline = models.DateField("规划编制期限", null=True, blank=True)
    plan_done_on = models.DateField("规划完成日期", null=True, blank=True)
    output_target = models.DecimalField("产值目标（亿元）", max_digits=12, decimal_places=2, null=True, blank=True)
    project_codes = models.TextField("关联项目代码", blank=True)
    note = models.CharField("备注", max_length=200, blank=True)

    class Meta:
        verbose_name = "百亿产业园区"
        verbose_name_plural = "百亿产业园区"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if self.plan_status != self.PlanStatus.MATURE and not self.plan_deadline and not self.plan_done_on:
            raise ValidationError({"plan_deadline": "待完善或新增的规划须填写编制期限。"})

    @property
    def lead_unit_name(self) -> str:
        return self.lead_unit or self.owner_name

    @property
    def projects(self) -> list[str]:
        return split_codes(self.project_codes)

    def days_left(self, today: dt.date) -> int | None:
        return None if self.plan_deadline is None else (self.plan_deadline - today).days
