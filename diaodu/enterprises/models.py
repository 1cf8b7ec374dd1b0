"""Enterprise monitoring (企业监测): the enterprise ledger and its monthly figures."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from diaodu.core.models import OwnedLedger
from diaodu.enterprises.codes import credit_code_problem, industry_code_problem


def validate_credit_code(value: str) -> None:
    problem = credit_code_problem(value)
    if problem:
        raise ValidationError(problem, code="credit_code")


def validate_industry_code(value: str) -> None:
    problem = industry_code_problem(value)
    if problem:
        raise ValidationError(problem, code="industry_code")


class ProductionStatus(models.TextChoices):
    NORMAL = "normal", "正常"
    PARTIAL = "partial", "半停产"
    STOPPED = "stopped", "停产"
    UNSOLD = "unsold", "未销售"


# Not producing or not selling: what a county's slowdown traces to.
TROUBLED = (ProductionStatus.PARTIAL, ProductionStatus.STOPPED, ProductionStatus.UNSOLD)


class StopCause(models.TextChoices):
    FUNDS = "funds", "资金"
    POWER = "power", "电力"
    EPIDEMIC = "epidemic", "疫情"
    ORDERS = "orders", "订单"
    MATERIALS = "materials", "原材料"
    LABOUR = "labour", "用工"
    OTHER = "other", "其他"


class Enterprise(OwnedLedger):
    """An enterprise the city monitors: identity, 规上 status, current production
    status with its cause, the measures taken and the official responsible
    (``responsible``, from the owned-ledger base). ``region`` is its county."""

    credit_code = models.CharField("统一社会信用代码", max_length=18, unique=True,
                                   validators=[validate_credit_code])
    name = models.CharField("企业名称", max_length=100)
    industry_code = models.CharField("行业代码", max_length=5, validators=[validate_industry_code],
                                     help_text="GB/T 4754-2017，如 C3011")
    industry_name = models.CharField("行业名称", max_length=60, blank=True)
    above_scale = models.BooleanField("规上企业", default=False)
    scale_year = models.PositiveSmallIntegerField(
        "入规年份", null=True, blank=True, validators=[MinValueValidator(1990), MaxValueValidator(2100)])
    status = models.CharField("生产状态", max_length=10, choices=ProductionStatus.choices,
                              default=ProductionStatus.NORMAL)
    cause = models.CharField("停产原因", max_length=10, choices=StopCause.choices, blank=True)
    cause_note = models.CharField("原因说明", max_length=200, blank=True)
    measures = models.TextField("帮扶措施", blank=True)
    note = models.CharField("备注", max_length=200, blank=True)

    class Meta:
        verbose_name = "企业"
        verbose_name_plural = "企业"
        ordering = ["region_id", "name"]
        indexes = [models.Index(fields=["status", "region"], name="enterprise_status_region")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("enterprises:detail", args=[self.pk])

    def clean(self):
        errors = {}
        if not self.region_id:
            errors["region"] = "企业必须属于一个县区。"
        if self.scale_year and not self.above_scale:
            errors["scale_year"] = "非规上企业不应填写入规年份。"
        if self.status != ProductionStatus.NORMAL and not self.cause:
            errors["cause"] = "生产状态不正常时必须填写原因。"
        if self.status == ProductionStatus.NORMAL and self.cause:
            errors["cause"] = "生产正常的企业不填写停产原因。"
        if errors:
            raise ValidationError(errors)

    @property
    def troubled(self) -> bool:
        return self.status in TROUBLED


class EnterpriseMonth(models.Model):
    """One month's figures of an enterprise (当月, 万元); 1-n月 sums them."""

    enterprise = models.ForeignKey(Enterprise, verbose_name="企业", on_delete=models.CASCADE, related_name="months")
    year = models.PositiveSmallIntegerField("年度", validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    month = models.PositiveSmallIntegerField("月份", validators=[MinValueValidator(1), MaxValueValidator(12)])
    revenue = models.DecimalField("主营业务收入（万元）", max_digits=14, decimal_places=2, null=True, blank=True,
                                  validators=[MinValueValidator(0)])
    output = models.DecimalField("工业总产值（万元）", max_digits=14, decimal_places=2, null=True, blank=True,
                                 validators=[MinValueValidator(0)])

    class Meta:
        verbose_name = "企业月度数据"
        verbose_name_plural = "企业月度数据"
        ordering = ["enterprise_id", "year", "month"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "year", "month"], name="enterprise_month_unique",
                                    violation_error_message="同一企业同一月份只能有一条数据。"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.year}年{self.month}月"
