"""Fiscal import/export: budget execution (``budget-lines``), land parcels
(``land-parcels``), 专项债券 (``special-bonds``) and the 财力缺口 parameters
(``fiscal-gap``). The unit column takes 市级 (or 市本级) for the city's own level."""

from __future__ import annotations

from diaodu.fiscal.models import (
    CITY_LEVEL_LABEL,
    BudgetExecution,
    FiscalItem,
    GapParameters,
    LandParcel,
    SpecialBond,
    unit_label,
)
from diaodu.ingest.ledgers import CompositeKeyImporter, Field, ModelCheckedImporter
from diaodu.org.home import home_code

CITY_LEVEL_NAMES = (CITY_LEVEL_LABEL, "市本级", "本级")
UNIT_ALIASES = ("单位", "县区", "所属县区", "预算级次")


class FiscalUnitMixin:
    """Units are 市级 or a county; exported as 市级 / the county's name."""

    def convert(self, field, raw):
        if field.kind == "region":
            text = str(raw or "").strip()
            if text in CITY_LEVEL_NAMES:
                raw = home_code()
        value = super().convert(field, raw)
        if field.kind == "region" and value is not None:
            home = home_code()
            if value.code != home and value.parent_id != home:
                raise ValueError(f"单位“{value.name}”不是市级或本市县区")
        return value

    @classmethod
    def export_value(cls, field, value):
        if field.kind == "region" and value is not None:
            return unit_label(value)
        return super().export_value(field, value)


class BudgetImporter(FiscalUnitMixin, CompositeKeyImporter):
    kind = "budget-lines"
    title = "预算执行"
    model = BudgetExecution
    key_fields = ("region", "year", "month", "item")
    export_order = ("year", "month", "region_id", "item")
    fields = (
        Field("region", "单位", "region", required=True, aliases=UNIT_ALIASES),
        Field("year", "年度", "int", required=True, min_value=2000, max_value=2100),
        Field("month", "月份", "int", required=True, min_value=1, max_value=12),
        Field("item", "科目", "choice", required=True, choices=tuple(FiscalItem.choices)),
        Field("budget", "年初预算(亿元)", "number", min_value=0, aliases=("预算数", "年初预算")),
        Field("actual", "累计完成(亿元)", "number", aliases=("累计完成", "1-n月累计", "完成数")),
        Field("department", "责任部门", "department"),
        Field("note", "备注"),
    )

    def convert(self, field, raw):
        if field.kind == "choice" and field.name == "item":
            text = str(raw or "").strip()
            for value, label in FiscalItem.choices:  # 税收收入 for 其中：税收收入
                if text and text == label.removeprefix("其中："):
                    return value
        return super().convert(field, raw)


class LandParcelImporter(FiscalUnitMixin, ModelCheckedImporter):
    kind = "land-parcels"
    title = "出让宗地"
    model = LandParcel
    key_field = "code"
    fields = (
        Field("code", "宗地编号", required=True),
        Field("location", "宗地位置", required=True),
        Field("region", "单位", "region", required=True, aliases=UNIT_ALIASES),
        Field("use", "用途"),
        Field("area_mu", "面积(亩)", "number", min_value=0),
        Field("sold_on", "成交日期", "date"),
        Field("buyer", "竞得人"),
        Field("fee_due", "应缴出让金(万元)", "number", required=True, min_value=0),
        Field("fee_paid", "已缴(万元)", "number", min_value=0),
        Field("due_date", "缴清期限", "date"),
        Field("unit", "责任单位"),
        Field("department", "责任部门", "department"),
        Field("responsible", "责任人"),
        Field("measures", "清缴措施"),
    )

    def validate(self, values):
        if values.get("fee_paid") is None:
            values["fee_paid"] = 0
        return super().validate(values)


class SpecialBondImporter(FiscalUnitMixin, ModelCheckedImporter):
    kind = "special-bonds"
    title = "专项债券"
    model = SpecialBond
    key_field = "code"
    fields = (
        Field("code", "债券项目编号", required=True),
        Field("name", "项目名称", required=True),
        Field("region", "单位", "region", required=True, aliases=UNIT_ALIASES),
        Field("project_code", "项目代码"),
        Field("year", "年度", "int", required=True, min_value=2000, max_value=2100),
        Field("allocated", "分配额度(万元)", "number", required=True, min_value=0),
        Field("spent", "已支出(万元)", "number", min_value=0),
        Field("department", "责任部门", "department"),
        Field("responsible", "责任人"),
        Field("note", "备注"),
    )

    def validate(self, values):
        if values.get("spent") is None:
            values["spent"] = 0
        return super().validate(values)


class GapParametersImporter(FiscalUnitMixin, CompositeKeyImporter):
    kind = "fiscal-gap"
    title = "财力缺口参数"
    model = GapParameters
    key_fields = ("region", "year")
    export_order = ("year", "region_id")
    projections = tuple(GapParameters.Projection.choices)
    fields = (
        Field("region", "单位", "region", required=True, aliases=UNIT_ALIASES),
        Field("year", "年度", "int", required=True, min_value=2000, max_value=2100),
        Field("transfers", "上级补助(亿元)", "number", required=True),
        Field("carryover", "上年结转及调入(亿元)", "number", required=True),
        Field("remittance", "上解支出(亿元)", "number", required=True),
        Field("land_share", "土地出让收入计入比例", "number", required=True, min_value=0, max_value=1),
        Field("rigid_need", "刚性支出需求(亿元)", "number", required=True),
        Field("revenue_projection", "一般公共预算收入推算", "choice", required=True, choices=projections),
        Field("land_projection", "土地出让收入推算", "choice", required=True, choices=projections),
        Field("department", "责任部门", "department"),
        Field("note", "口径说明"),
    )
