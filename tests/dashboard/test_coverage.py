"""A database holding one city's figures only: no page, API response, CLI output or speech states a
provincial rank or composite score as a position; each says 数据不全 with the coverage (已报 1/14).
And the period default: only a released period opens by default."""

from __future__ import annotations

import json
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from diaodu.briefings import build
from diaodu.engine.periods import Period
from diaodu.indicators import actions
from diaodu.indicators.releases import latest_released_period

pytestmark = pytest.mark.django_db
HOME = "621200"
POSITION = re.compile(r"(全省|排名|居)第\s*\d+\s*位")


@pytest.fixture
def one_city(personas):
    """陇南 alone: its main figures for 1-6月 and 1-10月 (and GDP, income for 前三季度), released."""
    rows = []
    for month, growth in ((6, 5.0), (10, 6.0)):
        for code in ("industry_va", "fai", "retail", "revenue_broad", "revenue_general"):
            rows.append(actions.FigureInput(HOME, code, 2021, month, 100.0 + month, growth, ""))
    for code in ("gdp", "income_urban", "income_rural"):
        rows.append(actions.FigureInput(HOME, code, 2021, 9, 300.0, 7.0, ""))
        rows.append(actions.FigureInput(HOME, code, 2021, 6, 200.0, 6.5, ""))
    tongji = personas["tongji"]
    actions.submit_figures(tongji, rows, publish=True, official_release=True, reason="测试", source="test")
    for month in (6, 9, 10):
        actions.release_period(tongji, Period(2021, month), source="test")
    return personas


def test_pages_say_incomplete_not_a_position(one_city):
    client = Client()
    client.force_login(one_city["leader"])
    for url in ("/", "/province/", "/indicator/fai/"):
        response = client.get(url)
        assert response.status_code == 200, url
        text = re.sub(r"<[^>]+>", "", response.content.decode())
        assert "数据不全（已报 1/14）" in text, url
        assert not POSITION.search(text), (url, POSITION.search(text))
    home = client.get("/").content.decode()
    assert "2021年1-10月" in home


def test_api_and_cli_give_no_position(one_city, capsys):
    client = Client()
    client.force_login(one_city["leader"])
    body = client.get("/api/results/ranks?indicator=fai").json()
    assert body["period"] == "2021-10" and body["released"] is True and body["label"] == ""
    own = next(r for r in body["rows"] if r["region_code"] == HOME)
    assert own["rank_growth"] is None and own["rank_total"] is None and own["rank_change"] is None
    assert own["coverage_growth"] == "已报 1/14" and own["position_growth"] == "数据不全（已报 1/14）"
    ev = client.get("/api/results/evaluation").json()
    own = next(r for r in ev["summary"] if r["region_code"] == HOME)
    assert own["rank"] is None and own["position"] == "数据不全（已报 1/14）"

    capsys.readouterr()
    call_command("rank", period="2021-10", json=True)
    rows = json.loads(capsys.readouterr().out)
    assert rows and all(r["rank_growth"] is None and r["bottom_growth"] is None for r in rows)
    assert {r["coverage_growth"] for r in rows} == {"已报 1/14"}
    out = StringIO()
    call_command("evaluate", period="2021-10", stdout=out)
    assert "数据不全（已报 1/14）" in out.getvalue() and "第1位" not in out.getvalue()


def test_speech_and_documents_give_no_position(one_city):
    for kind in ("speech", "economy", "weak"):
        doc = build.document(kind, "2021-10")
        text = doc.text()
        assert not POSITION.search(text), (kind, POSITION.search(text))
    speech = build.document("speech", "2021-10").text()
    assert "数据不全（已报 1/14）" in speech


def test_the_province_banner_calls_ranks_preliminary_only_when_other_cities_reported(one_city):
    """Without a figure of another 市州 there is no provincial rank to call preliminary: the banner
    says there is none. With one, and before the province's release, the ranks are preliminary."""
    client = Client()
    client.force_login(one_city["leader"])

    def banner() -> str:
        html = client.get("/?period=2021-10").content.decode()
        return " ".join(re.sub(r"<[^>]+>", "", m) for m in re.findall(r'<p class="card preliminary".*?</p>', html, re.S))

    assert "暂无全省位次" in banner() and "近一年尚无全省其他市州的数据" in banner()
    assert "全省位次为初步结果" not in banner()
    tongji = one_city["tongji"]
    actions.submit_figures(tongji, [actions.FigureInput("620100", "fai", 2021, 10, 900.0, 8.0, "")],
                           publish=True, official_release=True, reason="测试", source="test")
    assert "各市州初步数据（未发布）" in banner() and "全省位次为初步结果" in banner()
    assert "暂无全省位次" not in banner()
    actions.release_period(tongji, Period(2021, 10), scope="province", source="test")
    assert banner() == ""


def test_an_indicator_page_without_figures_says_so_instead_of_drawing_bare_axes(one_city):
    client = Client()
    client.force_login(one_city["leader"])
    city = client.get("/indicator/fai/?period=2021-10").content.decode()
    assert 'id="chart-series"' in city and 'id="chart-peers"' in city and "series-empty" not in city
    county = client.get("/indicator/fai/?region=621202&period=2021-10").content.decode()
    assert 'id="chart-series"' not in county and "武都区2021年和上年均无该指标已发布的累计增速" in county
    assert 'id="chart-peers"' in county  # the province's 市州: 陇南 reported


def test_a_grey_status_says_why_no_target_no_figure_yet_or_not_comparable(personas):
    """A half-reported month: 康县 has a target but no 1-10月 figure yet (本期无数据, not 无目标);
    成县 reported without a target (无目标); 武都区 reported against its target (coloured). The
    balance of loans has a total target, but a balance has no 序时进度 (无法判断)."""
    tongji = personas["tongji"]
    actions.set_targets(tongji, [actions.TargetInput("621202", "fai", 2021, None, 8.0, "city"),
                                 actions.TargetInput("621224", "fai", 2021, None, 8.0, "city"),
                                 actions.TargetInput("621202", "loans_balance", 2021, 500.0, None, "city")], reason="测试")
    actions.submit_figures(tongji, [actions.FigureInput("621202", "fai", 2021, 10, 100.0, 9.0, ""),
                                    actions.FigureInput("621221", "fai", 2021, 10, 80.0, 6.0, ""),
                                    actions.FigureInput("621202", "loans_balance", 2021, 10, 450.0, 5.0, "")],
                           publish=True, official_release=True, reason="测试")
    actions.release_period(tongji, Period(2021, 10))
    client = Client()
    client.force_login(personas["leader"])

    def status(indicator: str, region: str) -> str:
        page = client.get(f"/indicator/{indicator}/?period=2021-10").content.decode()
        row = re.search(rf'<tr data-region="{region}".*?</tr>', page, re.S).group(0)
        return re.findall(r'<span class="badge badge-\w+">([^<]*)</span>', row)[-1]

    assert status("fai", "621202") == "达到目标增速"
    assert status("fai", "621224") == "本期无数据"
    assert status("fai", "621221") == "无目标"
    assert status("loans_balance", "621202") == "无法判断"
    # 陇南 itself has no figure of the period: no "0 项" of 短板弱项 but 暂无数据
    home = client.get("/?period=2021-10").content.decode()
    weak = home.split('id="kpi-weak"')[1].split("</section>")[0]
    assert "暂无数据" in weak and "<b>0</b>" not in weak and "无法判断短板弱项" in home


def test_documents_claim_no_good_news_they_have_no_figures_for(one_city):
    """陇南 alone, no targets, no county figures: no "all in the upper half", no "all on schedule",
    no empty sentence where the counties' fastest and slowest would be."""
    for kind in ("economy", "weak"):
        text = build.document(kind, "2021-10").text()
        assert "均居全省中上游" not in text and "本期暂无可比的全省位次。" in text, kind
        assert "均达到序时进度" not in text and "本期没有可比的年度目标。" in text, kind
    economy = build.document("economy", "2021-10").text()
    assert "本期各县区数据不全，暂不比较增速快慢。" in economy and "\n。\n" not in economy
    assert "企业、项目和财政台账暂无数据" in economy and "暂未反映突出问题" not in economy


def test_the_speech_numbers_only_the_gaps_it_speaks_of(one_city):
    """Without a GDP target there is no 完成目标 gap: the speech's gaps start at 一是, in order."""
    text = build.document("speech", "2021-10").text()
    said = re.findall(r"([一二三四五])是(\w{2,6}有差距)", text)
    assert [n for n, _ in said] == list("一二三四"[:len(said)]) and len(said) >= 2, said
    assert said[0][1] == "横向对比有差距" and "完成省定目标有差距" not in text


def test_the_default_period_is_the_latest_released(personas):
    tongji, wudu = personas["tongji"], personas["wudu"]
    actions.submit_figures(tongji, [actions.FigureInput(HOME, "fai", 2021, 10, 100.0, 5.0, "")], publish=True, official_release=True, reason="测试")
    assert latest_released_period() is None
    actions.release_period(tongji, Period(2021, 10))
    actions.submit_figures(wudu, [actions.FigureInput("621202", "fai", 2021, 11, 10.0, 5.0, "")])
    actions.submit_figures(tongji, [actions.FigureInput("621202", "fai", 2021, 11, 10.0, 5.0, "")], publish=True, official_release=True, reason="测试")
    assert latest_released_period() == Period(2021, 10)
    # A release of some indicators only does not move the default.
    actions.release_period(tongji, Period(2021, 11), indicators=["fai"])
    assert latest_released_period() == Period(2021, 10)
    out = StringIO()
    call_command("release", period="2021-11", user="tongji", stdout=out)
    assert "已发布" in out.getvalue() and latest_released_period() == Period(2021, 11)
    with pytest.raises(actions.scopes.ScopeError):
        actions.release_period(wudu, Period(2021, 12))


def test_validate_lists_what_the_rules_find_and_writes_refuse_blocking_figures(personas, capsys):
    from diaodu.indicators.validation import RuleViolations

    tongji = personas["tongji"]
    actions.submit_figures(tongji, [actions.FigureInput("621202", "retail", 2021, 10, 73.06, 18.1, "")], publish=True,
                           official_release=True, reason="测试")
    with pytest.raises(RuleViolations, match="累计值 60.00 低于同年1-10月累计值 73.06"):
        actions.submit_figures(tongji, [actions.FigureInput("621202", "retail", 2021, 11, 60.0, 18.0, "")])
    with pytest.raises(RuleViolations, match="合理性警告"):
        actions.submit_figures(tongji, [actions.FigureInput("621202", "retail", 2021, 11, 80.0, 85.0, "")])
    actions.submit_figures(tongji, [actions.FigureInput("621202", "retail", 2021, 11, 80.0, 85.0, "")],
                           accept_warnings=True)
    capsys.readouterr()
    call_command("validate", period="2021-11", json=True)
    report = json.loads(capsys.readouterr().out)
    messages = [v["message"] for v in report["violations"]]
    assert report["period"] == "2021-11" and report["rules"] >= 7
    assert any("累计增速 85% 较1-10月的 18.1% 变动 66.9 个百分点" in m for m in messages), messages
    assert any("85% 超出 ±50%" in m for m in messages), messages
