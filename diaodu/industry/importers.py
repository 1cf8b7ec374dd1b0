"""Chains (``chains``), their enterprises (``chain-members``) and parks (``parks``)."""

from __future__ import annotations

import copy

from diaodu.core import write_path
from diaodu.enterprises.models import Enterprise
from diaodu.industry.models import ChainEnterprise, IndustryChain, Park
from diaodu.ingest.exports import write_table
from diaodu.ingest.ledgers import Field, LedgerImporter, ModelCheckedImporter
from diaodu.ingest.tabular import RowProblems
from diaodu.org import scopes


class ChainImporter(ModelCheckedImporter):
    kind = "chains"
    title = "产业链"
    model = IndustryChain
    key_field = "code"
    fields = (
        Field("code", "链代码", required=True),
        Field("name", "产业链", required=True, aliases=("产业链名称",)),
        Field("chief", "链长", required=True),
        Field("task_force", "专班成员"),
        Field("department", "牵头部门", "department", aliases=("责任部门",)),
        Field("responsible", "专班联系人", aliases=("责任人",)),
        Field("year", "年度", "int", required=True, min_value=2000, max_value=2100),
        Field("output_target", "年度产值目标(亿元)", "number", min_value=0),
        Field("output_actual", "累计完成产值(亿元)", "number", min_value=0),
        Field("as_of_month", "截至月份", "int", min_value=1, max_value=12),
        Field("project_codes", "关联项目代码"),
        Field("deals", "关联招商项目"),
        Field("plan", "一链一方案"),
    )


class ChainMemberImporter(LedgerImporter):
    """Enterprises of the chains, one row each; written under the chain's scope."""

    kind = "chain-members"
    title = "链上企业"
    model = IndustryChain
    key_field = "code"
    fields = (
        Field("chain", "链代码", required=True),
        Field("name", "企业名称", required=True),
        Field("credit_code", "统一社会信用代码"),
        Field("segment", "环节", "choice", required=True, choices=tuple(ChainEnterprise.Segment.choices)),
        Field("is_leader", "链主企业", "bool"),
        Field("product", "主要产品"),
        Field("supplies_to", "配套对象"),
        Field("project_codes", "关联项目代码"),
    )

    def __init__(self, user, **options):
        super().__init__(user, **options)
        self.enterprises = {e.credit_code: e for e in Enterprise.objects.all()}
        self.members = {(m.chain_id, m.name): m for m in ChainEnterprise.objects.all()}

    def bind_row(self, cells):
        problems, values = [], {}
        for field in self.fields:
            try:
                values[field.name] = self.convert(field, cells.get(field.name))
            except ValueError as exc:
                problems.append((field.name, str(exc)))
        if not problems:
            chain = self.existing.get(values["chain"])
            if chain is None:
                problems.append(("chain", f"没有链代码“{values['chain']}”的产业链，请先导入产业链"))
            elif not scopes.can_write_ledger(self.user, chain.region_id, chain.department_id):
                problems.append(("chain", "无权修改该记录：只能导入本单位的台账"))
            values["chain"] = chain
            code = values.pop("credit_code").upper()
            values["enterprise"] = None
            if code:
                values["enterprise"] = self.enterprises.get(code)
                if values["enterprise"] is None:
                    problems.append(("credit_code", f"企业台账中没有统一社会信用代码“{code}”"))
        if problems:
            raise RowProblems(problems)
        return values

    def key_of(self, record):
        return (record["chain"].pk, record["name"])

    def write(self, records, *, dry_run):
        summary = type("Summary", (), {"created": 0, "updated": 0, "unchanged": 0})()
        for values in records:
            chain = values["chain"]
            row = self.members.get((chain.pk, values["name"]))
            if row is None:
                row = ChainEnterprise(**values)
                summary.created += 1
            else:
                if all(getattr(row, k) == v for k, v in values.items()):
                    summary.unchanged += 1
                    continue
                row = copy.copy(row)
                for key, value in values.items():
                    setattr(row, key, value)
                summary.updated += 1
            if not dry_run:
                write_path.save_child(self.user, chain, row, reason=self.reason, source=self.source)
        return summary

    @classmethod
    def export(cls, path, queryset=None) -> int:
        qs = queryset if queryset is not None else ChainEnterprise.objects.all()
        segments = dict(ChainEnterprise.Segment.choices)
        rows = ([m.chain.code, m.name, m.enterprise.credit_code if m.enterprise else "", segments[m.segment],
                 "是" if m.is_leader else "否", m.product, m.supplies_to, m.project_codes]
                for m in qs.select_related("chain", "enterprise").order_by("chain__code", "segment", "name"))
        return write_table(path, [f.label for f in cls.fields], rows, cls.title)


class ParkImporter(ModelCheckedImporter):
    kind = "parks"
    title = "百亿产业园区"
    model = Park
    key_field = "code"
    fields = (
        Field("code", "园区代码", required=True, aliases=("代码",)),
        Field("name", "园区名称", required=True, aliases=("名称", "园区（集群）")),
        Field("kind", "类型", "choice", choices=tuple(Park.Kind.choices)),
        Field("plan_status", "规划状态", "choice", required=True, choices=tuple(Park.PlanStatus.choices)),
        Field("department", "牵头部门", "department"),
        Field("lead_unit", "牵头单位"),
        Field("region", "属地县区", "region"),
        Field("financing_entity", "融资主体"),
        Field("plan_deadline", "规划编制期限", "date"),
        Field("plan_done_on", "规划完成日期", "date"),
        Field("output_target", "产值目标(亿元)", "number", min_value=0),
        Field("project_codes", "关联项目代码"),
        Field("responsible", "责任人"),
        Field("note", "备注"),
    )

    def validate(self, values):
        if not values.get("kind"):
            values["kind"] = Park.Kind.PARK
        return super().validate(values)
