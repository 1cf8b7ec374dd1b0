"""Speeches as people write them: one sentence of our own per pattern (issue 17), and the
labelled corpus of other cities' and counties' speeches (tests/supervision/speeches/)."""

import datetime
from pathlib import Path

import pytest

from diaodu.supervision.extract import UnitDictionary, default_units, extract_tasks, resolve_deadline
from diaodu.supervision.score import draft_units, load_corpus, score_corpus

MEETING = datetime.date(2023, 11, 8)  # a Wednesday
COUNTY = UnitDictionary([("康县发改局", ["县发改局", "县发展改革局"]), ("康县工信局", ["县工信局"])], [], level="county")
OTHER = UnitDictionary([], [], level="county")
CORPUS = Path(__file__).parent / "speeches"


def one(text, units=OTHER, **kw):
    drafts = extract_tasks(text, units, today=MEETING, **kw)
    assert len(drafts) == 1, [(d.lead_units, d.action) for d in drafts]
    return drafts[0]


# (sentence, units as canonical subject names, deadline or None, a piece the action keeps)
PATTERNS = [
    ("各县(市、区)要在月底前报送冬季用能保障清单。", ["各县区"], datetime.date(2023, 11, 30), "冬季用能保障清单"),
    ("各县（市、区）要于12月份完成欠薪清零。", ["各县区"], datetime.date(2023, 12, 31), "欠薪清零"),
    ("会后，全县各级各部门要把排查出的问题逐条销号。", ["各级各部门"], None, "逐条销号"),
    ("下一步，县商务局要牵头办好年货节。", ["县商务局"], None, "年货节"),
    ("希望各乡镇务必在本周内完成秋冬种面积核实。", ["各乡镇"], datetime.date(2023, 11, 12), "秋冬种面积"),
    ("请园区管委会在下次调度会前拿出标准厂房招租方案。", ["园区管委会"], datetime.date(2023, 12, 8), "招租方案"),
    ("县财政局务必在年底前拨付配套资金。", ["县财政局"], datetime.date(2023, 12, 31), "配套资金"),
    ("县住建局承担的建筑业产值指标要力争一季度回到全市前五。", ["县住建局"], datetime.date(2023, 3, 31), "建筑业产值指标"),
    ("工业发展局、县工信局要一季度前完成两户企业入规。", ["工业发展局", "县工信局"], datetime.date(2023, 3, 31), "入规"),
    ("规上工业增加值增速，各乡镇要高度重视，全力推动。", ["各乡镇"], None, "规上工业增加值增速"),
    ("县文旅局要确保12月份当下任务全部清零。", ["县文旅局"], datetime.date(2023, 12, 31), "当下任务"),
    ("县统计局要确保今年各项任务圆满完成。", ["县统计局"], datetime.date(2023, 12, 31), "各项任务"),
    # another leader's ways of naming units and counting points
    ("各县区政府要于12月10日前将开工计划报市项目办。", ["各县区"], datetime.date(2023, 12, 10), "开工计划"),
    ("各县（市、区）人民政府要逐个项目梳理未开工项目。", ["各县区"], None, "未开工项目"),
    ("第一，县工信局要牵头，在11月底前完成明年重点项目储备清单的编制工作。", ["县工信局"],
     datetime.date(2023, 11, 30), "储备清单"),
]


@pytest.mark.parametrize(("text", "units", "deadline", "keeps"), PATTERNS, ids=[p[0][:10] for p in PATTERNS])
def test_pattern(text, units, deadline, keeps):
    d = one(text)
    assert draft_units(d) == units
    assert (d.deadline.date if d.deadline and d.deadline.date else None) == deadline
    assert keeps in d.action


def test_a_point_counted_with_di_yi_is_an_instruction_and_a_short_one_a_heading():
    """"第一，县发改局要…。" on a line of its own is the first of the speaker's points; "第一、…" and a
    short "第二，…" without a full stop are headings, whose instructions follow."""
    text = ("第一，县发改局要牵头，在月底前完成明年重大项目储备清单的编制工作。\n"
            "第二，抓好项目建设\n县工信局要紧盯停产半停产企业，一企一策制定复产方案。\n"
            "第三、关于安全生产\n县住建局要抓好城市道路改造项目。\n")
    drafts = extract_tasks(text, COUNTY, today=MEETING)
    assert [draft_units(d) for d in drafts] == [["康县发改局"], ["康县工信局"], ["县住建局"]]
    assert [d.section for d in drafts] == ["", "第二，抓好项目建设", "第三、关于安全生产"]


def test_enumerations_and_audience():
    text = (
        "会后各级各有关部门要抓好落实。\n"
        "一方面，要盯紧重点企业，逐户解决用工问题。另一方面，要抓好新开工项目的入库纳统工作。\n"
        "首先，要核实在建项目投资额。其次，要做好要素保障工作。最后，要抓好安全生产排查。\n"
    )
    drafts = extract_tasks(text, OTHER, today=MEETING)
    assert [draft_units(d) for d in drafts] == [["各级各部门"]] * 6
    assert "audience_subject" in drafts[1].flags
    assert drafts[1].action.startswith("盯紧重点企业")


def test_one_yao_two_yao():
    text = "下面讲三点。一是县发改局要抓紧申报专项债项目。二是县财政局要加快支出进度。"
    drafts = extract_tasks(text, OTHER, today=MEETING)
    assert [draft_units(d) for d in drafts] == [["县发改局"], ["县财政局"]]


def test_quoted_demand_of_a_higher_leader():
    text = "会后各部门要抓好落实。\n上周，省长在全省调度会上专门强调，要确保固定资产投资增速本月底前回正。"
    drafts = extract_tasks(text, OTHER, today=MEETING)
    d = drafts[-1]
    assert draft_units(d) == ["各部门"] and "quoted_demand" in d.flags
    assert d.deadline.date == datetime.date(2023, 11, 30)


def test_county_units_resolve_against_the_speech_level():
    d = one("县发改局要在月底前完成项目清理。", COUNTY)
    assert d.lead_units == ["康县发改局"] and "unit_not_in_catalogue" not in d.flags
    # The same department named with the city prefix is another government's: kept as text, flagged.
    d = one("市发改局要在月底前完成项目清理。", COUNTY)
    assert d.lead_units == ["市发改局"] and "unit_not_in_catalogue" in d.flags


def test_unknown_units_are_kept_and_flagged():
    d = one("大观开发区要把三大片区开发建设作为重中之重。")
    assert d.lead_units == ["大观开发区"] and "unit_not_in_catalogue" in d.flags
    d = one("县工管委、县经济信息和科技局等行业主管部门要加快项目建设。")
    assert d.lead_units == ["县工管委", "县经济信息和科技局"]


@pytest.mark.parametrize(
    "text",
    ["四季度好于三季度的势头要巩固住", "一季度比去年同期快", "全市二季度重点项目观摩", "截至10月底，仍有三户企业停产"],
)
def test_comparisons_are_not_deadlines(text):
    d = resolve_deadline(text, MEETING)
    assert d is None or d.date is None


def test_home_city_speech_still_resolves_home_departments():
    d = one("发改部门要在本周内报送项目清单。", default_units())
    assert d.lead_units == ["市发改委"] and d.deadline.date == datetime.date(2023, 11, 12)


def test_corpus_meets_the_targets(extract_report):
    speeches = load_corpus(CORPUS)
    assert len(speeches) >= 15
    score = score_corpus(speeches)
    extract_report.extend(["diaodu tasks score tests/supervision/speeches:", *("  " + x for x in score.table())])
    assert score.unit_precision >= 0.90 and score.unit_recall >= 0.85
    assert score.action_precision >= 0.90 and score.action_recall >= 0.85
    assert score.deadlines_labelled >= 5 and score.deadline_accuracy >= 0.90


@pytest.mark.django_db
def test_a_county_speech_reads_the_county_departments():
    from diaodu.org.models import Department
    from diaodu.supervision.speech import draft_tasks

    Department.objects.create(code="kx-fgj", name="康县发改局", aliases=["县发改局", "发改局"], region_id="621224")
    (d,) = draft_tasks("县发改局要在月底前完成项目清理。", MEETING, region_code="621224")
    assert d.lead_units == ["康县发改局"] and "unit_not_in_catalogue" not in d.flags
    # The same sentence in the city's speech names another government's department: kept, flagged.
    (d,) = draft_tasks("县发改局要在月底前完成项目清理。", MEETING)
    assert d.lead_units == ["县发改局"] and "unit_not_in_catalogue" in d.flags


# Terms other leaders set, read on Wednesday 2023-11-08 (春节 2024 is 2 月 10 日).
TERMS = [
    ("本月20日前完成项目入库复核", datetime.date(2023, 11, 20)),
    ("下月5日前报送四季度预计数", datetime.date(2023, 12, 5)),  # 四季度 names the figures, not the term
    ("两周内完成土地挂牌方案", datetime.date(2023, 11, 22)),
    ("10个工作日内反馈意见", datetime.date(2023, 11, 22)),
    ("春节前足额发放救助资金", datetime.date(2024, 2, 9)),
    ("元旦前完成清欠", datetime.date(2023, 12, 31)),
    ("国庆节前完成主体工程", datetime.date(2024, 9, 30)),
    ("确保3月30日前完工", datetime.date(2023, 3, 30)),  # a date, not "30 days"
]


@pytest.mark.parametrize(("text", "date"), TERMS, ids=[t[0][:6] for t in TERMS])
def test_terms_by_month_day_span_and_holiday(text, date):
    assert resolve_deadline(text, MEETING).date == date


def test_a_report_due_every_month_or_quarter_is_a_recurrence_not_a_date():
    monthly = resolve_deadline("每月25日前报送固投入库情况", MEETING)
    assert (monthly.kind, monthly.recurrence, monthly.report_day, monthly.date) == ("recurring", "monthly", 25, None)
    quarterly = resolve_deadline("每季度10日前报送项目进展", MEETING)
    assert (quarterly.recurrence, quarterly.report_day) == ("quarterly", 10)
    assert resolve_deadline("每月30日前报送", MEETING).kind == "unresolved"  # not a day of every month


def test_the_task_is_what_is_left_after_the_roles():
    """"牵头，会同…，" says who (the draft's lead and co-units), not what: the task starts after it."""
    d = one("县发改局要牵头，会同县工信局，在月底前完成明年重大项目储备清单的编制工作。", COUNTY)
    assert (draft_units(d), d.co_units) == (["康县发改局"], ["康县工信局"])
    assert d.action == "在月底前完成明年重大项目储备清单的编制工作"
    assert one("县工信局要牵头抓好企业复产。", COUNTY).action == "牵头抓好企业复产"  # 牵头 is the verb here
