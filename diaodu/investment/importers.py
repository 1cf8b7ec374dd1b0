"""Import and export of the 招商引资 ledger: deals (keyed by 项目编号) and funds arrived
(keyed by 项目编号 + 年度 + 月份), all or nothing, a county only its own."""

from __future__ import annotations

from diaodu.ingest.ledgers import ChildImporter, Field, LedgerImporter
from diaodu.investment import actions
from diaodu.investment.models import Channel, Deal, DealStage, FundsArrival


class DealImporter(LedgerImporter):
    kind = "deals"
    title = "招商引资项目"
    model = Deal
    key_field = "code"
    fields = (
        Field("code", "项目编号", required=True, aliases=("招商项目编号",)),
        Field("name", "项目名称", required=True),
        Field("region", "所属县区", "region", required=True),
        Field("department", "责任部门", "department"),
        Field("counterparty", "投资方", required=True, aliases=("签约企业", "合作企业")),
        Field("industry", "产业"),
        Field("channel", "招商渠道", "choice", choices=tuple(Channel.choices)),
        Field("stage", "进展阶段", "choice", required=True, choices=tuple(DealStage.choices)),
        Field("contract_amount", "签约金额（亿元）", "number", min_value=0),
        Field("signed_date", "签约日期", "date"),
        Field("expected_sign_date", "预计签约日期", "date"),
        Field("expected_start_date", "预计开工日期", "date"),
        Field("start_date", "开工日期", "date"),
        Field("expected_operation_date", "预计投产日期", "date"),
        Field("responsible", "责任人"),
        Field("note", "备注"),
    )

    def convert(self, field, raw):
        value = super().convert(field, raw)
        if field.name == "channel" and value == "":
            return Channel.DIRECT
        if field.kind == "number" and value is None:
            return self.to_model_number(field, 0.0)
        return value

    def validate(self, values):
        problems = []
        if values["stage"] in (DealStage.SIGNED, DealStage.STARTED, DealStage.OPERATING) and not values["signed_date"]:
            problems.append(("signed_date", "已签约的项目须填写签约日期"))
        if values["stage"] in (DealStage.STARTED, DealStage.OPERATING) and not values["start_date"]:
            problems.append(("start_date", "已开工的项目须填写开工日期"))
        if values["signed_date"] and values["start_date"] and values["start_date"] < values["signed_date"]:
            problems.append(("start_date", "开工日期不能早于签约日期"))
        return problems


class ArrivalImporter(ChildImporter):
    kind = "deal-arrivals"
    title = "到位资金"
    model = FundsArrival
    parent_model = Deal
    parent_field = "deal"
    parent_label = "招商引资台账"
    fields = (
        Field("deal", "项目编号", "parent", required=True, aliases=("招商项目编号",)),
        Field("year", "年度", "int", required=True, min_value=2000, max_value=2100),
        Field("month", "月份", "int", required=True),
        Field("amount", "到位资金（亿元）", "number", required=True, min_value=0),
        Field("note", "备注"),
    )

    def save_row(self, values):
        actions.record_arrival(self.user, values["deal"], values["year"], values["month"], values["amount"],
                               note=values["note"], reason=self.reason, source=self.source)


def export_deals(path, period=None, year=None) -> int:
    return DealImporter.export(path)


def export_arrivals(path, period=None, year=None) -> int:
    qs = FundsArrival.objects.all()
    if year:
        qs = qs.filter(year=year)
    return ArrivalImporter.export(path, qs)
