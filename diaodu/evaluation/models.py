"""Manual scores of evaluation items, and the cache of the engine's results."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from diaodu.org.models import Region


class ManualScore(models.Model):
    """The points (or counts) of a manual item or bonus/penalty clause of a
    scoring scheme, for one unit and period (e.g. 重点工作 scored by the province)."""

    scheme = models.CharField("评价方案", max_length=60)
    item = models.CharField("评价项", max_length=60)
    region = models.ForeignKey(Region, verbose_name="区划", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年")
    month = models.PositiveSmallIntegerField("月")
    value = models.FloatField("得分或次数")
    note = models.CharField("说明", max_length=200, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "人工评分"
        verbose_name_plural = "人工评分"
        constraints = [
            models.UniqueConstraint(fields=["scheme", "item", "region", "year", "month"], name="manual_score_unique",
                                    violation_error_message="同一方案、评价项、区划、期别只能有一个人工评分。")
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.item} {self.year}-{self.month:02d}"


class ComputedResult(models.Model):
    """One engine result (ranks, gaps, forecasts, scores …) for a period, keyed by
    the fingerprint of the published data it was computed from. Publishing a
    figure changes the fingerprint, so stale results are never read."""

    key = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=30)
    period = models.CharField(max_length=7)
    fingerprint = models.CharField(max_length=64)
    payload = models.JSONField()
    computed_at = models.DateTimeField(auto_now_add=True)
    seconds = models.FloatField(default=0)

    class Meta:
        verbose_name = "测算结果缓存"
        verbose_name_plural = "测算结果缓存"
        indexes = [models.Index(fields=["kind", "period"], name="computed_kind_period_idx")]

    def __str__(self) -> str:
        return self.key
