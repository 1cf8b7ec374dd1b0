"""Manual scores of evaluation items, and the cache of the engine's results."""

from __future__ import annotations

import functools

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from diaodu import engine
from diaodu.core.models import OwnedLedger
from diaodu.org.models import Region


class ManualScore(OwnedLedger):
    """The points (or counts) of a manual item or bonus/penalty clause of a
    scoring scheme, for one unit and period (e.g. 重点工作 scored by the province).

    A ledger (``manual-scores``) whose ``region`` is the unit scored. It is set from above, like
    targets: approvers and 管理员 covering the region write it, a county never scores itself
    (``scopes.can_write_owned``)."""

    set_from_above = True

    scheme = models.CharField("评价方案", max_length=60, help_text="方案代码，如 county_keywork_2021")
    item = models.CharField("评价项", max_length=60, help_text="方案中人工评分项或加减分项的代码")
    region = models.ForeignKey(Region, verbose_name="被评单位", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度", validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    month = models.PositiveSmallIntegerField("月份", validators=[MinValueValidator(1), MaxValueValidator(12)])
    value = models.FloatField("得分或次数")
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "人工评分"
        verbose_name_plural = "人工评分"
        ordering = ["scheme", "year", "month", "item", "region_id"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "item", "region", "year", "month"], name="manual_score_unique",
                                    violation_error_message="同一方案、评价项、区划、期别只能有一个人工评分。")
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.item} {self.year}-{self.month:02d}"

    def clean(self):
        """The item must be one the scheme scores by hand, the value within its bounds: a manual
        item's points between 0 and its weight, a bonus or penalty clause's count not negative."""
        if not self.scheme or not self.item:
            return
        try:
            items = manual_items(self.scheme)
        except ValueError as exc:
            raise ValidationError({"scheme": str(exc)})
        if self.item not in items:
            raise ValidationError({"item": f"评价方案 {self.scheme} 没有人工评分项“{self.item}”：可选 {'、'.join(items) or '无'}"})
        name, ceiling = items[self.item]
        if self.value is None:
            return
        if ceiling is not None and not 0 <= self.value <= ceiling:
            raise ValidationError({"value": f"“{name}”的得分应在 0 到 {ceiling:g} 之间，实为 {self.value:g}"})
        if ceiling is None and self.value < 0:
            raise ValidationError({"value": f"“{name}”的次数不能为负数，实为 {self.value:g}"})


@functools.lru_cache(maxsize=16)
def manual_items(scheme: str) -> dict[str, tuple[str, float | None]]:
    """code → (name, the most points it gives) of a scheme's hand-scored items (``method: manual``:
    at most their weight) and clauses (``source: manual``: counts, no ceiling). ValueError if the
    scheme is unknown."""
    spec = engine.load_scheme(scheme)
    out = {i["code"]: (i["name"], float(i["weight"])) for i in spec["items"] if i["method"] == "manual"}
    out.update({a["code"]: (a["name"], None) for a in spec.get("adjustments", []) if a.get("source") == "manual"})
    return out


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
