"""Regions (GB/T 2260), departments, peer groups and the people who use Diaodu."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.functional import cached_property


class RegionQuerySet(models.QuerySet):
    def home(self) -> Region | None:
        """The home city (本市), or None before ``diaodu setup-city``."""
        code = home_code()
        return self.filter(code=code).first() if code else None

    def home_counties(self) -> RegionQuerySet:
        """The home city's 县区 (empty before ``diaodu setup-city``)."""
        return self.filter(parent_id=home_code() or None, level=Region.Level.COUNTY).order_by("code")

    def home_units(self) -> RegionQuerySet:
        """The home city and its 县区: the regions a ledger record of this city can belong to."""
        code = home_code() or None
        return self.filter(Q(code=code) | Q(parent_id=code, level=Region.Level.COUNTY)).order_by("code")


class Region(models.Model):
    """A node of the GB/T 2260 tree: the province, a 市州, or a 县区."""

    class Level(models.TextChoices):
        PROVINCE = "province", "省"
        CITY = "city", "市州"
        COUNTY = "county", "县区"

    code = models.CharField("区划代码", max_length=6, primary_key=True)
    name = models.CharField("名称", max_length=40)
    short_name = models.CharField("简称", max_length=20)
    level = models.CharField("层级", max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self", verbose_name="上级", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    order = models.PositiveIntegerField("排序", default=0)

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = "行政区划"
        verbose_name_plural = "行政区划"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_county(self) -> bool:
        return self.level == self.Level.COUNTY

    def peers(self) -> models.QuerySet[Region]:
        """The default peer group: the siblings under the same parent, self included."""
        if self.parent_id is None:
            return Region.objects.filter(pk=self.pk)
        return Region.objects.filter(parent_id=self.parent_id, level=self.level)


class Department(models.Model):
    """A department of a region's government (市发改委, 市统计局 …), with aliases."""

    code = models.SlugField("代码", max_length=20, unique=True)
    # 市统计局 exists in every city: a name is unique within its region only.
    name = models.CharField("名称", max_length=40)
    full_name = models.CharField("全称", max_length=80, blank=True)
    aliases = models.JSONField("别名", default=list, blank=True, help_text="例如 发改部门 → 市发改委")
    region = models.ForeignKey(Region, verbose_name="所属政府", on_delete=models.PROTECT, related_name="departments")
    order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = "部门"
        verbose_name_plural = "部门"
        ordering = ["order", "code"]
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="department_name_per_region")]

    def __str__(self) -> str:
        return self.name


class HomeCity(models.Model):
    """The one row saying which city this deployment serves (``diaodu setup-city``).

    The environment variable DIAODU_HOME_REGION, when set, wins over it."""

    region = models.ForeignKey(Region, verbose_name="本市", on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField("设置时间", auto_now=True)

    class Meta:
        verbose_name = "本市"
        verbose_name_plural = "本市"

    def __str__(self) -> str:
        return self.region.name


# The home city's code as stored, remembered per process once found (``diaodu.org.home`` is the
# accessor every other module imports; the code lives here, beside the row it reads).
_STORED_HOME: dict[str, str] = {}


def home_code() -> str:
    """DIAODU_HOME_REGION when set; else the city stored by ``diaodu setup-city``; else ""."""
    if settings.DIAODU_HOME_REGION:
        return settings.DIAODU_HOME_REGION
    if "code" not in _STORED_HOME:
        from django.db import DatabaseError

        try:
            row = HomeCity.objects.order_by("pk").values_list("region_id", flat=True).first()
        except DatabaseError:  # before migrate
            return ""
        if row is None:
            return ""  # not remembered: setup-city may run in another process at any moment
        _STORED_HOME["code"] = row
    return _STORED_HOME["code"]


def forget_home() -> None:
    """Drop the remembered stored code (after setup-city, a flush or a test)."""
    _STORED_HOME.clear()


class PeerGroup(models.Model):
    """A named group of regions ranked against each other (e.g. 全省14市州, 秦巴山区县)."""

    code = models.SlugField("代码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=60)
    members = models.ManyToManyField(Region, verbose_name="成员", related_name="peer_groups")

    class Meta:
        verbose_name = "比较组"
        verbose_name_plural = "比较组"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    ENTER = "enter", "数据填报"
    APPROVE = "approve", "数据审核"
    LEADER = "leader", "领导"
    ADMIN = "admin", "管理员"
    AUDITOR = "auditor", "审计员"


SEPARATION_ADMIN_AUDITOR = "同一人不能同时担任“管理员”和“审计员”（职责分离：管理员的操作由审计员审查）。"


def holds_admin_and_auditor(roles, is_superuser: bool) -> bool:
    """The first separation-of-duties rule (README: 职责分离); the rest is scopes.role_change_problem."""
    roles = set(roles or [])
    return Role.AUDITOR in roles and (Role.ADMIN in roles or is_superuser)


class Profile(models.Model):
    """The unit a user belongs to and the roles they hold there.

    A unit is either a region's government (a county government for a county
    clerk) or a department of the home city. Scopes derive from this alone
    (see ``diaodu.org.scopes``).
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name="用户", on_delete=models.CASCADE,
                                related_name="profile")
    region = models.ForeignKey(
        Region, verbose_name="所属政府", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(
        Department, verbose_name="所属部门", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    roles = models.JSONField("角色", default=list, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = "用户单位与角色"
        verbose_name_plural = "用户单位与角色"
        constraints = [
            models.CheckConstraint(
                name="profile_one_unit",
                condition=Q(region__isnull=True) | Q(department__isnull=True),
                violation_error_message="用户只能属于一个单位：政府或部门二选一。",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user.username}（{self.unit_name}）"

    def clean(self):
        from django.core.exceptions import ValidationError

        super().clean()
        superuser = bool(self.user.is_superuser) if self.user_id else False
        if holds_admin_and_auditor(self.roles, superuser):
            raise ValidationError({"roles": SEPARATION_ADMIN_AUDITOR})

    @property
    def unit_name(self) -> str:
        if self.department_id:
            return self.department.name
        if self.region_id:
            return f"{self.region.name}人民政府"
        return "未分配单位"

    @cached_property
    def role_set(self) -> frozenset[str]:
        return frozenset(self.roles or [])

    def role_labels(self) -> list[str]:
        return [Role(r).label for r in self.roles if r in Role.values]
