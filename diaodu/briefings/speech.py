"""The data section of the mayor's speech (the seed speech's "第一、…"), written from the numbers.

Every figure of the seed's first section is filled from the engine; the sentences around them
follow what the numbers say (前移/后退/持平, 高于/低于序时进度, 首次被超越 or not, 倒数第N位 or
第N位). Each number is a :class:`~diaodu.briefings.facts.Fact` with its source.
"""

from __future__ import annotations

from django.conf import settings

from diaodu.engine.periods import Period
from diaodu.enterprises.models import Enterprise
from diaodu.evaluation import compute

from .data import PeriodData
from .doc import Doc
from .economy import CHINESE_NUMBERS, coverage_words
from .ledgers import Sources

HEADING = "第一、以主动担当对标对表找差距的警醒补齐短板弱项"
CLOSING = ("对此，我们既要高度警醒、高度重视，又要奋力赶超、迎头赶上，补短板、强弱项，以饱满的精神状态，"
           "冲刺年度考核的最好结果。")


def joined(items: list[str]) -> str:
    return "、".join(items)


def change_words(doc: Doc, row: dict, src, field: str = "rank_change", unit: str = "位") -> str:
    """前移N位 / 后退N位 / 持平 (from a rank change: positive is 前移)."""
    change = row.get(field)
    if change is None:
        return ""
    if change > 0:
        return f"前移{doc.facts.num(row, src(field), 0, transform='abs', label='位次变化')}{unit}"
    if change < 0:
        return f"后退{doc.facts.num(row, src(field), 0, transform='abs', label='位次变化')}{unit}"
    return "持平"


def speech(period: Period | str, data: PeriodData | None = None) -> Doc:
    d = data or PeriodData(period)
    doc = Doc(name=f"讲话稿数据部分_{d.period}", title=HEADING)
    doc.add("h1", HEADING)
    doc.p(_overview(doc, d))
    doc.p(_gaps(doc, d))
    return doc


def _n(doc: Doc, pair, field: str, digits: int = 1, label: str = "", transform: str = "") -> str:
    row, src = pair
    return doc.facts.num(row, src(field), digits, label=label, transform=transform)


def _forecast_record(doc: Doc, d: PeriodData) -> str:
    """Beside the forecasts: each one's method and how it did in earlier years against the
    naive rule "full year = year to date" (every earlier year forecast from the years before it)."""
    items = []
    for code in ("gdp", "industry_va", "fai", "retail"):
        pair = d.forecast(code)
        row = pair[0]
        if not row or row.get("method") in (None, "actual"):
            continue
        name = d.indicators[code]["name"]
        text = f"{name}按{row['method_label']}预计"
        if row.get("backtest_n") and row.get("backtest_mae") is not None and row.get("naive_mae") is not None:
            text += (f"，往年检验平均误差{_n(doc, pair, 'backtest_mae', 2, name + '预测往年平均误差')}个百分点"
                     f"（按年内累计不变为{_n(doc, pair, 'naive_mae', 2, name + '年内累计不变往年平均误差')}个百分点）")
            if row.get("backtest_coverage") is not None:
                text += f"，区间往年覆盖{_n(doc, pair, 'backtest_coverage', 0, name + '预测区间往年覆盖率')}%"
        else:
            text += "，尚无往年检验"
        if row.get("reason"):  # the method chosen from every indicator's record, a naive fallback …
            text += f"（{row['reason']}）"
        items.append(text)
    return ("以上预计的方法与往年检验：" + "；".join(items) + "。") if items else ""


def _overview(doc: Doc, d: PeriodData) -> str:
    parts = []
    # How the economy runs: against the province and against the targets.
    above = met = counted = 0
    for code in d.main:
        row, _ = d.rank(code)
        province = d.forecast(code, d.home.parent_id)[0]
        gap = d.gap(code)[0]
        if row.get("growth") is None:
            continue
        counted += 1
        above += province.get("current") is not None and row["growth"] > province["current"]
        met += bool(gap.get("growth_target_met")) or (gap.get("growth_gap") is not None and gap["growth_gap"] >= 0)
    gdp_gap = d.gap("gdp")[0]
    on_track = gdp_gap.get("growth_gap") is None or gdp_gap["growth_gap"] >= 0
    on_schedule = gdp_gap.get("schedule_gap") is None or gdp_gap["schedule_gap"] >= 0
    # growth on target but the total behind 序时进度 is said as such (not "好于预期" followed by
    # "差距和任务非常大")
    start = "从刚才通报的情况看，全市经济运行" + (
        "保持在目标预期范围，" if on_track and on_schedule else
        "增速保持在目标预期范围，但总量完成进度落后于序时，" if on_track else "低于目标预期，")
    if not counted:  # nothing published for the city yet: say so, judge nothing
        start = "本期暂无本市已发布的主要经济指标数据，待数据发布后再作分析。"
    elif above * 2 >= counted and met * 2 >= counted and on_schedule:
        start += "主要经济指标呈现高于全省、好于预期的良好态势。"
    elif counted and above * 2 >= counted:
        start += "主要经济指标增速总体高于全省，但部分指标低于预期。"
    elif counted and met * 2 >= counted:
        start += "主要经济指标总体符合预期，但多数指标增速低于全省。"
    else:
        start += "主要经济指标增速多数低于全省、低于预期，形势不容乐观。"
    parts.append(start)

    score = d.score()
    row = score[0]
    score_ok = row and compute.coverage_of(row, None).sufficient
    if row and not score_ok:
        # Too few 市州 reported: the score is ours, but a position among them would mislead.
        parts.append(f"{d.words()}，我市重点工作完成评价综合得分{_n(doc, score, 'score', 2, '综合得分')}分，"
                     f"全省{coverage_words(doc, score, None)[1]}，暂不排名。")
    elif row:
        text = (f"{d.words()}，我市重点工作完成评价综合得分{_n(doc, score, 'score', 2, '综合得分')}分，"
                f"排名全省第{_n(doc, score, 'rank', 0, '综合排名')}位（{coverage_words(doc, score, None)[1]}）")
        if row.get("rank_change") is not None and row.get("compare_period"):
            since = "较上半年" if row["compare_period"].endswith("-06") else "较上期"
            moved = change_words(doc, row, score[1])
            text += f"，{since}{'名次' if moved == '持平' else ''}{moved}"
        parts.append(text + "。")

    # Province ranks of the main indicators by growth, grouped by the period each is published for.
    incomplete: list[str] = []

    def sufficient(*codes: str) -> bool:
        """Whether enough 市州 reported these indicators for their positions to be stated."""
        ok = True
        for code in codes:
            if not compute.coverage_of(d.rank(code)[0], "growth").sufficient:
                incomplete.append(f"{d.indicators[code]['short_name']}{coverage_words(doc, d.rank(code), 'growth')[1]}")
                ok = False
        return ok

    def rank_clause(code: str, name: str) -> str:
        cov = compute.coverage_of(d.rank(code)[0], "growth")
        tail = "" if cov.complete else f"（{coverage_words(doc, d.rank(code), 'growth')[1]}）"
        return f"{name}居全省第{_n(doc, d.rank(code), 'rank_growth', 0, name + '位次')}位{tail}"

    clauses: dict[str, list[str]] = {}

    def add(code: str, clause: str) -> None:
        clauses.setdefault(d.words(code), []).append(clause)

    if d.rank("gdp")[0] and sufficient("gdp"):
        add("gdp", rank_clause("gdp", "全市地区生产总值增速"))
    for code, name in (("industry_va", "规上工业增加值增速"), ("fai", "固定资产投资增速"),
                       ("retail", "社会消费品零售总额增速")):
        if d.rank(code)[0] and sufficient(code):
            add(code, rank_clause(code, name))
    broad, general = d.rank("revenue_broad"), d.rank("revenue_general")
    if broad[0] and general[0] and sufficient("revenue_broad", "revenue_general"):
        if broad[0].get("rank_growth") == general[0].get("rank_growth"):
            add("revenue_broad", "大口径财政收入、一般公共预算收入增速均居全省第"
                f"{_n(doc, broad, 'rank_growth', 0, '大口径财政收入位次')}位")
        else:
            add("revenue_broad", "大口径财政收入、一般公共预算收入增速分别居全省第"
                f"{_n(doc, broad, 'rank_growth', 0, '大口径财政收入位次')}、第"
                f"{_n(doc, general, 'rank_growth', 0, '一般公共预算收入位次')}位")
    urban, rural = d.rank("income_urban"), d.rank("income_rural")
    if urban[0] and rural[0] and sufficient("income_urban", "income_rural"):
        add("income_urban", f"城乡居民人均可支配收入增速分别居全省第{_n(doc, urban, 'rank_growth', 0, '城镇居民收入位次')}、"
            f"第{_n(doc, rural, 'rank_growth', 0, '农村居民收入位次')}位")
    ranked = [c for c in d.main if d.rank(c)[0]]
    complete = all(compute.coverage_of(d.rank(c)[0], "growth").complete for c in ranked)
    among = f"（{coverage_words(doc, d.rank(ranked[0]), 'growth')[1]}）" if complete and clauses else ""
    if len(clauses) == 1:
        parts.append("；".join(["，".join(v) for v in clauses.values()]) + among + "。")
    elif clauses:
        parts.append("；".join(f"{words}，" + "，".join(v) for words, v in clauses.items()) + among + "。")
    if incomplete:
        parts.append("全省位次方面，" + "，".join(incomplete) + "，暂不排位次。")

    # Moves since 上半年, by name only.
    up, down = [], []
    for code in d.main:
        row, _ = d.rank(code)
        change = row.get("rank_change")
        name = d.indicators[code]["name"]
        if change and change > 0:
            up.append(name)
        elif change and change < 0:
            down.append(name)
    if up or down:
        moves = []
        if up:
            moves.append(f"{joined(up)}位次前移")
        if down:
            moves.append(f"{joined(down)}位次后退")
        parts.append("与上半年相比，" + "，".join(moves) + "。")

    # Year-end forecasts.
    fc = []
    gdp = d.forecast("gdp")
    if gdp[0]:
        fc.append(f"全市生产总值增长在{_n(doc, gdp, 'low', 1, 'GDP增速预测下限')}%至"
                  f"{_n(doc, gdp, 'high', 1, 'GDP增速预测上限')}%之间")
    for code, name in (("industry_va", "规上工业增加值"), ("fai", "固定资产投资")):
        pair = d.forecast(code)
        if pair[0]:
            fc.append(f"{name}增长{_n(doc, pair, 'point', 1, name + '增速预测')}%左右")
    retail = d.forecast("retail")
    if retail[0]:
        fc.append(f"社会消费品零售总额增长在{_n(doc, retail, 'low', 1, '社零增速预测下限')}%至"
                  f"{_n(doc, retail, 'high', 1, '社零增速预测上限')}%之间")
    if fc:
        parts.append("对全年的目标完成情况进行分析研判，预计" + "，".join(fc) + "。")
        record = _forecast_record(doc, d)
        if record:
            parts.append(record)
        reach, short, higher, lower = [], [], 0, 0
        for code in ("gdp", "industry_va", "fai", "retail"):
            point = d.forecast(code)[0].get("point")
            target = d.gap(code)[0].get("target_growth")
            last = d.last_year_growth(code)[0].get("growth")
            if point is None:
                continue
            if target is not None:
                (reach if point >= target else short).append(d.indicators[code]["name"])
            if last is not None:
                higher += point > last
                lower += point <= last
        if short:
            judge = (f"整体预判，{joined(reach)}能够完成年度计划目标，" if reach else "整体预判，") + \
                f"{joined(short)}完成年度计划目标的压力较大"
        else:
            judge = "整体预判，全市主要经济指标能够完成或略超年度计划目标"
        judge += "，大部分指标增速将有望高于上年水平。" if higher > lower else "，部分指标增速将低于上年水平。"
        parts.append(judge)
        parts.append("对这个预判我们是有信心的，说明这段时间，市县各级各部门都努力地谋了些事、干了些事，值得充分肯定。"
                     if not short else "对此，我们要清醒看到差距，把压力转化为动力，确保全年目标任务不落空。")
    return "".join(parts)


def _gaps(doc: Doc, d: PeriodData) -> str:
    parts = ["同时，对标对表，力争综合考核位次前移，仍然有不少差距。"]
    # The gaps the data can speak of, numbered 一是, 二是 … in the order they are said: a month
    # without the GDP target or the industry figure leaves no gap in the numbering.
    items: list[str] = []
    # the provincial target.
    gdp = d.gap("gdp")
    row = gdp[0]
    if row.get("target_total") is not None:
        whose = "省上" if row.get("target_source") == "province" else "上级"
        text = f"完成{'省定' if whose == '省上' else ''}目标有差距。对标{whose}目标任务，我市今年GDP总量要达到" \
               f"{_n(doc, gdp, 'target_total', 2, 'GDP目标总量')}亿元"
        if row.get("target_growth") is not None:
            text += f"、增长{_n(doc, gdp, 'target_growth', 1, 'GDP目标增速', 'trim')}%"
        fai = d.gap("fai")
        if fai[0].get("target_growth") is not None:
            text += f"，固定资产投资增速达到{_n(doc, fai, 'target_growth', 1, '固投目标增速', 'trim')}%以上"
        text += f"。{d.words('gdp')}全市GDP完成{_n(doc, gdp, 'value', 2, 'GDP累计')}亿元，" \
                f"完成年度目标的{_n(doc, gdp, 'completion', 1, 'GDP目标完成率')}%，"
        shown, sg = doc.facts.diff(row, gdp[1], "completion", "schedule", 1, label="与序时进度差距", transform="abs")
        behind = sg is not None and sg < 0
        text += f"{'低于' if behind else '高于'}序时进度{shown}个百分点"
        if row.get("amount_needed") is not None and row["amount_needed"] > 0 and row.get("months_remaining"):
            text += (f"，在距离年底不到{_n(doc, gdp, 'months_remaining', 0, '剩余月数')}个月的时间里还需完成"
                     f"{doc.facts.diff(row, gdp[1], 'target_total', 'value', 2, label='GDP尚需完成')[0]}亿元，月均需完成"
                     f"{_n(doc, gdp, 'per_remaining_month', 2, '月均需完成')}亿元")
            if row.get("growth_needed") is not None:
                text += f"，剩余月份需同比增长{_n(doc, gdp, 'growth_needed', 1, '剩余月份需增长')}%"
            text += "，差距和任务非常大。" if behind else "，仍需加力推进。"
        else:
            text += "，已完成全年目标总量。"
        items.append(text)

    # against the other cities: volume, overtaken, weak items.
    text = "横向对比有差距。"
    small = []
    for code in d.main:
        row, _ = d.rank(code)
        n = row.get("peer_count") or 0
        if row.get("rank_total") and n and row["rank_total"] > n / 2:
            small.append(d.indicators[code]["short_name"] if code == "gdp" else d.indicators[code]["name"])
    if "城镇居民人均可支配收入" in small and "农村居民人均可支配收入" in small:
        small = [n for n in small if "居民人均可支配收入" not in n] + ["城乡居民收入"]
    if small:
        text += f"尽管部分指标增速较高，但{joined(small)}等经济指标总量偏低"
    overtaken = [pair for pair in d.overtaken("gdp") if pair[0].get("first_time") and pair[0].get("years_behind")]
    if overtaken:
        bits = []
        for pair in overtaken:
            years = _n(doc, pair, "years_behind", 0, "连续领先年数")
            bits.append(f"GDP近{years}年来首次被{pair[0]['peer_name']}（{_n(doc, pair, 'peer_value', 2, '超越者GDP')}亿元）超越")
        text += ("，" if small else "") + "，".join(bits)
    else:
        total = d.rank("gdp")
        if total[0].get("rank_total"):
            text += (("，" if small else "") + f"GDP总量居全省第{_n(doc, total, 'rank_total', 0, 'GDP总量位次')}位")
            if total[0].get("total_gap_above") is not None:
                text += f"，与前一位相差{_n(doc, total, 'total_gap_above', 2, '与前一位差距')}亿元"
    if small:
        text += "，高增速带不来高增量，按照双维度考核，得不了高分值，影响我市在全省的综合考核位次。"
    elif text.endswith("差距。"):
        text += "本期暂无可比的市州数据。"
    else:
        text += "。"
    weak = _weak_items(doc, d)
    if weak:
        text += "与其他市州相比，仍然有一些重点工作单项排名在全省靠后，" + "，".join(weak) + "。"
    missing = [i["item_name"] for i in d.evaluation("city")["items"]
               if i["region_code"] == d.home.code and i.get("rank") is None]
    if missing:  # said plainly, not a rank: the evaluation scores an item without data 0
        text += f"{joined(missing)}暂无数据，按评价办法本项不得分，相关部门要尽快报送。"
    items.append(text)

    # industry.
    ind = d.rank("industry_va")
    if ind[0].get("growth") is not None:
        gap = d.gap("industry_va")
        g = ind[0]["growth"]
        text = (f"工业发展有差距。{d.words('industry_va')}全市规上工业增加值"
                f"{'增长' if g >= 0 else '下降'}{_n(doc, ind, 'growth', 1, '规上工业增速', 'abs')}%")
        if gap[0].get("growth_gap") is not None:
            shown, gg = doc.facts.diff(gap[0], gap[1], "growth", "target_growth", 1, label="规上工业增速差距",
                                       transform="abs")
            text += f"，{'低于' if gg < 0 else '高于'}年度目标{shown}个百分点"
        text += f"，增速居全省第{_n(doc, ind, 'rank_growth', 0, '规上工业位次')}位"
        falling = [(c, pair) for c, pair in zip(d.counties, d.county_ranks("industry_va"), strict=True)
                   if pair[0].get("growth") is not None and pair[0]["growth"] < 0]
        if falling:
            names = joined([c["name"] for c, _ in falling])
            rates = "%、".join(_n(doc, pair, "growth", 1, "县区规上工业增速", "abs") for _, pair in falling)
            text += f"，{names}规上工业增加值{'分别' if len(falling) > 1 else ''}下降{rates}%"
        text += _enterprises(doc, d)
        second, third = d.contribution("gdp_secondary"), d.contribution("gdp_tertiary")
        if second[0].get("contribution") is not None:
            weak_share = third[0].get("contribution") is not None and second[0]["contribution"] < third[0]["contribution"]
            text += (f"；{d.words('gdp')}二产对经济增长的贡献率{'仅为' if weak_share else '为'}"
                     f"{_n(doc, second, 'contribution', 1, '二产贡献率')}%，拉动经济增长"
                     f"{_n(doc, second, 'pull', 1, '二产拉动')}个百分点")
            if weak_share:
                text += f"，远低于三产的{_n(doc, third, 'contribution', 1, '三产贡献率')}%"
        items.append(text + "。")

    # fiscal: land revenue against its budget.
    land = d.gap("land_revenue")
    if land[0].get("target_total") is not None and land[0].get("value") is not None:
        shown, sg = doc.facts.diff(land[0], land[1], "completion", "schedule", 1, label="与序时进度差距",
                                   transform="abs")
        behind = sg is not None and sg < 0
        text = (f"财政收支有差距。今年，全市土地出让收入预算{_n(doc, land, 'target_total', 2, '土地出让收入预算')}亿元，"
                f"截至{d.period.month}月底完成{_n(doc, land, 'value', 2, '土地出让收入')}亿元，"
                f"占年初预算的{_n(doc, land, 'completion', 1, '土地出让收入完成率')}%，"
                f"{'低于' if behind else '高于'}序时进度{shown}个百分点")
        text += _city_land(doc, d)
        text += "，土地出让收入直接影响当年收支平衡，实现全年财政收入预算目标难度加大。" if behind else "，要保持进度。"
        items.append(_fiscal_gap(doc, d, text))
    else:
        items.append(_fiscal_gap(doc, d, "财政收支有差距。") + "土地出让收入暂无数据。")
    parts += [f"{CHINESE_NUMBERS[i]}是{item}" for i, item in enumerate(items)]
    parts.append(CLOSING)
    return "".join(parts)


def _enterprises(doc: Doc, d: PeriodData) -> str:
    """今年以来新入规企业 and, at the period's end, 停产/未销售 enterprises (the enterprise ledger as
    it stood then)."""
    s = Sources(d.period)
    new = s.one("enterprises_new_above_scale")
    troubled = s.one("enterprises_troubled")
    if not Enterprise.objects.exists():
        return "；企业台账暂无数据"
    text = ("；今年以来全市没有新入规企业" if not new[0]["count"]
            else f"；今年以来全市新入规企业{_n(doc, new, 'count', 0, '新入规企业')}户")
    counts = [(f"count_{status}", word) for status, word in (("stopped", "停产"), ("partial", "半停产"),
                                                             ("unsold", "未销售")) if troubled[0].get(f"count_{status}")]
    if counts:
        text += (f"，截至{d.period.month}月底，仍有"
                 + "、".join(f"{_n(doc, troubled, field, 0, word + '企业户数')}户企业{word}" for field, word in counts))
    else:
        text += f"，截至{d.period.month}月底，没有停产、未销售企业"
    return text


def _fiscal_gap(doc: Doc, d: PeriodData, text: str) -> str:
    """全市财力缺口达*亿元，其中：市级缺口*亿元 (the fiscal ledger's gap calculation) after the
    fiscal item's heading."""
    s = Sources(d.period)
    gaps = s.one("fiscal_gaps")
    rows = s.rows("fiscal_gaps", ("unit",), path="rows")
    head, _, rest = text.partition("。")
    if not rows:
        return head + "。财力缺口暂无测算数据。" + rest
    city = next((pair for pair in rows if pair[0]["unit"] == d.home.code), None)
    if (gaps[0]["total"] or 0) <= 0:
        gap = "全市财力没有缺口"
    else:
        gap = f"全市财力缺口达{_n(doc, gaps, 'total', 2, '全市财力缺口')}亿元"
        if city and city[0]["gap"] > 0:
            gap += f"，其中：市级缺口{_n(doc, city, 'gap', 2, '市级财力缺口')}亿元"
    return f"{head}。{gap}。{rest}"


def _city_land(doc: Doc, d: PeriodData) -> str:
    """市级仅入库*亿元，占年初预算*亿元的*% (the fiscal ledger's execution of the city level)."""
    s = Sources(d.period)
    city = next((pair for pair in s.rows("fiscal_execution", ("unit", "item"))
                 if pair[0]["unit"] == d.home.code and pair[0]["item"] == "land_revenue"), None)
    if not city or city[0]["rate"] is None:
        return "，市级土地出让收入暂无数据"
    low = city[0]["gap"] is not None and city[0]["gap"] < 0
    return (f"，市级{'仅' if low else ''}入库{_n(doc, city, 'actual', 2, '市级土地出让收入')}亿元，"
            f"占年初预算{_n(doc, city, 'budget', 2, '市级土地出让收入预算')}亿元的"
            f"{_n(doc, city, 'rate', 1, '市级土地出让收入完成率', 'pct')}%")


def _weak_items(doc: Doc, d: PeriodData) -> list[str]:
    """Items of the province's evaluation where the city ranks in the lower half: 倒数第N位 for
    the last few (``DIAODU_WEAK_BOTTOM``), 第N位 otherwise; worst first."""
    ev = d.evaluation("city")
    n = len(ev["summary"])
    out = []
    for item in ev["items"]:
        if item["region_code"] != d.home.code or item.get("rank") is None or item["rank"] <= n / 2:
            continue
        name = item["item_name"].replace("（增量及增速）", "增量及增速")
        if item.get("indicator") and item["indicator"] in d.indicators:
            pair = d.rank(item["indicator"])
            row = pair[0]
            if not row.get("rank_growth"):
                continue
            if not name.endswith(("增速", "增量及增速")):
                name += "增长"
            if row.get("bottom_growth") and row["bottom_growth"] <= settings.DIAODU_WEAK_BOTTOM:
                out.append((-1, row["bottom_growth"],
                            f"{name}倒数第{_n(doc, pair, 'bottom_growth', 0, name + '倒数位次')}位"))
            else:
                out.append((0, -row["rank_growth"], f"{name}第{_n(doc, pair, 'rank_growth', 0, name + '位次')}位"))
        else:
            pair = d.item(item["item"])
            out.append((0, -item["rank"], f"{name}第{_n(doc, pair, 'rank', 0, name + '位次')}位"))
    out.sort(key=lambda t: (t[0], t[1]))
    return [t[2] for t in out]
