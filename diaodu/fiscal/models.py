"""Budget execution (预算执行), land parcels (土地出让), 专项债券 and the 财力缺口 parameters.

Units: ``region`` is the budget level. The home city's code (e.g. 620500) stands for
市级 — the city's own level (市本级) — never for the whole city: 全市 is always
computed as 市级 + the counties (``diaodu.fiscal.calc.combined``).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from diaodu.core.models import OwnedLedger
from diaodu.fiscal import calc

CITY_LEVEL_LABEL = "市级"


class FiscalItem(models.TextChoices):
    REVENUE_BROAD = "revenue_broad", "大口径财政收入"
    REVENUE_GENERAL = "revenue_general", "一般公共预算收入"
    REVENUE_TAX = "revenue_tax", "其中：税收收入"
    REVENUE_NONTAX = "revenue_nontax", "其中：非税收入"
    FUND_REVENUE = "fund_revenue", "政府性基金收入"
    LAND_REVENUE = "land_revenue", "其中：土地出让收入"
    EXPENDITURE_GENERAL = "expenditure_general", "一般公共预算支出"


# (whole, parts): the parts of an item never exceed it.
ITEM_PARTS = {
    FiscalItem.REVENUE_GENERAL: (FiscalItem.REVENUE_TAX, FiscalItem.REVENUE_NONTAX),
    FiscalItem.FUND_REVENUE: (FiscalItem.LAND_REVENUE,),
}


def unit_label(region) -> str:
    """市级 for the city, the county's name otherwise."""
    if region is None:
        return "—"
    return CITY_LEVEL_LABEL if region.level == region.Level.CITY else region.name


class BudgetExecution(OwnedLedger):
    """One budget line of one unit at one month: the annual budget (年初预算) and the
    1-n月 cumulative actual, both in 亿元 (the monthly 预算执行情况表)."""

    year = models.PositiveSmallIntegerField("年度", validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    month = models.PositiveSmallIntegerField("月份", validators=[MinValueValidator(1), MaxValueValidator(12)])
    item = models.CharField("科目", max_length=24, choices=FiscalItem.choices)
    budget = models.DecimalField("年初预算（亿元）", max_digits=12, decimal_places=4, null=True, blank=True,
                                 validators=[MinValueValidator(0)])
    actual = models.DecimalField("累计完成（亿元）", max_digits=12, decimal_places=4, null=True, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)

    class Meta:
        verbose_name = "预算执行"
        verbose_name_plural = "预算执行"
        ordering = ["year", "month", "region_id", "item"]
        constraints = [
            models.UniqueConstraint(fields=["region", "year", "month", "item"], name="budget_execution_unique",
                                    violation_error_message="同一单位、月份、科目只能有一条记录。"),
        ]

    def __str__(self) -> str:
        return f"{unit_label(self.region)} {self.year}年1-{self.month}月 {self.get_item_display()}"

    def clean(self):
        if not self.region_id:
            raise ValidationError({"region": "请填写单位（市级或县区）。"})

    @property
    def rate(self) -> float | None:
        return calc.execution_rate(_f(self.actual), _f(self.budget))

    @property
    def schedule_gap(self) -> float | None:
        return calc.schedule_gap(_f(self.actual), _f(self.budget), self.month)


class LandParcel(OwnedLedger):
    """A parcel sold (已出让宗地) with the fee due, paid and unpaid (欠缴), 万元."""

    code = models.CharField("宗地编号", max_length=40, unique=True)
    location = models.CharField("宗地位置", max_length=120)
    use = models.CharField("用途", max_length=30, blank=True)
    area_mu = models.DecimalField("面积（亩）", max_digits=10, decimal_places=2, null=True, blank=True,
                                  validators=[MinValueValidator(0)])
    sold_on = models.DateField("成交日期", null=True, blank=True)
    buyer = models.CharField("竞得人", max_length=100, blank=True)
    fee_due = models.DecimalField("应缴出让金（万元）", max_digits=12, decimal_places=2,
                                  validators=[MinValueValidator(0)])
    fee_paid = models.DecimalField("已缴（万元）", max_digits=12, decimal_places=2, default=0,
                                   validators=[MinValueValidator(0)])
    due_date = models.DateField("缴清期限", null=True, blank=True)
    unit = models.CharField("责任单位", max_length=60, blank=True, help_text="空则为所属县区或责任部门")
    measures = models.CharField("清缴措施", max_length=200, blank=True)

    class Meta:
        verbose_name = "出让宗地"
        verbose_name_plural = "出让宗地"
        ordering = ["region_id", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.location}"

    def clean(self):
        if self.fee_paid is not None and self.fee_due is not None and self.fee_paid > self.fee_due:
            raise ValidationError({"fee_paid": "已缴金额不能大于应缴出让金。"})

    @property
    def unpaid(self):
        return (self.fee_due or 0) - (self.fee_paid or 0)

    @property
    def unit_name(self) -> str:
        return self.unit or self.owner_name


class SpecialBond(OwnedLedger):
    """专项债券 funds allocated to a project and spent (万元)."""

    code = models.CharField("债券项目编号", max_length=40, unique=True)
    name = models.CharField("项目名称", max_length=120)
    project_code = models.CharField("项目代码", max_length=40, blank=True,
                                    help_text="重点项目台账中的项目代码（可空）")
    year = models.PositiveSmallIntegerField("年度", validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    allocated = models.DecimalField("分配额度（万元）", max_digits=12, decimal_places=2,
                                    validators=[MinValueValidator(0)])
    spent = models.DecimalField("已支出（万元）", max_digits=12, decimal_places=2, default=0,
                                validators=[MinValueValidator(0)])
    note = models.CharField("备注", max_length=200, blank=True)

    class Meta:
        verbose_name = "专项债券"
        verbose_name_plural = "专项债券"
        ordering = ["year", "region_id", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self):
        if self.spent is not None and self.allocated is not None and self.spent > self.allocated:
            raise ValidationError({"spent": "已支出不能大于分配额度。"})

    @property
    def rate(self) -> float | None:
        return calc.spending_rate(_f(self.spent), _f(self.allocated))


class GapParameters(OwnedLedger):
    """The 财力缺口 parameters of one unit (市级 or a county) for a year, in 亿元.
    The formula is in ``diaodu.fiscal.calc`` (module docstring)."""

    class Projection(models.TextChoices):
        BUDGET = "budget", "按预算完成"
        PACE = "pace", "按序时推算"
        ACTUAL = "actual", "按已入库"

    year = models.PositiveSmallIntegerField("年度", validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    transfers = models.DecimalField("上级补助（亿元）", max_digits=12, decimal_places=4, default=0)
    carryover = models.DecimalField("上年结转及调入（亿元）", max_digits=12, decimal_places=4, default=0)
    remittance = models.DecimalField("上解支出（亿元）", max_digits=12, decimal_places=4, default=0)
    land_share = models.DecimalField("土地出让收入计入比例", max_digits=5, decimal_places=4, default=1,
                                     validators=[MinValueValidator(0), MaxValueValidator(1)],
                                     help_text="扣除成本性支出后可用于平衡的比例，0-1")
    rigid_need = models.DecimalField("刚性支出需求（亿元）", max_digits=12, decimal_places=4, default=0,
                                     help_text="保工资、保运转、保基本民生、债务还本付息等")
    revenue_projection = models.CharField("一般公共预算收入推算", max_length=10, choices=Projection.choices,
                                          default=Projection.BUDGET)
    land_projection = models.CharField("土地出让收入推算", max_length=10, choices=Projection.choices,
                                       default=Projection.PACE)
    note = models.CharField("口径说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "财力缺口参数"
        verbose_name_plural = "财力缺口参数"
        ordering = ["year", "region_id"]
        constraints = [
            models.UniqueConstraint(fields=["region", "year"], name="gap_parameters_unique",
                                    violation_error_message="同一单位同一年度只能有一组参数。"),
        ]

    def __str__(self) -> str:
        return f"{unit_label(self.region)} {self.year}年财力缺口参数"

    def clean(self):
        if not self.region_id:
            raise ValidationError({"region": "请填写单位（市级或县区）。"})


def _f(value) -> float | None:
    return None if value is None else float(value)
