"""The ledgers' documents: 重点项目和招商引资推进情况通报 and 工业企业和财政运行情况通报.

Tables and paragraphs are written from :mod:`.ledger_sources` rows (each one the ledger app's own
query or calculation); every number goes through ``doc.facts`` with its source, like the engine's
documents. Shares print as percentages (``transform='pct'``).
"""

from __future__ import annotations

import datetime as dt

from diaodu.engine.periods import Period

from . import ledger_sources
from .data import PeriodData
from .doc import Cell, Column, Doc, Table
from .facts import Src, apply
from .issuance import chinese_date

MODULE = ledger_sources.__name__
MAX_LIST_ROWS = 200  # a list longer than this is cut in the document (the note says so)


class Sources:
    """Cached calls of :mod:`.ledger_sources` for one period, each row with its :class:`Src`."""

    def __init__(self, period: Period):
        self.period = str(period)
        self._cache: dict = {}

    def get(self, fn: str, **args):
        args = {"period": self.period, **args}
        key = (fn, tuple(sorted(args.items())))
        if key not in self._cache:
            self._cache[key] = getattr(ledger_sources, fn)(**args)
        return self._cache[key], args

    def rows(self, fn: str, keys: tuple[str, ...], path: str = "", **args) -> list[tuple[dict, callable]]:
        """[(row, field → Src)] of a list source (``path='rows'`` for the listed ones)."""
        result, args = self.get(fn, **args)
        rows = result[path] if path else result
        return [(r, self._src(fn, args, {k: r[k] for k in keys}, path)) for r in rows]

    def one(self, fn: str, **args) -> tuple[dict, callable]:
        """(result, field → Src) of a source returning one dict (counts, totals, 序时进度)."""
        result, args = self.get(fn, **args)
        return result, self._src(fn, args, {}, "")

    def _src(self, fn, args, row, path):
        return lambda field: Src(f"{MODULE}.{fn}", args, row, field, path, ledger=ledger_sources.LEDGER.get(fn, ""))


def num(doc: Doc, pair, field: str, digits: int, transform: str = "") -> str:
    row, src = pair
    return doc.facts.num(row, src(field), digits, transform=transform)


def num_cell(doc: Doc, pair, field: str, digits: int, transform: str = "", fill: str = "") -> Cell:
    row, src = pair
    value = row.get(field) if row else None
    if value is None:
        return Cell("—", None, digits, fill)
    return Cell(doc.facts.num(row, src(field), digits, transform=transform), apply(value, transform), digits, fill)


def iso_to_chinese(text: str | None) -> str:
    """2021-03-15 → 2021年3月15日 (dates in documents are written the Chinese way)."""
    if not text:
        return ""
    day = dt.date.fromisoformat(text)
    return chinese_date(day)


def diff_cell(doc: Doc, pair, a: str, b: str, digits: int, transform: str = "", fill: str = "") -> Cell:
    """A cell holding ``row[a] − row[b]`` as the difference of the two printed numbers."""
    row, src = pair
    text, value = doc.facts.diff(row, src, a, b, digits, transform=transform)
    if value is None:
        return Cell("—", None, digits, fill)
    return Cell(text, float(value), digits, fill)


def text_cell(text) -> Cell:
    text = "" if text is None else str(text)
    return Cell(text or "—", text or None)


def _add(doc: Doc, table: Table) -> None:
    """A table, unless it has no rows (the paragraph before it says there is nothing to list)."""
    if table.rows:
        doc.add_table(table)


def _cut(rows: list, note: str) -> tuple[list, str]:
    if len(rows) > MAX_LIST_ROWS:
        return rows[:MAX_LIST_ROWS], note + f"本表列前{MAX_LIST_ROWS}个，完整清单见台账。"
    return rows, note


# --- 重点项目和招商引资 ------------------------------------------------------------------------

def projects(period: Period | str, data: PeriodData | None = None) -> Doc:
    d = data or PeriodData(period)
    s = Sources(d.period)
    words, year, home = d.words(), d.period.year, d.home.name
    doc = Doc(name=f"重点项目和招商引资推进情况通报_{d.period}", title=f"{home}{year}年{words}重点项目和招商引资推进情况通报")
    doc.add("title", doc.title)
    doc.add("blank")
    doc.p(f"现将截至{d.period.year}年{d.period.month}月底全市重点项目建设和招商引资推进情况通报如下。")

    doc.add("h1", "一、重点项目建设情况")
    doc.add("h2", "（一）县区项目开工率和投资完成率")
    schedule = s.one("project_schedule")
    counties = s.rows("project_counties", ("region_code",))
    sched = num(doc, schedule, "schedule", 1)
    text = f"按本年计划投资{words}序时进度{sched}%衡量，"
    parts = []
    for field, label in (("start_rate", "项目开工率"), ("completion", "年度计划投资完成率")):
        ranked = sorted((p for p in counties if p[0].get(f"rank_{field}") is not None),
                        key=lambda p: (p[0][f"rank_{field}"], p[0]["region_code"]))
        if ranked:
            first, last = ranked[0], ranked[-1]
            parts.append(f"{label}最高的是{first[0]['region_name']}（{num(doc, first, field, 1, 'pct')}%），"
                         f"最低的是{last[0]['region_name']}（{num(doc, last, field, 1, 'pct')}%）")
    behind_counties = [p for p in counties if p[0]["completion"] is not None
                       and apply(p[0]["completion"], "pct") < schedule[0]["schedule"]]
    text += "；".join(parts) + "。" if parts else "各县区暂无重点项目数据。"
    if behind_counties:
        text += "、".join(p[0]["region_name"] for p in behind_counties) + "投资完成率低于序时进度，要加快推进。"
    doc.p(text)
    columns = [Column("县区", width=18), Column("计划开工", "项目开工", 13, 0), Column("已开工", "项目开工", 13, 0),
               Column("开工率%", "项目开工", 14, 1), Column("位次", "项目开工", 10, 0),
               Column("本年计划", "年度投资（亿元）", 16, 2), Column("本年完成", "年度投资（亿元）", 16, 2),
               Column("完成率%", "年度投资（亿元）", 14, 1), Column("位次", "年度投资（亿元）", 10, 0),
               Column("滞后项目", width=14, digits=0)]
    rows = []
    for pair in counties:
        row = pair[0]
        fill = ""
        if row["completion"] is not None:
            fill = "green" if apply(row["completion"], "pct") >= schedule[0]["schedule"] else "red"
        rows.append([text_cell(row["region_name"]), num_cell(doc, pair, "planned_starts", 0),
                     num_cell(doc, pair, "started", 0), num_cell(doc, pair, "start_rate", 1, "pct"),
                     num_cell(doc, pair, "rank_start_rate", 0), num_cell(doc, pair, "annual_plan", 2),
                     num_cell(doc, pair, "ytd", 2), num_cell(doc, pair, "completion", 1, "pct", fill),
                     num_cell(doc, pair, "rank_completion", 0), num_cell(doc, pair, "behind", 0)])
    _add(doc, Table("表一　县区重点项目开工率和投资完成率", columns, rows, sheet="开工率和投资完成率",
                        subtitle=f"序时进度：{sched}%",
                        note="注：开工率＝已开工项目数/本年计划开工项目数；完成率＝已开工项目本年累计完成投资/本年计划投资，"
                             "绿色为达到序时进度，红色为低于序时进度；位次为在全市县区中的位次。",
                        xlsx_title=f"{home}{year}年{words}县区重点项目开工率和投资完成率"))

    doc.add("h2", "（二）滞后序时进度项目")
    behind, behind_src = s.one("projects_behind")
    listed = s.rows("projects_behind", ("code",), path="rows")
    if listed:
        top = "、".join(f"{r['name']}（差额{doc.facts.diff(r, src, 'target', 'ytd', 2)[0]}亿元）"
                       for r, src in listed[:3])
        doc.p(f"全市有{num(doc, (behind, behind_src), 'count', 0)}个已开工项目本年累计完成投资低于序时目标，"
              f"差额较大的有{top}。各县区和项目单位要逐个分析原因，倒排工期、加快进度。")
    else:
        doc.p("本期没有滞后序时进度的项目。")
    listed, note = _cut(listed, "注：序时目标＝本年计划投资×月数/12；按差额从大到小排列。")
    columns = [Column("项目名称", width=38), Column("统一项目代码", width=30), Column("县区", width=15),
               Column("本年计划", width=14, digits=2), Column("序时目标", width=14, digits=2),
               Column("本年完成", width=14, digits=2), Column("完成率%", width=12, digits=1),
               Column("差额", width=14, digits=2)]
    rows = [[text_cell(r["name"]), text_cell(r["code"]), text_cell(r["owner"]),
             num_cell(doc, (r, src), "annual_plan", 2), num_cell(doc, (r, src), "target", 2),
             num_cell(doc, (r, src), "ytd", 2), num_cell(doc, (r, src), "completion", 1, "pct", "red"),
             diff_cell(doc, (r, src), "target", "ytd", 2)] for r, src in listed]
    _add(doc, Table("表二　滞后序时进度的项目", columns, rows, sheet="滞后项目", subtitle="单位：亿元、%",
                        note=note, xlsx_title=f"{home}{year}年{words}滞后序时进度的重点项目"))

    doc.add("h2", "（三）集中开工后无实质进展项目")
    idle, idle_src = s.one("projects_idle")
    listed = s.rows("projects_idle", ("code",), path="rows")
    if listed:
        doc.p(f"参加集中开工的项目中，有{num(doc, (idle, idle_src), 'count', 0)}个自开工以来未报送新完成投资，"
              "不能一开了之、久无动静，各包抓领导要逐一过问，推动项目尽快形成实物工作量。")
    else:
        doc.p("集中开工项目开工后均有投资进展。")
    listed, note = _cut(listed, "注：自集中开工当月起未报送新增完成投资的项目。")
    columns = [Column("项目名称", width=40), Column("统一项目代码", width=30), Column("县区", width=15),
               Column("集中开工批次", width=28), Column("开工日期", width=18),
               Column("此后报送", width=12, digits=0), Column("最近报送", width=13)]
    rows = [[text_cell(r["name"]), text_cell(r["code"]), text_cell(r["owner"]), text_cell(r["batch"]),
             text_cell(iso_to_chinese(r["since"])), num_cell(doc, (r, src), "reports_since", 0),
             text_cell(r["last_report"])]
            for r, src in listed]
    _add(doc, Table("表三　集中开工后无进展的项目", columns, rows, sheet="集中开工无进展", note=note,
                        xlsx_title=f"{home}{year}年{words}集中开工后无进展的项目"))

    doc.add("h2", "（四）计划开工未开工项目")
    groups, groups_src = s.one("projects_not_started")
    listed = s.rows("projects_not_started", ("obstacle",), path="rows")
    if listed:
        doc.p(f"计划本期前开工但尚未开工的项目，按制约因素分为{num(doc, (groups, groups_src), 'count', 0)}类："
              + "；".join(f"{r['obstacle']}{num(doc, (r, src), 'count', 0)}个" for r, src in listed) + "。")
    else:
        doc.p("计划开工的项目均已开工。")
    columns = [Column("制约因素", width=30), Column("项目数", width=16, digits=0), Column("主要项目", width=108)]
    rows = [[text_cell(r["obstacle"]), num_cell(doc, (r, src), "count", 0), text_cell(r["names"])]
            for r, src in listed]
    _add(doc, Table("表四　计划开工未开工项目（按制约因素）", columns, rows, sheet="未开工项目",
                        xlsx_title=f"{home}{year}年{words}计划开工未开工项目"))

    doc.add("h2", "（五）在建未入库纳统项目")
    stats, stats_src = s.one("projects_not_in_statistics")
    listed = s.rows("projects_not_in_statistics", ("code",), path="rows")
    if listed:
        doc.p(f"符合入库纳统条件的在建项目中，还有{num(doc, (stats, stats_src), 'count', 0)}个未入库纳统，"
              "请各县区按入库期限逐个办结，确保应统尽统。")
    else:
        doc.p("符合条件的在建项目均已入库纳统。")
    listed, note = _cut(listed, "注：按入库期限先后排列，未定期限的列后。")
    columns = [Column("项目名称", width=40), Column("统一项目代码", width=30), Column("县区", width=15),
               Column("建设阶段", width=14), Column("总投资", width=15, digits=2), Column("入库状态", width=20),
               Column("入库期限", width=20)]
    rows = [[text_cell(r["name"]), text_cell(r["code"]), text_cell(r["owner"]), text_cell(r["stage"]),
             num_cell(doc, (r, src), "total_investment", 2), text_cell(r["status"]),
             text_cell(iso_to_chinese(r["deadline"]))]
            for r, src in listed]
    _add(doc, Table("表五　在建未入库纳统项目", columns, rows, sheet="未入库纳统", subtitle="单位：亿元",
                        note=note, xlsx_title=f"{home}{year}年{words}在建未入库纳统项目"))

    doc.add("h1", "二、招商引资推进情况")
    deals = s.rows("investment_counties", ("region_code",))
    parts = []
    for field, label in (("start_rate", "签约项目开工率"), ("funds_rate", "资金到位率"), ("performance_rate", "履约率")):
        ranked = sorted((p for p in deals if p[0].get(f"rank_{field}") is not None),
                        key=lambda p: (p[0][f"rank_{field}"], p[0]["region_code"]))
        if ranked:
            parts.append(f"{label}最低的是{ranked[-1][0]['region_name']}（{num(doc, ranked[-1], field, 1, 'pct')}%）")
    doc.p(("各县区招商引资“一把手工程”推进中，" + "，".join(parts) + "。签约项目要盯紧开工、资金要盯紧到位，"
           "推动更多项目落地见效。") if parts else "各县区暂无招商引资签约项目。")
    columns = [Column("县区", width=16), Column("签约项目", "签约项目开工", 12, 0), Column("已开工", "签约项目开工", 11, 0),
               Column("开工率%", "签约项目开工", 12, 1), Column("位次", "签约项目开工", 9, 0),
               Column("签约金额", "资金到位（亿元）", 15, 2), Column("到位资金", "资金到位（亿元）", 15, 2),
               Column("到位率%", "资金到位（亿元）", 12, 1), Column("位次", "资金到位（亿元）", 9, 0),
               Column("终止", "履约", 9, 0), Column("履约率%", "履约", 12, 1), Column("位次", "履约", 9, 0)]
    rows = [[text_cell(r["region_name"]), num_cell(doc, (r, src), "signed", 0), num_cell(doc, (r, src), "started", 0),
             num_cell(doc, (r, src), "start_rate", 1, "pct"), num_cell(doc, (r, src), "rank_start_rate", 0),
             num_cell(doc, (r, src), "contracted", 2), num_cell(doc, (r, src), "arrived", 2),
             num_cell(doc, (r, src), "funds_rate", 1, "pct"), num_cell(doc, (r, src), "rank_funds_rate", 0),
             num_cell(doc, (r, src), "terminated", 0), num_cell(doc, (r, src), "performance_rate", 1, "pct"),
             num_cell(doc, (r, src), "rank_performance_rate", 0)] for r, src in deals]
    _add(doc, Table("表六　县区招商引资签约项目开工率、资金到位率和履约率", columns, rows, sheet="招商引资",
                        note="注：签约项目含已终止的；开工率＝开工（含投产）项目/签约项目；资金到位率＝累计到位资金/签约金额；"
                             "履约率＝未终止的签约项目/签约项目。位次为在全市县区中的位次。",
                        xlsx_title=f"{home}{year}年{words}县区招商引资推进情况"))
    return doc


# --- 工业企业和财政 --------------------------------------------------------------------------

FISCAL_ITEMS = (("revenue_broad", "大口径财政收入"), ("revenue_general", "一般公共预算收入"),
                ("land_revenue", "土地出让收入"))


def enterprise_fiscal(period: Period | str, data: PeriodData | None = None) -> Doc:
    d = data or PeriodData(period)
    s = Sources(d.period)
    words, year, home = d.words(), d.period.year, d.home.name
    doc = Doc(name=f"工业企业和财政运行情况通报_{d.period}", title=f"{home}{year}年{words}工业企业和财政运行情况通报")
    doc.add("title", doc.title)
    doc.add("blank")
    doc.p("现将全市工业企业生产经营和财政预算执行情况通报如下。")

    doc.add("h1", "一、工业企业生产经营情况")
    doc.add("h2", "（一）停产、半停产企业")
    troubled, troubled_src = s.one("enterprises_troubled")
    counts = s.rows("enterprises_troubled_counts", ("region_code",))
    listed = s.rows("enterprises_troubled", ("name",), path="rows")
    if listed:
        doc.p(f"截至{year}年{d.period.month}月底，全市停产、半停产、未销售企业{num(doc, (troubled, troubled_src), 'count', 0)}户，"
              "各县区要逐户落实包抓责任，帮助解决资金、要素和订单问题，推动尽快复工达产。")
    else:
        doc.p(f"截至{year}年{d.period.month}月底，全市没有停产、半停产、未销售企业。")
    from diaodu.enterprises.models import TROUBLED, ProductionStatus

    labels = dict(ProductionStatus.choices)
    columns = [Column("县区", width=30)] + [Column(labels[s_], "企业户数", 30, 0) for s_ in TROUBLED]
    rows = [[text_cell(r["region_name"])] + [num_cell(doc, (r, src), str(s_), 0) for s_ in TROUBLED]
            for r, src in counts]
    _add(doc, Table("表一　县区停产、半停产、未销售企业户数", columns, rows, sheet="停产企业户数",
                        note=f"注：企业台账截至{year}年{d.period.month}月底的生产状态。",
                        xlsx_title=f"{home}停产、半停产、未销售企业户数（截至{year}年{d.period.month}月）"))
    listed, note = _cut(listed, "注：按县区、生产状态排列。")
    columns = [Column("企业名称", width=40), Column("县区", width=15), Column("生产状态", width=15),
               Column("原因", width=38), Column("帮扶措施", width=30), Column("责任人", width=18)]
    rows = [[text_cell(r["name"]), text_cell(r["region_name"]), text_cell(r["status"]),
             text_cell(r["cause"] + (f"：{r['cause_note']}" if r["cause_note"] else "")),
             text_cell(r["measures"]), text_cell(r["responsible"])] for r, _src in listed]
    _add(doc, Table("表二　停产、半停产、未销售企业名单", columns, rows, sheet="停产企业名单", note=note,
                        xlsx_title=f"{home}停产、半停产、未销售企业名单"))

    doc.add("h2", "（二）升规培育企业")
    cands, cands_src = s.one("enterprises_candidates")
    listed = s.rows("enterprises_candidates", ("name",), path="rows")
    threshold = num(doc, (cands, cands_src), "threshold", 0)
    if listed:
        reached = [r["name"] for r, _ in listed if r["label"] == "已达标待入规"]
        text = (f"按年主营业务收入{threshold}万元的规上标准，全市有{num(doc, (cands, cands_src), 'count', 0)}户"
                "企业接近或已达到入规标准")
        text += f"，其中{'、'.join(reached[:5])}已达标，要抓紧申报入规。" if reached else "，要加强培育、推动升规入统。"
        doc.p(text)
    else:
        doc.p("本期没有接近规上标准的企业。")
    listed, note = _cut(listed, f"注：年主营业务收入为最近十二个月合计（不足一年的按年化推算）；差距为距{threshold}万元的差额。")
    columns = [Column("企业名称", width=46), Column("县区", width=18), Column("年主营业务收入", width=28, digits=0),
               Column("距规上标准差距", width=28, digits=0), Column("培育状态", width=34)]
    rows = [[text_cell(r["name"]), text_cell(r["region_name"]), num_cell(doc, (r, src), "annual_revenue", 0),
             num_cell(doc, (r, src), "gap", 0), text_cell(r["label"])] for r, src in listed]
    _add(doc, Table("表三　升规培育企业", columns, rows, sheet="升规培育", subtitle="单位：万元", note=note,
                        xlsx_title=f"{home}{year}年{words}升规培育企业"))

    doc.add("h1", "二、财政预算执行情况")
    doc.add("h2", "（一）预算执行与序时进度")
    sched_pair = s.one("fiscal_schedule")
    execution = {(r["unit"], r["item"]): (r, src) for r, src in s.rows("fiscal_execution", ("unit", "item"))}
    schedule = num(doc, sched_pair, "schedule", 1, "pct")
    whole = [(label, execution.get(("all", item))) for item, label in FISCAL_ITEMS[:2]]
    whole = [(label, pair) for label, pair in whole if pair and pair[0]["rate"] is not None]
    if whole:
        parts = []
        for label, pair in whole:
            rate = num(doc, pair, "rate", 1, "pct")
            shown, gap = doc.facts.diff(pair[0], pair[1], "rate", "schedule", 1, transform="abs+pct")
            parts.append(f"{label}完成{num(doc, pair, 'actual', 2)}亿元，执行预算的{rate}%，"
                         f"{'高于' if gap >= 0 else '低于'}序时进度{shown}个百分点")
        doc.p(f"{words}序时进度为{schedule}%。全市" + "；".join(parts) + "。")
    else:
        doc.p(f"{words}财政预算执行台账暂无数据。")
    columns = [Column("单位", width=17)]
    for _item, label in FISCAL_ITEMS:
        columns += [Column("预算", label, 12, 2), Column("完成", label, 12, 2), Column("执行率%", label, 12, 1),
                    Column("较序时", label, 10, 1)]
    rows = []
    units = []
    for r, _src in s.rows("fiscal_execution", ("unit", "item")):
        if r["unit"] not in units:
            units.append(r["unit"])
    for unit in units:
        first = execution[(unit, FISCAL_ITEMS[0][0])][0]
        row = [text_cell(first["label"])]
        for item, _label in FISCAL_ITEMS:
            pair = execution[(unit, item)]
            gap = pair[0]["gap"]
            fill = "" if gap is None else ("green" if gap >= 0 else "red")
            row += [num_cell(doc, pair, "budget", 2), num_cell(doc, pair, "actual", 2),
                    num_cell(doc, pair, "rate", 1, "pct", fill), diff_cell(doc, pair, "rate", "schedule", 1, "pct")]
        rows.append(row)
    _add(doc, Table("表四　财政预算执行情况", columns, rows, sheet="预算执行", subtitle=f"单位：亿元、%；序时进度{schedule}%",
                        note="注：全市＝市级＋各县区；执行率＝累计完成/年初预算；较序时为执行率与序时进度之差（百分点），"
                             "绿色为达到序时进度，红色为落后。",
                        xlsx_title=f"{home}{year}年{words}财政预算执行情况"))

    doc.add("h2", "（二）土地出让收入")
    city = execution.get((d.home.code, "land_revenue"))
    if city and city[0]["rate"] is not None and city[0]["behind"] is not None:
        behind = city[0]["behind"]
        doc.p(f"市级土地出让收入年初预算{num(doc, city, 'budget', 2)}亿元，{words}完成{num(doc, city, 'actual', 2)}亿元，"
              f"执行预算的{num(doc, city, 'rate', 1, 'pct')}%，"
              f"{'低于' if city[0]['gap'] < 0 else '高于'}序时进度"
              f"{doc.facts.diff(city[0], city[1], 'rate', 'schedule', 1, transform='abs+pct')[0]}个百分点，"
              f"较序时进度{'少收' if behind > 0 else '多收'}{num(doc, city, 'behind', 2, 'abs')}亿元。"
              + ("要加快土地收储和出让节奏，全力追缴欠缴出让金。" if behind > 0 else ""))
    else:
        doc.p("市级土地出让收入暂无预算执行数据。")

    doc.add("h2", "（三）财力缺口")
    gaps, gaps_src = s.one("fiscal_gaps")
    listed = s.rows("fiscal_gaps", ("unit",), path="rows")
    if listed:
        doc.p(f"按现行测算口径，全市财力缺口{num(doc, (gaps, gaps_src), 'total', 2)}亿元（各单位缺口之和，结余不抵补），"
              "要在开源节流上下功夫，兜牢“三保”底线。")
    else:
        doc.p("尚未设置财力缺口测算参数。")
    columns = [Column("单位", width=20), Column("一般公共预算收入", width=24, digits=2),
               Column("土地出让收入计入", width=24, digits=2), Column("可用财力", width=22, digits=2),
               Column("刚性支出需求", width=24, digits=2), Column("财力缺口", width=22, digits=2)]
    rows = [[text_cell(r["label"]), num_cell(doc, (r, src), "revenue", 2), num_cell(doc, (r, src), "land_counted", 2),
             num_cell(doc, (r, src), "available", 2), num_cell(doc, (r, src), "need", 2),
             diff_cell(doc, (r, src), "need", "available", 2, fill="red" if r["gap"] > 0 else "")]
            for r, src in listed]
    _add(doc, Table("表五　财力缺口测算", columns, rows, sheet="财力缺口", subtitle="单位：亿元",
                        note="注：可用财力＝一般公共预算收入（全年推算）＋上级补助＋上年结转及调入－上解支出＋土地出让收入（全年推算）×计入比例；"
                             "财力缺口＝刚性支出需求－可用财力，负数为结余。",
                        xlsx_title=f"{home}{year}年{words}财力缺口测算"))
    return doc
