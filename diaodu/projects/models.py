"""Key projects (重点项目), next year's reserve (项目储备) and the major infrastructure
projects in 前期工作: the ledgers behind a county's 固定资产投资.

Money is in 亿元 with four decimals everywhere in this app (0.0001 亿元 = 1 万元),
the unit of the figures they feed. A project enters the investment statistics
(入库纳统) at 计划总投资 ≥ 500 万元 = ``STATS_THRESHOLD`` 亿元 (DOMAIN.md §2).
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse

from diaodu.core.models import OwnedLedger

STATS_THRESHOLD = Decimal("0.05")  # 亿元 = 500 万元


def money(verbose_name: str, **kwargs) -> models.DecimalField:
    """An amount in 亿元 (4 decimals = 1 万元)."""
    kwargs.setdefault("default", Decimal("0"))
    return models.DecimalField(f"{verbose_name}（亿元）", max_digits=14, decimal_places=4, **kwargs)


class ProjectList(models.Model):
    """A named list projects belong to (e.g. 三个清单, 省列重大项目清单): configuration, not code."""

    code = models.SlugField("代码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=60, unique=True)
    description = models.CharField("说明", max_length=200, blank=True)
    order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = "项目清单"
        verbose_name_plural = "项目清单"
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class StartBatch(models.Model):
    """A 集中开工 batch: the city (or a county) starts a group of projects together on one day."""

    name = models.CharField("批次名称", max_length=60, unique=True)
    date = models.DateField("开工日期")
    region = models.ForeignKey("org.Region", verbose_name="组织地区", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    note = models.CharField("备注", max_length=200, blank=True)

    class Meta:
        verbose_name = "集中开工批次"
        verbose_name_plural = "集中开工批次"
        ordering = ["-date"]

    def __str__(self) -> str:
        return self.name


class Category(models.TextChoices):
    PROVINCE_CONTINUING = "prov_continuing", "省列重大项目（续建）"
    PROVINCE_NEW = "prov_new", "省列重大项目（计划新开工）"
    PROVINCE_RESERVE = "prov_reserve", "省列重大项目（预备）"
    CITY = "city", "市列"
    COUNTY = "county", "县列"


class Industry(models.TextChoices):
    INFRASTRUCTURE = "infrastructure", "基础设施"
    INDUSTRY = "industry", "产业发展"
    LIVELIHOOD = "livelihood", "民生保障"
    ECOLOGY = "ecology", "生态环保"
    URBAN = "urban", "城乡建设"
    TOURISM = "tourism", "文化旅游"
    OTHER = "other", "其他"


class Stage(models.TextChoices):
    PLANNING = "planning", "谋划"
    PREPARING = "preparing", "前期"
    NEW = "new", "新开工"
    CONTINUING = "continuing", "续建"
    COMPLETED = "completed", "竣工"
    OPERATING = "operating", "投产"


IN_CONSTRUCTION = (Stage.NEW, Stage.CONTINUING)
STARTED = (Stage.NEW, Stage.CONTINUING, Stage.COMPLETED, Stage.OPERATING)


class Obstacle(models.TextChoices):
    NONE = "", "无"
    LAND = "land", "征地拆迁"
    FUNDING = "funding", "资金"
    APPROVAL = "approval", "手续/审批"
    POLICY = "policy", "政策"
    OTHER = "other", "其他"


class StatsStatus(models.TextChoices):
    NOT_ENTERED = "not_entered", "未入库"
    IN_PROGRESS = "in_progress", "办理中"
    ENTERED = "entered", "已入库"


class Project(OwnedLedger):
    """A key project (重点项目): one row of the county's or department's project ledger."""

    code = models.CharField("统一项目代码", max_length=40)
    name = models.CharField("项目名称", max_length=120)
    category = models.CharField("项目类别", max_length=20, choices=Category.choices, default=Category.COUNTY)
    lists = models.ManyToManyField(ProjectList, verbose_name="所属清单", blank=True, related_name="projects")
    industry = models.CharField("行业领域", max_length=20, choices=Industry.choices, default=Industry.OTHER)
    leader = models.CharField("包抓领导", max_length=60, blank=True)
    total_investment = money("计划总投资")
    annual_plan = money("本年计划投资")
    fund_central = money("中央预算内投资")
    fund_provincial = money("省预算内投资")
    bond_amount = money("专项债券")
    bond_spent = money("专项债券已支出")
    fund_self = money("自筹资金")
    fund_loan = money("银行贷款")
    stage = models.CharField("建设阶段", max_length=12, choices=Stage.choices, default=Stage.PREPARING)
    planned_start = models.DateField("计划开工日期", null=True, blank=True)
    actual_start = models.DateField("实际开工日期", null=True, blank=True)
    batch = models.ForeignKey(StartBatch, verbose_name="集中开工批次", null=True, blank=True,
                              on_delete=models.PROTECT, related_name="projects")
    obstacle = models.CharField("制约因素", max_length=12, choices=Obstacle.choices, blank=True, default="")
    obstacle_note = models.CharField("制约情况说明", max_length=300, blank=True)
    help_requested = models.CharField("需协调解决事项", max_length=300, blank=True)
    stats_status = models.CharField("入库纳统状态", max_length=12, choices=StatsStatus.choices,
                                    default=StatsStatus.NOT_ENTERED)
    stats_deadline = models.DateField("入库办理期限", null=True, blank=True)
    note = models.CharField("备注", max_length=300, blank=True)

    class Meta:
        verbose_name = "重点项目"
        verbose_name_plural = "重点项目"
        ordering = ["region_id", "code"]
        constraints = [
            models.UniqueConstraint(fields=["code"], name="project_code_unique",
                                    violation_error_message="统一项目代码已存在。"),
            models.CheckConstraint(name="project_amounts_not_negative",
                                   condition=Q(total_investment__gte=0, annual_plan__gte=0, bond_spent__gte=0),
                                   violation_error_message="投资额不能为负数。"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"

    def get_absolute_url(self) -> str:
        return reverse("projects:detail", args=[self.pk])

    def clean(self):
        errors = {}
        if self.bond_spent and self.bond_amount is not None and self.bond_spent > self.bond_amount:
            errors["bond_spent"] = "专项债券已支出不能超过专项债券金额。"
        if self.stage in STARTED and self.actual_start is None and self.stage != Stage.OPERATING:
            errors["actual_start"] = "已开工的项目须填写实际开工日期。"
        if self.stage in (Stage.PLANNING, Stage.PREPARING) and self.actual_start is not None:
            errors["stage"] = "已填写实际开工日期的项目，阶段不能是谋划或前期。"
        if self.region_id is None and self.department_id is None:
            errors["region"] = "须填写所属县区或责任部门。"
        if errors:
            raise ValidationError(errors)

    @property
    def stats_eligible(self) -> bool:
        """入库纳统 threshold: 计划总投资 ≥ 500 万元."""
        return (self.total_investment or 0) >= STATS_THRESHOLD


class ProgressReport(OwnedLedger):
    """A project's monthly progress report (月度进展): investment completed this month and year to date.

    The owner is always the project's owner: a county reports only its own projects.
    """

    project = models.ForeignKey(Project, verbose_name="项目", on_delete=models.CASCADE, related_name="reports")
    year = models.PositiveIntegerField("年度")
    month = models.PositiveSmallIntegerField("月份")
    completed_month = money("本月完成投资")
    completed_ytd = money("本年累计完成投资")
    physical_progress = models.CharField("实物工程量", max_length=300, blank=True)
    photo = models.FileField("现场照片", upload_to="projects/progress/%Y/%m/", blank=True)

    class Meta:
        verbose_name = "项目月度进展"
        verbose_name_plural = "项目月度进展"
        ordering = ["project_id", "-year", "-month"]
        constraints = [
            models.UniqueConstraint(fields=["project", "year", "month"], name="progress_one_per_month",
                                    violation_error_message="该项目本月已报送进展，请修改原记录。"),
            models.CheckConstraint(name="progress_month_range", condition=Q(month__gte=1, month__lte=12),
                                   violation_error_message="月份应在 1 到 12 之间。"),
        ]

    def __str__(self) -> str:
        return f"{self.project.name} {self.year}年{self.month}月进展"

    def clean(self):
        errors = {}
        if self.completed_month is not None and self.completed_month < 0:
            errors["completed_month"] = "本月完成投资不能为负数。"
        if (self.completed_ytd is not None and self.completed_month is not None
                and self.completed_ytd < self.completed_month):
            errors["completed_ytd"] = "本年累计完成投资不能小于本月完成投资。"
        if self.project_id and (self.region_id, self.department_id) != (self.project.region_id,
                                                                         self.project.department_id):
            errors["project"] = "进展记录的所属单位须与项目一致。"
        if errors:
            raise ValidationError(errors)

    @property
    def period_label(self) -> str:
        return f"{self.year}年{self.month}月"


class FundingSource(models.TextChoices):
    BUDGET = "budget", "国省预算内投资"
    BOND = "bond", "地方政府专项债券"
    PROVINCE_PLAN = "province_plan", "省级重大项目计划"
    STATE_PLAN = "state_plan", "国家重大项目计划"
    OTHER = "other", "其他"


class ReserveStatus(models.TextChoices):
    PLANNING = "planning", "谋划中"
    SUBMITTED = "submitted", "已申报"
    APPROVED = "approved", "已纳入计划"
    REJECTED = "rejected", "未获支持"


class ReserveProject(OwnedLedger):
    """A project in next year's reserve (项目储备): still in 谋划 or 前期, seeking funding or a plan place."""

    code = models.CharField("储备编号", max_length=40)
    name = models.CharField("项目名称", max_length=120)
    industry = models.CharField("行业领域", max_length=20, choices=Industry.choices, default=Industry.OTHER)
    stage = models.CharField("阶段", max_length=12, choices=[(Stage.PLANNING, "谋划"), (Stage.PREPARING, "前期")],
                             default=Stage.PLANNING)
    target_year = models.PositiveIntegerField("计划实施年度")
    total_investment = money("估算总投资")
    funding_source = models.CharField("争取资金渠道", max_length=20, choices=FundingSource.choices,
                                      default=FundingSource.BUDGET)
    funding_sought = money("拟争取资金")
    status = models.CharField("争取状态", max_length=12, choices=ReserveStatus.choices,
                              default=ReserveStatus.PLANNING)
    submitted_upward = models.BooleanField("列入上报清单", default=False)
    note = models.CharField("备注", max_length=300, blank=True)

    class Meta:
        verbose_name = "储备项目"
        verbose_name_plural = "储备项目"
        ordering = ["region_id", "code"]
        constraints = [
            models.UniqueConstraint(fields=["code"], name="reserve_code_unique",
                                    violation_error_message="储备编号已存在。"),
        ]

    def __str__(self) -> str:
        return self.name


class InfraKind(models.TextChoices):
    RAILWAY = "railway", "铁路"
    EXPRESSWAY = "expressway", "高速公路"
    WATERWAY = "waterway", "水运"
    WATER = "water", "水利"
    OTHER = "other", "其他"


class InfraProject(OwnedLedger):
    """A major infrastructure project in 前期工作 (railways, expressways, water works)."""

    code = models.CharField("编号", max_length=40)
    name = models.CharField("项目名称", max_length=120)
    kind = models.CharField("类型", max_length=12, choices=InfraKind.choices)
    total_investment = money("估算总投资")
    current_phase = models.CharField("当前前期工作", max_length=120, blank=True)
    target_start = models.DateField("争取开工时间", null=True, blank=True)
    note = models.CharField("备注", max_length=300, blank=True)

    class Meta:
        verbose_name = "重大基础设施前期项目"
        verbose_name_plural = "重大基础设施前期项目"
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["code"], name="infra_code_unique",
                                    violation_error_message="编号已存在。"),
        ]

    def __str__(self) -> str:
        return self.name


class Milestone(OwnedLedger):
    """A milestone of an infrastructure project's 前期工作 (工可批复, 环评, 用地预审 …)."""

    project = models.ForeignKey(InfraProject, verbose_name="项目", on_delete=models.CASCADE,
                                related_name="milestones")
    name = models.CharField("节点", max_length=80)
    planned_date = models.DateField("计划完成")
    done_date = models.DateField("实际完成", null=True, blank=True)

    class Meta:
        verbose_name = "前期工作节点"
        verbose_name_plural = "前期工作节点"
        ordering = ["project_id", "planned_date"]
        constraints = [
            models.UniqueConstraint(fields=["project", "name"], name="milestone_unique_name",
                                    violation_error_message="该项目已有同名节点。"),
        ]

    def __str__(self) -> str:
        return f"{self.project.name}：{self.name}"
