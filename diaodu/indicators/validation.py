"""The validation rules applied to figures: the write path (``actions.submit_figures``), the
import, the web, the API and ``diaodu validate`` all call :func:`check_rows` / :func:`check_period`.

The rules themselves are data (:class:`~diaodu.indicators.models.ValidationRule`, 配置); the
arithmetic is the engine's (:func:`diaodu.engine.validation.validate`).
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from diaodu.engine.periods import Period
from diaodu.engine.validation import BLOCKING, WARNING, validate
from diaodu.indicators.models import Indicator, Observation, ValidationRule
from diaodu.org.models import Region

__all__ = ["BLOCKING", "WARNING", "RuleViolations", "active_rules", "check_period", "check_rows"]


class RuleViolations(Exception):
    """Figures break validation rules: blocking ones, or warnings not confirmed."""

    def __init__(self, violations: list[dict]):
        self.violations = violations
        self.blocking = [v for v in violations if v["severity"] == BLOCKING]
        self.warnings = [v for v in violations if v["severity"] == WARNING]
        if self.blocking:
            head = f"数据未通过逻辑性审核（{len(self.blocking)} 处），未写入："
            shown = self.blocking
        else:
            head = f"数据有 {len(self.warnings)} 处合理性警告，确认无误后方可提交（命令行加 --accept-warnings）："
            shown = self.warnings
        super().__init__(head + "；".join(v["message"] for v in shown[:5]) + ("…" if len(shown) > 5 else ""))


def active_rules() -> list[dict]:
    return [rule.as_engine_rule() for rule in ValidationRule.objects.filter(active=True)]


def _indicators() -> pd.DataFrame:
    rows = Indicator.objects.values_list("code", "name", "kind", "price_basis", "additive", "frequency")
    return pd.DataFrame.from_records(list(rows), columns=["code", "name", "kind", "price_basis", "additive", "frequency"])


def _regions() -> pd.DataFrame:
    rows = Region.objects.values_list("code", "name", "parent_id", "level")
    return pd.DataFrame.from_records(list(rows), columns=["code", "name", "parent", "level"])


def _stored(indicator_codes: Iterable[str], published_only: bool = False) -> pd.DataFrame:
    """Stored figures of these indicators: the latest revision (or the published one)."""
    qs = Observation.objects.filter(indicator__code__in=set(indicator_codes))
    if published_only:
        qs = qs.filter(published_revision__isnull=False)
        fields = ("region_id", "indicator__code", "year", "month", "published_value", "published_growth")
    else:
        fields = ("region_id", "indicator__code", "year", "month", "value", "growth")
    frame = pd.DataFrame.from_records(list(qs.values_list(*fields)),
                                      columns=["region", "indicator", "year", "month", "value", "growth"])
    return frame.assign(check=False)


def check_rows(rows: list, rules: list[dict] | None = None) -> list[dict]:
    """The violations of the active rules by figures about to be written (``FigureInput``s),
    compared with the stored figures they join. Empty when nothing is wrong or no rule is active."""
    rules = active_rules() if rules is None else rules
    if not rows or not rules:
        return []
    new = pd.DataFrame.from_records(
        [(r.region, r.indicator, r.year, r.month, r.value, r.growth) for r in rows],
        columns=["region", "indicator", "year", "month", "value", "growth"],
    ).assign(check=True)
    stored = _stored(new["indicator"].unique())
    if len(stored):
        keys = ["region", "indicator", "year", "month"]
        # A row equal to what is stored changes nothing (a re-import): it is context, not judged.
        same = new.merge(stored.drop(columns="check"), on=keys, how="left", suffixes=("", "_stored"))
        stored = stored.merge(new[keys], on=keys, how="left", indicator=True)
        stored = stored[stored["_merge"] == "left_only"].drop(columns="_merge")
        unchanged = (_equal(same["value"], same["value_stored"]) & _equal(same["growth"], same["growth_stored"]))
        new["check"] = ~unchanged.to_numpy()
        figures = pd.concat([stored, new], ignore_index=True)
    else:
        figures = new
    found = validate(figures, _indicators(), _regions(), rules)
    return found.to_dict("records")


def _equal(a: pd.Series, b: pd.Series) -> pd.Series:
    a, b = pd.to_numeric(a, errors="coerce"), pd.to_numeric(b, errors="coerce")
    return ((a - b).abs() <= 1e-9 * a.abs().clip(lower=1)) | (a.isna() & b.isna())


def check_period(period: Period, rules: list[dict] | None = None, published_only: bool = False) -> list[dict]:
    """Every violation by the stored figures of ``period`` (``diaodu validate``)."""
    rules = active_rules() if rules is None else rules
    if not rules:
        return []
    figures = _stored(Indicator.objects.values_list("code", flat=True), published_only=published_only)
    figures["check"] = (figures["year"] == period.year) & (figures["month"] == period.month)
    return validate(figures, _indicators(), _regions(), rules).to_dict("records")
