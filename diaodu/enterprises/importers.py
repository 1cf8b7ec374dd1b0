"""Enterprise ledger import/export (kinds ``enterprises`` and ``enterprise-months``)."""

from __future__ import annotations

import copy

from diaodu.core import write_path
from diaodu.enterprises.codes import credit_code_problem
from diaodu.enterprises.models import Enterprise, EnterpriseMonth, ProductionStatus, StopCause
from diaodu.ingest.exports import write_table
from diaodu.ingest.ledgers import Field, LedgerImporter, ModelCheckedImporter
from diaodu.ingest.tabular import RowProblems, cell_text
from diaodu.org import scopes


class EnterpriseImporter(ModelCheckedImporter):
    kind = "enterprises"
    title = "企业台账"
    model = Enterprise
    key_field = "credit_code"
    fields = (
        Field("credit_code", "统一社会信用代码", required=True, aliases=("信用代码", "credit_code")),
        Field("name", "企业名称", required=True),
        Field("region", "所属县区", "region", required=True, aliases=("县区",)),
        Field("industry_code", "行业代码", required=True, aliases=("国民经济行业代码",)),
        Field("industry_name", "行业名称"),
        Field("above_scale", "是否规上", "bool", aliases=("规上",)),
        Field("scale_year", "入规年份", "int", min_value=1990, max_value=2100),
        Field("status", "生产状态", "choice", required=True, choices=tuple(ProductionStatus.choices)),
        Field("cause", "停产原因", "choice", choices=tuple(StopCause.choices)),
        Field("cause_note", "原因说明"),
        Field("measures", "帮扶措施"),
        Field("responsible", "责任人", aliases=("包抓领导",)),
        Field("department", "责任部门", "department"),
        Field("note", "备注"),
    )

    def convert(self, field, raw):
        value = super().convert(field, raw)
        if field.name == "credit_code":
            value = value.upper()
            problem = credit_code_problem(value)
            if problem:
                raise ValueError(problem)
        return value


class EnterpriseMonthImporter(LedgerImporter):
    """Monthly figures (当月, 万元), keyed by 统一社会信用代码 + 年度 + 月份; written
    under the enterprise's scope through ``write_path.save_child``."""

    kind = "enterprise-months"
    title = "企业月度数据"
    model = Enterprise
    key_field = "credit_code"
    fields = (
        Field("credit_code", "统一社会信用代码", required=True, aliases=("信用代码",)),
        Field("enterprise_name", "企业名称"),
        Field("year", "年度", "int", required=True, min_value=2000, max_value=2100),
        Field("month", "月份", "int", required=True, min_value=1, max_value=12),
        Field("revenue", "当月主营业务收入(万元)", "number", min_value=0, aliases=("主营业务收入",)),
        Field("output", "当月工业总产值(万元)", "number", min_value=0, aliases=("工业总产值",)),
    )

    def __init__(self, user, **options):
        super().__init__(user, **options)
        self.months = {(m.enterprise_id, m.year, m.month): m for m in EnterpriseMonth.objects.all()}

    def to_model_number(self, field, number):
        return round(number, 2)

    def bind_row(self, cells):
        problems, values = [], {}
        for field in self.fields:
            try:
                values[field.name] = self.convert(field, cells.get(field.name))
            except ValueError as exc:
                problems.append((field.name, str(exc)))
        enterprise = self.existing.get(cell_text(values.get("credit_code")).upper())
        if not problems:
            if enterprise is None:
                problems.append(("credit_code", f"企业台账中没有统一社会信用代码“{values['credit_code']}”，请先导入企业"))
            elif values.get("enterprise_name") and values["enterprise_name"] != enterprise.name:
                problems.append(("enterprise_name", f"企业名称与台账不符：台账为“{enterprise.name}”"))
            elif not scopes.can_write_ledger(self.user, enterprise.region_id, enterprise.department_id):
                problems.append(("credit_code", "无权修改该记录：只能导入本单位的台账"))
        if problems:
            raise RowProblems(problems)
        values["enterprise"] = enterprise
        return values

    def key_of(self, record):
        return (record["enterprise"].pk, record["year"], record["month"])

    def write(self, records, *, dry_run):
        summary = type("Summary", (), {"created": 0, "updated": 0, "unchanged": 0})()
        for values in records:
            ent = values["enterprise"]
            row = self.months.get((ent.pk, values["year"], values["month"]))
            if row is None:
                row = EnterpriseMonth(enterprise=ent, year=values["year"], month=values["month"])
                summary.created += 1
            else:
                row = copy.copy(row)
            new = {"revenue": values["revenue"], "output": values["output"]}
            same = all(_num(getattr(row, k)) == _num(v) for k, v in new.items())
            if row.pk and same:
                summary.unchanged += 1
                continue
            if row.pk:
                summary.updated += 1
            for key, value in new.items():
                setattr(row, key, value)
            if not dry_run:
                write_path.save_child(self.user, ent, row, reason=self.reason, source=self.source)
        return summary

    @classmethod
    def export(cls, path, queryset=None) -> int:
        qs = queryset if queryset is not None else EnterpriseMonth.objects.all()
        rows = ([m.enterprise.credit_code, m.enterprise.name, m.year, m.month, m.revenue, m.output]
                for m in qs.select_related("enterprise").order_by("enterprise__credit_code", "year", "month"))
        return write_table(path, [f.label for f in cls.fields], rows, cls.title)


def _num(value):
    return None if value is None else round(float(value), 2)
