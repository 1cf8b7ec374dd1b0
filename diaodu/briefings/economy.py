"""The monthly 经济运行情况通报, the 县区主要经济指标完成情况表 and the 短板弱项清单.

Tables and paragraphs are written from :class:`~diaodu.briefings.data.PeriodData` rows; every
number goes through ``doc.facts`` (its source kept).
"""

from __future__ import annotations

from django.conf import settings

from diaodu.core import numbers
from diaodu.engine.periods import Period
from diaodu.enterprises.models import Enterprise
from diaodu.evaluation import compute
from diaodu.projects.models import Project

from .data import PeriodData, period_words
from .doc import Cell, Column, Doc, Table, unquoted
from .issuance import chinese_date

PACE_NOTE = ("注：增速一栏底色按进度着色：绿色为达到序时进度（无总量目标的指标为达到目标增速），黄色为略低于，"
             "红色为落后；“全市”一行的位次为在全省市州中的位次，县区为在全市县区中的位次。")
CHINESE_NUMBERS = "一二三四五六七八九十"


def _value_digits(d: PeriodData, code: str) -> int:
    return 0 if d.indicators[code]["unit"] == "元" else 2


def _change_cell(doc: Doc, pair, field: str = "rank_change") -> Cell:
    row, src = pair
    change = row.get(field)
    if change is None:
        return Cell("—")
    if change == 0:
        return Cell("持平", "持平")
    text = doc.facts.num(row, src(field), 0, transform="abs", label="位次变化")
    return Cell(("前移" if change > 0 else "后退") + text, change)


def _num_cell(doc: Doc, pair, field: str, digits: int, label: str = "", fill: str = "") -> Cell:
    row, src = pair
    if row.get(field) is None:
        return Cell("—", None, digits, fill)
    return Cell(doc.facts.num(row, src(field), digits, label=label), row[field], digits, fill)


def city_table(doc: Doc, d: PeriodData, title: str = "全市主要经济指标完成情况") -> Table:
    columns = [Column("指标", width=40), Column("单位", width=12), Column("累计", width=20, digits=2),
               Column("增长%", width=16, digits=1), Column("增速位次", width=16, digits=0),
               Column("较上半年", width=18), Column("总量位次", width=16, digits=0), Column("期别", width=18)]
    rows = []
    for code in d.main:
        pair = d.rank(code)
        if not pair[0]:
            continue
        ind = d.indicators[code]
        fill = d.pace(code, d.home.code, "city")
        rows.append([Cell(ind["name"], ind["name"]), Cell(ind["unit"], ind["unit"]),
                     _num_cell(doc, pair, "value", _value_digits(d, code)),
                     _num_cell(doc, pair, "growth", 1, fill=fill),
                     _num_cell(doc, pair, "rank_growth", 0), _change_cell(doc, pair),
                     _num_cell(doc, pair, "rank_total", 0), Cell(d.words(code), d.words(code))])
    return Table(title, columns, rows, sheet="全市主要指标", subtitle="单位：亿元、元、%",
                 note=PACE_NOTE.split("；")[0] + "。位次为在全省市州中的位次。",
                 xlsx_title=f"{d.home.name}{d.period.year}年{d.words()}主要经济指标完成情况")


def county_tables(doc: Doc, d: PeriodData, per_table: int | None = None) -> list[Table]:
    """县区主要经济指标完成情况表: one table per data period (monthly, quarterly), or chunks of
    ``per_table`` indicators (the .docx page is narrower than a spreadsheet)."""
    by_period: dict[str, list[str]] = {}
    for code in d.main:
        p = d.data_period(code)
        if p is not None:
            by_period.setdefault(str(p), []).append(code)
    tables = []
    for p_text, codes in sorted(by_period.items(), reverse=True):
        p = Period.parse(p_text)
        chunks = [codes[i:i + per_table] for i in range(0, len(codes), per_table)] if per_table else [codes]
        for chunk in chunks:
            tables.append(_county_table(doc, d, p, chunk))
    return tables


def _county_table(doc: Doc, d: PeriodData, p: Period, codes: list[str]) -> Table:
    words = period_words(p)
    columns = [Column("县区", width=18)]
    for code in codes:
        name = d.indicators[code]["name"]
        narrow = len(codes) <= 3
        if d.indicators[code]["kind"] != "rate":
            columns.append(Column(f"{words}累计", name, width=19 if narrow else 14, digits=_value_digits(d, code)))
        columns.append(Column("同比增长%", name, width=17 if narrow else 12, digits=1))
        columns.append(Column("位次", name, width=13 if narrow else 9, digits=0))
    units = [(d.home.code, "全市", "city")] + [(c["code"], c["name"], "county") for c in d.counties]
    rows = []
    for region, label, level in units:
        row = [Cell(label, label)]
        for code in codes:
            pair = d.rank(code, region, level)
            if d.indicators[code]["kind"] != "rate":
                row.append(_num_cell(doc, pair, "value", _value_digits(d, code)))
            row.append(_num_cell(doc, pair, "growth", 1, fill=d.pace(code, region, level)))
            row.append(_num_cell(doc, pair, "rank_growth", 0))
        rows.append(row)
    sheet = "县区主要指标" if p == d.period else f"县区主要指标（{words}）"
    title = f"{d.home.name}{p.year}年{words}县区主要经济指标完成情况表"
    return Table("县区主要经济指标完成情况表", columns, rows, sheet=sheet[:31], subtitle="单位：亿元、元、%",
                 note=PACE_NOTE, xlsx_title=title)


def _indicator_sentence(doc: Doc, d: PeriodData, code: str) -> str:
    pair = d.rank(code)
    row = pair[0]
    ind = d.indicators[code]
    text = ind["name"]
    if row.get("value") is not None:
        text += f"完成{doc.facts.num(row, pair[1]('value'), _value_digits(d, code))}{ind['unit']}，"
    g = numbers.rounded(row["growth"], 1)
    text += f"{'增长' if g >= 0 else '下降'}{doc.facts.num(row, pair[1]('growth'), 1, transform='abs')}%，"
    sufficient, words = coverage_words(doc, pair, "growth")
    if not sufficient:
        text += f"全省增速{words}，暂不排位次"
    else:
        text += f"增速居全省第{doc.facts.num(row, pair[1]('rank_growth'), 0)}位（{words}）"
    if row.get("rank_change") is not None:
        change = row["rank_change"]
        if change:
            moved = doc.facts.num(row, pair[1]("rank_change"), 0, transform="abs")
            text += f"，较上半年{'前移' if change > 0 else '后退'}{moved}位"
        else:
            text += "，与上半年持平"
    if row.get("bottom_growth") and row["bottom_growth"] <= settings.DIAODU_WEAK_BOTTOM:
        text += f"，居倒数第{doc.facts.num(row, pair[1]('bottom_growth'), 0)}位"
    gap = d.gap(code)
    if gap[0].get("growth_gap") is not None:
        shown, gg = doc.facts.diff(gap[0], gap[1], "growth", "target_growth", 1, transform="abs")
        text += f"，{'高于' if gg >= 0 else '低于'}年度目标{shown}个百分点"
        if gg >= 0 and gap[0].get("schedule_gap") is not None and gap[0]["schedule_gap"] < 0:
            # the table colours it by 序时进度: say why a cell beside good growth news is red
            behind, _ = doc.facts.diff(gap[0], gap[1], "completion", "schedule", 1, transform="abs")
            text += f"，但总量完成进度低于序时进度{behind}个百分点"
    return text


def economy(period: Period | str, data: PeriodData | None = None) -> Doc:
    d = data or PeriodData(period)
    year, words = d.period.year, d.words()
    doc = Doc(name=f"经济运行情况通报_{d.period}", title=f"{d.home.name}{year}年{words}经济运行情况通报")
    doc.add("title", doc.title)
    doc.add("blank")
    doc.p(f"现将{year}年{words}全市经济运行情况通报如下。")

    doc.add("h1", "一、总体情况")
    doc.p(_overall(doc, d))

    doc.add("h1", "二、全市主要经济指标完成情况")
    doc.add("h2", "（一）增速与位次")
    # one short paragraph per group of indicators, not one chain of eight
    grouped = [codes for _, codes in INDICATOR_GROUPS]
    grouped.append(tuple(c for c in d.main if not any(c in g for g in grouped)))
    for codes in grouped:
        sentences = []
        for code in codes:
            if code in d.main and d.rank(code)[0].get("growth") is not None:
                sentences.append(f"{d.words(code)}，" * (not sentences) + _indicator_sentence(doc, d, code))
        if sentences:
            doc.p("；".join(sentences) + "。")
    score = d.score()
    if score[0]:
        row = score[0]
        text = score_sentence(doc, row, score)
        if row.get("rank_change"):
            text += (f"，较上半年{'前移' if row['rank_change'] > 0 else '后退'}"
                     f"{doc.facts.num(row, score[1]('rank_change'), 0, transform='abs')}位")
        elif row.get("rank_change") == 0:
            text += "，与上半年持平"
        doc.p(text + "。")
    doc.add_table(city_table(doc, d, "表一　全市主要经济指标完成情况"))

    doc.add("h2", "（二）目标完成进度")
    lines = []
    for code in d.main + ["land_revenue", "investment_arrived"]:
        if code not in d.indicators:
            continue
        pair = d.gap(code)
        row = pair[0]
        if row.get("completion") is None:
            continue
        completion = doc.facts.num(row, pair[1]("completion"), 1)
        shown, sg = doc.facts.diff(row, pair[1], "completion", "schedule", 1, transform="abs")
        line = (f"{d.indicators[code]['name']}完成年度目标的{completion}%，"
                f"{'高于' if (sg or 0) >= 0 else '低于'}序时进度{shown}个百分点")
        if row.get("amount_needed") is not None and row["amount_needed"] > 0:
            line += f"，尚需完成{doc.facts.diff(row, pair[1], 'target_total', 'value', 2)[0]}{row['unit']}"
        lines.append(line)
    behind = [d.indicators[c]["name"] for c in d.main if (d.gap(c)[0].get("growth_gap") or 0) < 0]
    text = "；".join(lines) + "。" if lines else ""
    if behind:
        text += f"{'、'.join(behind)}增速低于年度目标，需加力追赶。"
    doc.p(text or "本期没有可比的年度目标。")

    doc.add("h1", "三、县区主要经济指标完成情况")
    doc.add("h2", "（一）各县区增速比较")
    sentences = []
    for code in d.main:
        pairs = [(c, pair) for c, pair in zip(d.counties, d.county_ranks(code), strict=True)
                 if pair[0].get("rank_growth") is not None]
        if len(pairs) < 2:
            continue
        fastest, slowest = numbers.extremes(pairs, lambda t: t[1][0]["growth"], 1)  # ties named together

        def rate(group):
            row, src = group[0][1]
            g = row["growth"]
            return ("增长" if numbers.rounded(g, 1) >= 0 else "下降") + \
                doc.facts.num(row, src("growth"), 1, transform="abs") + "%"

        names = lambda group: "、".join(c["name"] for c, _ in group)  # noqa: E731
        sentences.append(f"{d.indicators[code]['name']}{names(fastest)}最快（{rate(fastest)}），"
                         f"{names(slowest)}最慢（{rate(slowest)}）")
    # too few counties ranked (a half-reported month): no fastest and slowest to name
    doc.p("；".join(sentences) + "。" if sentences else "本期各县区数据不全，暂不比较增速快慢。")
    for i, table in enumerate(county_tables(doc, d, per_table=3)):
        table.title = f"表{CHINESE_NUMBERS[i + 1]}　{table.title}（{table.xlsx_title.split('年')[1].split('县区')[0]}）"
        doc.add_table(table)

    doc.add("h2", "（二）落后进度的县区")
    doc.add("h3", "1. 低于序时进度或目标增速的县区")
    n = 0
    for code in d.main:
        red = []
        for c in d.counties:
            if d.pace(code, c["code"], "county") != "red":
                continue
            pair = d.gap(code, c["code"], "county")
            field = "schedule_gap" if pair[0].get("schedule_gap") is not None else "growth_gap"
            a, b = ("completion", "schedule") if field == "schedule_gap" else ("growth", "target_growth")
            red.append(f"{c['name']}（{'低于序时进度' if field == 'schedule_gap' else '低于目标增速'}"
                       f"{doc.facts.diff(pair[0], pair[1], a, b, 1, transform='abs')[0]}个百分点）")
        if red:
            n += 1
            doc.add("h4", f"（{n}）{d.indicators[code]['name']}")
            doc.p("、".join(red) + "。")
    if not n:
        doc.p("各县区主要指标均达到或接近序时进度。")

    _problems(doc, d, "四、存在的主要问题")
    _causes(doc, d)
    _next_steps(doc, d, "五、下步工作")
    return doc


def coverage_words(doc: Doc, pair, measure: str | None, unit: str = "市州") -> tuple[bool, str]:
    """(whether a position may be stated, the words): ``14个市州均已报送``, ``已报 9/14`` or
    ``数据不全（已报 1/14）`` for a rank row (``measure``) or an evaluation row (None); each number
    a fact of the row."""
    row, src = pair
    cov = compute.coverage_of(row, measure)
    if cov is None:  # no row: nothing of this unit is published for the period
        return False, "暂无数据"
    peers = doc.facts.num(row, src("peer_count"), 0, label="比较单位数")
    if cov.complete:
        return True, f"{peers}个{unit}均已报送"
    reported = doc.facts.num(row, src("reported" if measure is None else f"ranked_{measure}"), 0, label="已报送单位数")
    text = f"已报 {reported}/{peers}"
    return (True, text) if cov.sufficient else (False, f"数据不全（{text}）")


def score_sentence(doc: Doc, row: dict, score) -> str:
    """全省重点工作评价中，我市综合得分X分，居全省第N位（14个市州均已报送） — or 数据不全（已报 n/14）."""
    text = f"全省重点工作评价中，我市综合得分{doc.facts.num(row, score[1]('score'), 2)}分，"
    sufficient, words = coverage_words(doc, score, None)
    if not sufficient:
        return text + f"全省{words}，暂不排名"
    return text + f"居全省第{doc.facts.num(row, score[1]('rank'), 0)}位（{words}）"


INDICATOR_GROUPS = (("经济总量和工业", ("gdp", "industry_va")), ("投资和消费", ("fai", "retail")),
                    ("财政收入", ("revenue_broad", "revenue_general")), ("居民收入", ("income_urban", "income_rural")))
# The departments that answer for an indicator in a 市政府 (generic names every city has).
LEAD_UNITS = {"gdp": "市统计局", "industry_va": "市工信局", "fai": "市发展改革委", "retail": "市商务局",
              "revenue_broad": "市财政局、市税务局", "revenue_general": "市财政局、市税务局",
              "income_urban": "市人社局、市统计局", "income_rural": "市农业农村局", "land_revenue": "市自然资源局、市财政局"}


def _overall(doc: Doc, d: PeriodData) -> str:
    """总体情况: one sentence judging the period from the data — GDP against its target growth and
    序时进度, and how many main indicators grow faster than the province (words, not counts)."""
    gdp, gdp_gap = d.rank("gdp"), d.gap("gdp")
    counted = above = 0
    for code in d.main:
        row = d.rank(code)[0]
        province = d.forecast(code, d.home.parent_id)[0]
        if row.get("growth") is None or province.get("current") is None:
            continue
        counted += 1
        above += numbers.rounded(row["growth"], 1) > numbers.rounded(province["current"], 1)
    if gdp[0].get("growth") is None and not counted:
        return "本期主要经济指标暂无数据。"
    on_growth = gdp_gap[0].get("growth_gap") is None or gdp_gap[0]["growth_gap"] >= 0
    on_schedule = gdp_gap[0].get("schedule_gap") is None or gdp_gap[0]["schedule_gap"] >= 0
    judgement = ("总体平稳、稳中有进" if on_growth and on_schedule else
                 "增速符合预期，但总量进度落后于序时" if on_growth else "增速低于预期，稳增长压力较大")
    text = f"{d.words()}，全市经济运行{judgement}"
    if gdp[0].get("growth") is not None:
        g = gdp[0]["growth"]
        text += (f"，地区生产总值{'增长' if numbers.rounded(g, 1) >= 0 else '下降'}"
                 f"{doc.facts.num(gdp[0], gdp[1]('growth'), 1, transform='abs')}%")
    if counted:
        share = above / counted
        text += ("，主要指标增速多数高于全省" if share > 0.5 else "，主要指标增速高低参半" if share == 0.5
                 else "，主要指标增速多数低于全省")
    return text + "。"


def _causes(doc: Doc, d: PeriodData) -> None:
    """（三）原因: what the ledgers hold behind the weak figures — troubled enterprises, projects
    behind plan, land revenue behind its budget (each the ledger's figure, as of the period)."""
    from .ledgers import Sources

    s = Sources(d.period)
    causes = []
    troubled = s.one("enterprises_troubled")
    if troubled[0].get("count"):
        causes.append(f"工业方面，停产、半停产、未销售企业{doc.facts.num(troubled[0], troubled[1]('count'), 0)}户，"
                      "拖累规上工业增长")
    behind = s.one("projects_behind")
    if behind[0].get("count"):
        causes.append(f"投资方面，{doc.facts.num(behind[0], behind[1]('count'), 0)}个已开工重点项目本年完成投资低于序时目标")
    land = next((pair for pair in s.rows("fiscal_execution", ("unit", "item"))
                 if pair[0]["unit"] == "all" and pair[0]["item"] == "land_revenue"), None)
    if land and land[0].get("gap") is not None and land[0]["gap"] < 0:
        causes.append(f"财政方面，全市土地出让收入执行预算的{doc.facts.num(land[0], land[1]('rate'), 1, transform='pct')}%，"
                      f"低于序时进度{doc.facts.num(land[0], land[1]('gap'), 1, transform='abs+pct')}个百分点")
    doc.add("h2", "（三）主要原因")
    if causes:
        doc.p("；".join(causes) + "。")
        return
    # "nothing stands out" only of ledgers that hold records: an empty ledger says nothing
    empty = [name for name, held in (("企业", Enterprise.objects.exists()), ("项目", Project.objects.exists()),
                                     ("财政", bool(land and (land[0]["budget"] is not None
                                                            or land[0]["actual"] is not None)))) if not held]
    if len(empty) == 3:
        doc.p("企业、项目和财政台账暂无数据，尚不能从台账分析原因。")
    else:
        doc.p("各项台账暂未反映突出问题" + (f"（{'、'.join(empty)}台账暂无数据）" if empty else "") + "。")


def _next_steps(doc: Doc, d: PeriodData, heading: str) -> None:
    """下步工作: one item per indicator behind 序时进度 or its target growth (the pace rule that
    colours it red or yellow), with the departments that answer for it; the counties behind; one
    item per 督办事项 open at the end of the period (its lead units, its action, its deadline: the
    supervision ledger as it then stood); then the ledgers' items."""
    from .ledger_sources import open_tasks

    doc.add("h1", heading)
    items = []
    for code in d.main + ["land_revenue"]:
        if code not in d.indicators:
            continue
        if d.pace(code, d.home.code, "city") not in ("red", "yellow"):
            continue
        name = d.indicators[code]["name"]
        lead = LEAD_UNITS.get(code, "市直有关部门")
        behind = "低于序时进度" if d.gap(code)[0].get("schedule_gap") is not None else "低于目标增速"
        items.append(f"{lead}要针对{name}{behind}的问题，逐月分解任务、盯紧薄弱县区，力争尽快赶上")
    red_counties = [c["name"] for c in d.counties
                    if any(d.pace(code, c["code"], "county") == "red" for code in d.main)]
    if red_counties:
        items.append(f"{'、'.join(red_counties)}要对照落后指标逐项分析原因，制定追赶措施")
    for task in open_tasks(str(d.period)):
        due = (f"，{chinese_date(task['deadline'])}前办结" if task["deadline"] else
               f"，{task['recurrence']}进展" if task["recurrence"] else "，抓紧办理")
        items.append(f"{task['lead_units'] or '责任单位'}牵头办理“{unquoted(task['title'])}”{due}")
    items.append("各县区、各部门要紧盯停产企业复产、滞后项目提速、土地出让收入入库等重点，确保完成全年目标任务")
    for i, item in enumerate(items, 1):
        doc.p(f"（{chinese_number(i)}）{item}。")


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 35 → 三十五 (list numbering up to 99)."""
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else "十" if tens == 1 else CHINESE_NUMBERS[tens - 1] + "十"
    return head + (CHINESE_NUMBERS[ones - 1] if ones else "")


def _problems(doc: Doc, d: PeriodData, heading: str) -> None:
    doc.add("h1", heading)
    doc.add("h2", "（一）全省位次靠后的指标")
    weak = []
    ranked = 0  # "all in the upper half" only of indicators that have a rank
    for code, ind in d.indicators.items():
        pair = d.rank(code)
        row = pair[0]
        n = row.get("peer_count") or 0
        ranked += bool(row.get("rank_growth"))
        if not row.get("rank_growth") or row["rank_growth"] <= n / 2:
            continue
        if row.get("bottom_growth") and row["bottom_growth"] <= settings.DIAODU_WEAK_BOTTOM:
            weak.append((0, row["bottom_growth"],
                         f"{ind['name']}增速居倒数第{doc.facts.num(row, pair[1]('bottom_growth'), 0)}位"
                         f"（{_growth_words(doc, pair)}）"))
        else:
            weak.append((1, -row["rank_growth"], f"{ind['name']}增速居全省第{doc.facts.num(row, pair[1]('rank_growth'), 0)}位"
                         f"（{_growth_words(doc, pair)}）"))
    weak.sort()
    doc.p("；".join(w[2] for w in weak) + "。" if weak
          else f"有全省位次的{ranked}项指标增速均居全省中上游。" if ranked else "本期暂无可比的全省位次。")
    doc.add("h2", "（二）落后序时进度的指标")
    behind = []
    compared = 0  # likewise: only indicators with a target and a figure to compare
    for code, ind in d.indicators.items():
        pair = d.gap(code)
        row = pair[0]
        compared += row.get("schedule_gap") is not None or row.get("growth_gap") is not None
        if row.get("schedule_gap") is not None and row["schedule_gap"] < 0:
            behind.append(f"{ind['name']}完成{doc.facts.num(row, pair[1]('completion'), 1)}%，低于序时进度"
                          f"{doc.facts.diff(row, pair[1], 'completion', 'schedule', 1, transform='abs')[0]}个百分点")
        elif row.get("growth_gap") is not None and row["growth_gap"] < 0:
            behind.append(f"{ind['name']}{_growth_words(doc, (row, pair[1]))}，低于目标增速"
                          f"{doc.facts.diff(row, pair[1], 'growth', 'target_growth', 1, transform='abs')[0]}个百分点")
    doc.p("；".join(behind) + "。" if behind
          else f"有年度目标可比的{compared}项指标均达到序时进度或目标增速。" if compared
          else "本期没有可比的年度目标。")


def _growth_words(doc: Doc, pair) -> str:
    """增长5.2% / 下降6.9% (the magnitude a fact, the sign in the word)."""
    row, src = pair
    word = "增长" if numbers.rounded(row["growth"], 1) >= 0 else "下降"
    return f"{word}{doc.facts.num(row, src('growth'), 1, transform='abs')}%"


def weak_items(period: Period | str, data: PeriodData | None = None) -> Doc:
    """短板弱项清单: the city's indicators in the lower half of the province, items behind schedule,
    with a table of every ranked indicator's position."""
    d = data or PeriodData(period)
    doc = Doc(name=f"短板弱项清单_{d.period}", title=f"{d.home.name}{d.period.year}年{d.words()}短板弱项清单")
    doc.add("title", doc.title)
    doc.add("blank")
    _problems(doc, d, "一、短板弱项")
    columns = [Column("指标", width=44), Column("增长%", width=18, digits=1), Column("增速位次", width=18, digits=0),
               Column("倒数位次", width=18, digits=0), Column("增量位次", width=18, digits=0),
               Column("较上半年", width=20), Column("期别", width=20)]
    rows = []
    for code, ind in d.indicators.items():
        pair = d.rank(code)
        row = pair[0]
        n = row.get("peer_count") or 0
        if not row.get("rank_growth") or row["rank_growth"] <= n / 2:
            continue
        rows.append([Cell(ind["name"], ind["name"]), _num_cell(doc, pair, "growth", 1),
                     _num_cell(doc, pair, "rank_growth", 0), _num_cell(doc, pair, "bottom_growth", 0),
                     _num_cell(doc, pair, "rank_increment", 0), _change_cell(doc, pair),
                     Cell(d.words(code), d.words(code))])
    doc.add("h1", "二、位次靠后指标明细")
    doc.add_table(Table("表一　全省位次靠后的指标", columns, rows, sheet="短板弱项",
                        xlsx_title=f"{d.home.name}{d.period.year}年{d.words()}短板弱项清单"))
    return doc
