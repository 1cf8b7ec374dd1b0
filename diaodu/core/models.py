"""The shape every ledger shares (projects, deals, enterprises, parcels, chains, parks, tasks …):
a record owned by a unit — a county (region) and/or a city department — with a responsible person
and a version for optimistic concurrency (NetBox's owned base model). Its writes go through
:mod:`diaodu.core.write_path`."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from diaodu.org.models import Department, Region


class OwnedLedger(models.Model):
    """Abstract base of a ledger record owned by a county and/or a department."""

    region = models.ForeignKey(Region, verbose_name="所属县区", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    department = models.ForeignKey(Department, verbose_name="责任部门", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    responsible = models.CharField("责任人", max_length=60, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", editable=False)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", editable=False)
    version = models.PositiveIntegerField("版本", default=1, editable=False)

    class Meta:
        abstract = True

    @property
    def owner_name(self) -> str:
        if self.region_id and self.department_id:
            return f"{self.region.name}·{self.department.name}"
        if self.region_id:
            return self.region.name
        if self.department_id:
            return self.department.name
        return "—"
