"""Import and export of 人工评分 (``manual-scores``): one row per scheme, item, unit scored and
month; the model checks that the item is one the scheme scores by hand and the value is in bounds."""

from __future__ import annotations

from diaodu.evaluation.models import ManualScore
from diaodu.ingest.ledgers import CompositeKeyImporter, Field


class ManualScoreImporter(CompositeKeyImporter):
    kind = "manual-scores"
    title = "人工评分"
    model = ManualScore
    key_fields = ("scheme", "item", "region", "year", "month")
    export_order = ("scheme", "year", "month", "item", "region_id")
    fields = (
        Field("scheme", "评价方案", required=True, aliases=("方案",)),
        Field("item", "评价项", required=True, aliases=("评价项代码", "加减分项")),
        Field("region", "被评单位", "region", required=True, aliases=("县区", "区划", "单位")),
        Field("year", "年度", "int", required=True, min_value=2000, max_value=2100),
        Field("month", "月份", "int", required=True, min_value=1, max_value=12),
        Field("value", "得分或次数", "number", required=True, aliases=("得分", "分值", "次数")),
        Field("note", "说明"),
    )
