"""县区重点工作评价结果通报 (scores, ranks, changes, 红黑榜) and the 督查通报 (supervision)."""

from __future__ import annotations

import datetime as dt

from diaodu.engine.periods import Period
from diaodu.evaluation import compute

from .data import PeriodData
from .doc import Cell, Column, Doc, Table, unquoted
from .economy import coverage_words, score_sentence
from .issuance import chinese_date

BOARD = 3  # 红榜/黑榜: the first and the last three


def evaluation(period: Period | str, data: PeriodData | None = None) -> Doc:
    d = data or PeriodData(period)
    ev = d.evaluation("county")
    words, year = d.words(), d.period.year
    doc = Doc(name=f"县区重点工作评价结果通报_{d.period}", title=f"{d.home.name}{year}年{words}县区重点工作评价结果通报")
    doc.add("title", doc.title)
    doc.add("blank")
    doc.p(f"按照《{ev['scheme']['name']}》，市经济运行调度办公室对各县区{year}年{words}重点工作完成情况进行了评价，"
          "现将评价结果通报如下。")
    summary = sorted(ev["summary"], key=lambda r: (r["rank"] or 99, r["region_code"]))

    doc.add("h1", "一、评价结果")
    # Items every county lacks (a ledger not yet kept, say) are said once, not after each county.
    everyone = set.intersection(*(set(r.get("missing_items") or ()) for r in summary)) if len(summary) > 1 else set()
    parts = []
    for row in summary:
        pair = d.score(row["region_code"], "county")
        cov = compute.coverage_of(row, None)
        text = f"{row['region_name']}{doc.facts.num(row, pair[1]('score'), 2)}分、" + (
            f"第{doc.facts.num(row, pair[1]('rank'), 0)}位" if cov.sufficient
            else coverage_words(doc, pair, None, "县区")[1])
        missing = [item for item in row.get("missing_items") or () if item not in everyone]
        if missing:
            text += f"（缺数：{'、'.join(missing)}）"
        change = row.get("rank_change")
        if change:
            text += f"（较上半年{'前移' if change > 0 else '后退'}{doc.facts.num(row, pair[1]('rank_change'), 0, transform='abs')}位）"
        parts.append(text)
    common = [item for item in summary[0]["missing_items"] if item in everyone] if everyone else []
    doc.p("各县区综合得分和排名依次为：" + "；".join(parts) + "。"
          + (f"{'、'.join(common)}各县区均缺数，均不得分。" if common else ""))
    # 较上半年 only when there is an earlier evaluation to compare with (not at 一季度 or 上半年 itself)
    compared = any(row.get("compare_period") for row in summary)
    columns = [Column("县区", width=24), Column("综合得分", width=24, digits=2), Column("排名", width=18, digits=0),
               *([Column("较上半年", width=24)] if compared else []),
               Column("加分", width=20, digits=2), Column("扣分", width=20, digits=2)]
    rows = []
    for row in summary:
        pair = d.score(row["region_code"], "county")
        change = row.get("rank_change")
        if change is None:
            change_cell = Cell("—")
        elif change == 0:
            change_cell = Cell("持平", "持平")
        else:
            change_cell = Cell(("前移" if change > 0 else "后退")
                               + doc.facts.num(row, pair[1]("rank_change"), 0, transform="abs"), change)
        rows.append([Cell(row["region_name"], row["region_name"]),
                     Cell(doc.facts.num(row, pair[1]("score"), 2), row["score"], 2),
                     Cell(doc.facts.num(row, pair[1]("rank"), 0), row["rank"], 0), *([change_cell] if compared else []),
                     Cell(doc.facts.num(row, pair[1]("bonus"), 2), row["bonus"], 2),
                     Cell(doc.facts.num(row, pair[1]("penalty"), 2), row["penalty"], 2)])
    doc.add_table(Table("表一　县区重点工作评价结果", columns, rows, sheet="评价结果",
                        xlsx_title=f"{d.home.name}{year}年{words}县区重点工作评价结果"))

    doc.add("h1", "二、红黑榜")
    doc.add("h2", "（一）红榜")
    top = summary[:BOARD]
    doc.p("、".join(r["region_name"] for r in top) + "综合得分位居全市前列，列入红榜，予以通报表扬。"
          + _strengths(doc, d, ev, top, best=True))
    doc.add("h2", "（二）黑榜")
    bottom = list(reversed(summary[-BOARD:]))
    doc.p("、".join(r["region_name"] for r in bottom) + "综合得分位居全市后列，列入黑榜，要认真分析原因、"
          "制定整改措施，限期追赶进位。" + _strengths(doc, d, ev, bottom, best=False))

    doc.add("h1", "三、单项评价名次")
    items = []
    for item in ev["items"]:
        if item["item"] not in [i[0] for i in items]:
            items.append((item["item"], item["item_name"]))
    county_rows = {r["region_code"]: r for r in summary}
    columns = [Column("评价项目", width=40)] + [Column(c["short_name"] or c["name"], width=13, digits=0)
                                              for c in d.counties if c["code"] in county_rows]
    rows = []
    by_key = {(i["region_code"], i["item"]): i for i in ev["items"]}
    for code, name in items:
        row = [Cell(name, name)]
        for c in d.counties:
            if c["code"] not in county_rows:
                continue
            item = by_key.get((c["code"], code), {})
            if item.get("rank") is None:
                row.append(Cell("—"))
            else:
                pair = d.item(code, c["code"], "county")
                row.append(Cell(doc.facts.num(item, pair[1]("rank"), 0), item["rank"], 0))
        rows.append(row)
    doc.add_table(Table("表二　县区重点工作单项评价名次", columns, rows, sheet="单项名次",
                        note="注：名次为各县区在全市县区中的位次；“—”为缺少数据或人工评分未录入。",
                        xlsx_title=f"{d.home.name}{year}年{words}县区重点工作单项评价名次"))

    city = d.score()
    if city[0]:
        doc.add("h1", "四、全市在全省评价情况")
        row = city[0]
        text = score_sentence(doc, row, city)
        if row.get("rank_change"):
            text += (f"，较上半年{'前移' if row['rank_change'] > 0 else '后退'}"
                     f"{doc.facts.num(row, city[1]('rank_change'), 0, transform='abs')}位")
        doc.p(text + "。各县区要对标对表、补齐短板，为全市争先进位作出贡献。")
    return doc


def _strengths(doc: Doc, d: PeriodData, ev: dict, rows: list[dict], *, best: bool) -> str:
    """Each county's best (红榜) or worst (黑榜) ranked item."""
    out = []
    for row in rows:
        items = [i for i in ev["items"] if i["region_code"] == row["region_code"] and i.get("rank") is not None]
        if not items:
            continue
        pick = min(items, key=lambda i: (i["rank"], i["item"])) if best else max(items, key=lambda i: (i["rank"], i["item"]))
        pair = d.item(pick["item"], row["region_code"], "county")
        out.append(f"{row['region_name']}{pick['item_name']}居全市第{doc.facts.num(pick, pair[1]('rank'), 0)}位")
    if not out:
        return ""
    return ("其中，" if best else "其中，") + "，".join(out) + ("，表现突出。" if best else "，拖累较大。")


def supervision_available() -> bool:
    try:
        from diaodu.supervision import queries  # noqa: F401
        from diaodu.supervision.models import Task
    except ImportError:
        return False
    return Task.objects.exists()


def supervision(today: dt.date | None = None, since: dt.date | None = None) -> Doc:
    """督查通报: overdue open tasks, then tasks closed (``diaodu.supervision.queries.bulletin_rows``).
    Its numbers (days overdue, dates) are the supervision ledger's, not the engine's."""
    from diaodu.supervision.models import SupervisionSettings, Task
    from diaodu.supervision.queries import bulletin_rows

    today = today or SupervisionSettings.today()
    rows = bulletin_rows(today, since=since)
    doc = Doc(name=f"督查通报_{today.isoformat()}", title="市政府督查事项办理情况通报")
    doc.add("title", doc.title)
    doc.add("blank")
    overdue = [r for r in rows if r["category"] == "逾期未办结"]
    closed = [r for r in rows if r["category"] == "已办结"]
    open_count = sum(1 for t in Task.objects.all() if t.is_open)
    doc.p(f"截至{chinese_date(today)}，市政府督查事项中已办结{len(closed)}件、正在办理{open_count - len(overdue)}件、"
          f"逾期未办结{len(overdue)}件，现通报如下。")
    doc.add("h1", "一、逾期未办结事项")
    if overdue:
        doc.p("；".join(f"{r['lead_units'] or '责任单位'}牵头办理的“{unquoted(r['title'])}”，逾期{r['days_overdue']}天"
                       for r in overdue[:10]) + "。请责任单位主要负责同志亲自过问，限期办结。")
    else:
        doc.p("无逾期未办结事项。")
    doc.add("h1", "二、已办结事项")
    if closed:
        doc.p("；".join(f"{r['lead_units'] or '责任单位'}牵头办理的“{unquoted(r['title'])}”"
                       f"{'按期' if r['on_time'] else '超期'}办结" for r in closed[:10]) + "。")
    else:
        doc.p("本期无办结事项。")
    columns = [Column("类别", width=20), Column("编号", width=24), Column("事项", width=52), Column("牵头单位", width=28),
               Column("办理时限", width=20), Column("状态", width=14)]
    table_rows = []
    for r in rows:
        status = f"逾期{r['days_overdue']}天" if r["category"] == "逾期未办结" else ("按期" if r["on_time"] else "超期办结")
        if r.get("split"):  # several lead units: the overdue ones are named, the share done is shown
            status += f"（{r['split']}）"
        deadline = chinese_date(r["deadline"]) if r.get("deadline") else (r.get("deadline_text") or "—")
        title = unquoted(r["title"])
        table_rows.append([Cell(r["category"], r["category"]), Cell(r["number"], r["number"]),
                           Cell(title, title), Cell(r["lead_units"], r["lead_units"]),
                           Cell(deadline, deadline), Cell(status, status)])
    doc.add_table(Table("表一　督查事项办理情况", columns, table_rows, sheet="督查通报",
                        xlsx_title=f"督查事项办理情况（截至{chinese_date(today)}）"))
    return doc
