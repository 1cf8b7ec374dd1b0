"""招商引资: the pipeline of investment deals each county owns ("一把手工程").

Money is in 亿元 with four decimals (0.0001 亿元 = 1 万元), the unit of the
招商引资到位资金 figure. The rates live in ``diaodu.investment.rates``.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse

from diaodu.core.models import OwnedLedger


def money(verbose_name: str, **kwargs) -> models.DecimalField:
    kwargs.setdefault("default", Decimal("0"))
    return models.DecimalField(f"{verbose_name}（亿元）", max_digits=14, decimal_places=4, **kwargs)


class DealStage(models.TextChoices):
    NEGOTIATING = "negotiating", "在谈"
    SIGNED = "signed", "签约"
    STARTED = "started", "开工"
    OPERATING = "operating", "投产"
    TERMINATED = "terminated", "终止"


class Channel(models.TextChoices):
    AGENCY = "agency", "中介机构"
    CHAMBER = "chamber", "商会"
    PARTNER = "partner", "帮扶单位"
    ADVISER = "adviser", "招商顾问"
    DIRECT = "direct", "自主招商"


class Deal(OwnedLedger):
    """An investment attraction deal (招商引资项目), from negotiation to operation."""

    code = models.CharField("项目编号", max_length=40)
    name = models.CharField("项目名称", max_length=120)
    counterparty = models.CharField("投资方", max_length=120)
    industry = models.CharField("产业", max_length=40, blank=True)
    channel = models.CharField("招商渠道", max_length=12, choices=Channel.choices, default=Channel.DIRECT)
    stage = models.CharField("进展阶段", max_length=12, choices=DealStage.choices, default=DealStage.NEGOTIATING)
    contract_amount = money("签约金额")
    signed_date = models.DateField("签约日期", null=True, blank=True)
    expected_sign_date = models.DateField("预计签约日期", null=True, blank=True)
    expected_start_date = models.DateField("预计开工日期", null=True, blank=True)
    start_date = models.DateField("开工日期", null=True, blank=True)
    expected_operation_date = models.DateField("预计投产日期", null=True, blank=True)
    note = models.CharField("备注", max_length=300, blank=True)

    class Meta:
        verbose_name = "招商引资项目"
        verbose_name_plural = "招商引资项目"
        ordering = ["region_id", "code"]
        constraints = [
            models.UniqueConstraint(fields=["code"], name="deal_code_unique",
                                    violation_error_message="项目编号已存在。"),
            models.CheckConstraint(name="deal_amount_not_negative", condition=Q(contract_amount__gte=0),
                                   violation_error_message="签约金额不能为负数。"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"

    def get_absolute_url(self) -> str:
        return reverse("investment:detail", args=[self.pk])

    def clean(self):
        errors = {}
        if self.stage in (DealStage.SIGNED, DealStage.STARTED, DealStage.OPERATING) and not self.signed_date:
            errors["signed_date"] = "已签约的项目须填写签约日期。"
        if self.stage in (DealStage.STARTED, DealStage.OPERATING) and not self.start_date:
            errors["start_date"] = "已开工的项目须填写开工日期。"
        if self.signed_date and self.start_date and self.start_date < self.signed_date:
            errors["start_date"] = "开工日期不能早于签约日期。"
        if self.region_id is None:
            errors["region"] = "招商引资项目须属于一个县区（一把手工程）。"
        if errors:
            raise ValidationError(errors)

    @property
    def is_signed(self) -> bool:
        """Signed at some point: 签约/开工/投产, or 终止 after signing."""
        return self.signed_date is not None and self.stage != DealStage.NEGOTIATING

    @property
    def is_started(self) -> bool:
        return self.stage in (DealStage.STARTED, DealStage.OPERATING)


class FundsArrival(OwnedLedger):
    """Funds of a deal arrived in one month (到位资金), owned by the deal's county."""

    deal = models.ForeignKey(Deal, verbose_name="招商项目", on_delete=models.CASCADE, related_name="arrivals")
    year = models.PositiveIntegerField("年度")
    month = models.PositiveSmallIntegerField("月份")
    amount = money("到位资金")
    note = models.CharField("备注", max_length=200, blank=True)

    class Meta:
        verbose_name = "到位资金"
        verbose_name_plural = "到位资金"
        ordering = ["deal_id", "year", "month"]
        constraints = [
            models.UniqueConstraint(fields=["deal", "year", "month"], name="arrival_one_per_month",
                                    violation_error_message="该项目本月已有到位资金记录，请修改原记录。"),
            models.CheckConstraint(name="arrival_month_range", condition=Q(month__gte=1, month__lte=12),
                                   violation_error_message="月份应在 1 到 12 之间。"),
            models.CheckConstraint(name="arrival_amount_not_negative", condition=Q(amount__gte=0),
                                   violation_error_message="到位资金不能为负数。"),
        ]

    def __str__(self) -> str:
        return f"{self.deal.name} {self.year}年{self.month}月到位资金"

    def clean(self):
        if self.deal_id and self.region_id != self.deal.region_id:
            raise ValidationError({"deal": "到位资金记录的所属县区须与项目一致。"})
