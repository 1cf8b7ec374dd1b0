"""一县一档, the wall (/screen/), landing pages and menus by role, the Chinese error pages, and
the status colours judged by season — without a browser, over the demo (loaded once)."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from diaodu.core import numbers
from diaodu.dashboard import pages
from diaodu.evaluation import compute, frames
from tests.helpers import demo_database

PERIOD = "2021-10"
KANGXIAN = "621224"

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with demo_database(django_db_blocker) as output:
        yield output


def client_for(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def test_county_profile_shows_every_indicator_rank_and_ledger(demo):
    from diaodu.enterprises.services import troubled
    from diaodu.projects import queries
    from diaodu.projects.models import Project

    html = client_for("leader").get(f"/county/{KANGXIAN}/?period={PERIOD}").content.decode()
    rows = re.findall(r'<tr data-indicator="([\w-]+)">', html.split('class="county-profile"')[1].split("</table>")[0])
    assert rows == [i["code"] for i in pages.all_indicators()]
    ranks = {r["indicator"]: r for r in compute.ranks(PERIOD, "county") if r["region_code"] == KANGXIAN}
    fai = html.split('<tr data-indicator="fai">')[1].split("</tr>")[0]
    assert f'>{ranks["fai"]["rank_growth"]}</a></td>' in fai.split('data-field="rank_growth"')[1]
    score = next(r for r in compute.evaluation(PERIOD, level="county")["summary"] if r["region_code"] == KANGXIAN)
    assert f"{score['score']:.2f}" in html
    behind = queries.behind_plan(queries.region_filter(Project.objects.all(), KANGXIAN), pages.parse_period(PERIOD))
    assert f"滞后项目 <b>{len(behind)}</b>" in html and behind
    assert f"停产企业 <b>{troubled(KANGXIAN).count()}</b>" in html
    assert "未办结事项" in html and f"/tasks/map/?unit={KANGXIAN}" in html


def test_county_profile_shows_a_task_as_soon_as_it_is_written(demo):
    """The profile's body is kept between views, but every task or ledger write is recorded and the
    record's id is part of the key: a task handed to the county shows on the next view, and the
    wall's version moves so an open /screen/ redraws its 督查 panel."""
    import datetime

    from diaodu.org.models import Region
    from diaodu.supervision import actions
    from diaodu.supervision.models import SupervisionSettings, Task

    client = client_for("leader")
    url = f"/county/{KANGXIAN}/?period={PERIOD}"
    before = client.get(url).content.decode()
    without_token = lambda html: re.sub(r'name="csrfmiddlewaretoken" value="\w+"', "", html)  # noqa: E731
    assert without_token(client.get(url).content.decode()) == without_token(before)  # the kept body
    wall = client.get("/screen/state.json").json()
    office = get_user_model().objects.get(username="ducha")
    due = SupervisionSettings.today() + datetime.timedelta(days=5)
    actions.create_task(office, Task(title="康县新交办的测试事项", content="测试", deadline=due,
                                         start_date=SupervisionSettings.today()),
                        [Region.objects.get(code=KANGXIAN)], assign=True)
    after = client.get(url).content.decode()
    assert "康县新交办的测试事项" not in before and "康县新交办的测试事项" in after
    count = lambda html: int(re.search(r"未办结事项 <b>(\d+)</b>", html).group(1))  # noqa: E731
    assert count(after) == count(before) + 1
    row = after.split("康县新交办的测试事项")[1].split("</tr>")[0]
    assert due.isoformat() in row
    now = client.get("/screen/state.json").json()
    assert now["fingerprint"] == wall["fingerprint"] and now["version"] != wall["version"]


def test_county_names_and_map_open_the_profile(demo):
    html = client_for("leader").get(f"/counties/?period={PERIOD}").content.decode()
    assert f'href="/county/{KANGXIAN}/?period={PERIOD}"' in html
    assert 'data-link="/county/{code}/' in html  # the map's click target
    assert f'href="/county/{KANGXIAN}/?period={PERIOD}"' in client_for("leader").get(f"/?period={PERIOD}").content.decode()


def test_unknown_county_is_a_chinese_404_inside_the_site(demo):
    response = client_for("leader").get("/county/999999/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "页面不存在" in html and 'class="topbar"' in html and "返回首页" in html


def test_forbidden_is_a_chinese_403_inside_the_site(demo):
    response = client_for("leader").get("/audit/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "没有权限" in html and 'class="topbar"' in html


def test_screen_has_every_panel_and_its_state(demo):
    client = client_for("leader")
    html = client.get(f"/screen/?period={PERIOD}").content.decode()
    for panel in ("overview", "counties", "province", "gap", "tasks"):
        assert f'id="panel-{panel}"' in html
    tiles = re.findall(r'class="tile ind-tile status-(\w+)" data-indicator="([\w-]+)"', html)
    assert [code for _, code in tiles] == [i["code"] for i in pages.main_indicators()]
    assert all(colour in ("red", "yellow", "green", "grey") for colour, _ in tiles)
    state = client.get("/screen/state.json").json()
    assert state["fingerprint"] == frames.fingerprint() and state["period"]
    body = client.get(f"/screen/?part=body&period={PERIOD}").content.decode()
    assert "<html" not in body and 'id="panel-overview"' in body


@pytest.mark.parametrize(("username", "lands"), [
    ("leader", "/"), ("admin", "/"), ("tongji", "/data/queue/"), ("wudu", "/county/621202/"),
    ("kangxian", f"/county/{KANGXIAN}/"), ("ducha", "/tasks/"), ("shenji", "/audit/"),
])
def test_each_role_lands_where_it_works(demo, username, lands):
    response = client_for(username).get("/start/")
    assert response.status_code == 302 and response["Location"] == lands


def test_menus_show_what_the_role_can_use(demo):
    leader = client_for("leader").get("/").content.decode()
    assert ">大屏</a>" in leader and ">导入</a>" not in leader and ">填报审核</a>" not in leader
    clerk = client_for("wudu").get("/").content.decode()
    assert ">导入</a>" in clerk and ">填报审核</a>" in clerk and ">大屏</a>" not in clerk
    auditor = client_for("shenji").get("/").content.decode()
    assert ">项目</a>" not in auditor and ">审计</a>" in auditor


def test_overview_status_judges_growth_targets_on_growth(demo):
    """The issue's case: the city's GDP grows 8.7% against a 7.5% target — green, not red."""
    gdp = next(r for r in compute.gaps(PERIOD, "city") if r["indicator"] == "gdp" and r["region_code"] == "621200")
    assert gdp["growth"] > gdp["target_growth"] and gdp["schedule_gap"] < 0
    assert pages.pace_status(gdp)[:2] == ("green", "growth")
    assert gdp["seasonal_schedule"] == pytest.approx(gdp["last_year_same_period"] / gdp["last_year_total"] * 100)


def test_status_basis_is_a_setting(settings):
    row = {"target_total": 100.0, "target_growth": 8.0, "growth_gap": 1.0, "schedule_gap": -8.0,
           "seasonal_gap": -1.0}
    settings.DIAODU_STATUS_BASIS = "auto"
    assert pages.pace_status(row)[:2] == ("green", "growth")
    settings.DIAODU_STATUS_BASIS = "linear"
    assert pages.pace_status(row)[:2] == ("red", "pace")
    settings.DIAODU_STATUS_BASIS = "seasonal"
    assert pages.pace_status(row)[:2] == ("yellow", "seasonal")
    # A total-only target with no profile of last year falls back on 序时进度.
    settings.DIAODU_STATUS_BASIS = "auto"
    assert pages.pace_status({"target_total": 10.0, "target_growth": None, "growth_gap": None,
                              "schedule_gap": 2.0, "seasonal_gap": None})[:2] == ("green", "pace")
    assert pages.pace_status({"target_total": None, "target_growth": None}) == ("", "", None)


def test_required_growth_never_below_minus_100():
    assert pages.needed_growth(-106.9, 12.0, "").text == "无需增长"
    assert pages.needed_growth(5.0, -3.0, "").text == "已完成"
    assert pages.needed_growth(-34.0, 12.0, "").text == "可下降34.0%"
    assert pages.needed_growth(-0.04, 12.0, "").text == "0.0%"  # prints as zero: no "可下降0.0%"
    assert pages.needed_growth(6.05, 12.0, "").text == "6.1%"
    assert pages.needed_growth(None, None, "").text == "—"


def test_gap_page_shows_no_required_growth_below_minus_100(demo):
    html = client_for("leader").get(f"/gap/?period={PERIOD}").content.decode()
    text = re.sub(r"<[^>]+>", " ", html)
    assert not [v for v in re.findall(r"(-\d+(?:\.\d+)?)%", text) if float(v) <= -100]
    assert "各列怎么算" in html and "按上年进度" in html


def test_gap_matrix_says_a_growth_it_cannot_turn_into_a_need_is_the_current_one(demo):
    """还需完成多少: a county's 规上工业增加值 has a growth target and no 累计值, so no remaining-months
    growth can be computed; its cell shows the current growth marked 现, never as bare a number that
    reads as what the rest of the year needs."""
    html = client_for("leader").get(f"/gap/?period={PERIOD}").content.decode()
    matrix = html.split('class="gap-matrix"')[1].split("</table>")[0]
    rows = {r["region_code"]: r for r in compute.gaps(PERIOD, "county") if r["indicator"] == "industry_va"}
    cells = dict(re.findall(r'<tr data-region="(\d+)">.*?data-indicator="industry_va">(.*?)</td>', matrix, re.S))
    assert cells and set(cells) <= set(rows)
    for code, cell in cells.items():
        row = rows[code]
        assert row["amount_needed"] is None and row["growth_needed_for_growth"] is None
        text = re.sub(r"<[^>]+>", "", cell)
        assert text == f"现{numbers.text(row['growth'], 1)}%", (code, text)


def test_overview_names_who_overtook_the_city(demo):
    """被定西市超越: from the engine's overtake results, with a drawer of its own."""
    first = next(o for o in compute.overtakes("2021-09", "gdp", "621200") if o["years_behind"] >= 1)
    html = client_for("leader").get(f"/?period={PERIOD}").content.decode()
    assert f"被{first['peer_name']}超越" in html
    drawer = client_for("leader").get(
        f"/source/?kind=overtake&period=2021-09&indicator=gdp&region=621200&peer={first['peer_code']}")
    assert drawer.status_code == 200 and first["peer_name"] in drawer.content.decode()


def test_province_table_is_sorted_by_rank(demo):
    html = client_for("leader").get(f"/province/?period={PERIOD}").content.decode()
    table = html.split('class="matrix"')[1].split("</table>")[0]
    order = re.findall(r'<tr data-region="(\d+)"', table)
    first = pages.main_indicators()[0]
    ranks = {r["region_code"]: r["rank_growth"] for r in compute.ranks(pages.data_period(first, pages.parse_period(
        PERIOD)), "city") if r["indicator"] == first["code"]}
    assert len(order) == 14 and [ranks[c] for c in order] == sorted(ranks[c] for c in order)


def test_only_a_tasks_own_units_are_asked_to_sign(demo):
    from diaodu.supervision import queries
    from diaodu.supervision.models import SupervisionSettings

    today = SupervisionSettings.today()
    leader = get_user_model().objects.get(username="leader")
    assert queries.inbox(leader, today).new == []  # the mayor reads every task and signs none
    wudu = get_user_model().objects.get(username="wudu")
    new = queries.inbox(wudu, today).new
    assert new and all(any(u.region_id == "621202" for u in r.task.units.all()) for r in new)
    html = client_for("leader").get("/tasks/").content.decode()
    assert 'href="#overdue"' in html  # the count cards lead to their lists


def test_overview_and_wall_compare_with_the_province(demo):
    """甘肃省 GDP 8.1%, 固投 15.5% are in the database: 高于全省 can be read off the screen."""
    province = pages.home().parent_id
    gdp = next(r for r in compute.series("2021-09", province, "gdp")["this_year"] if r["month"] == 9)
    html = client_for("leader").get(f"/?period={PERIOD}").content.decode()
    line = html.split('id="vs-province"')[1].split("</p>")[0]
    assert f"{gdp['growth']:.1f}" in line and "高于全省" in line and "低于全省-" not in line
    wall = client_for("leader").get(f"/screen/?period={PERIOD}").content.decode()
    assert wall.count('data-field="vs-province"') >= 6


def _cell_text(html: str, indicator: str, field: str) -> str:
    row = html.split(f'<tr data-indicator="{indicator}"')[1].split("</tr>")[0]
    cell = row.split(f'data-field="{field}"')[1].split("</td>")[0]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>|^[^>]*>", " ", cell)).strip()


def test_overview_shows_what_the_year_still_needs(demo):
    """尚需 on 总览: the amount a total target still misses and the growth the remaining months
    need, the very figures of 目标差距 (the same engine rows, printed by the one formatter)."""
    html = client_for("leader").get(f"/?period={PERIOD}").content.decode()
    gaps = {r["indicator"]: r for r in compute.gaps(PERIOD, "city") if r["region_code"] == pages.home_code()}
    gdp = gaps["gdp"]
    assert gdp["target_total"] is not None and gdp["amount_needed"] > 0
    need = _cell_text(html, "gdp", "need")
    assert need.startswith(f"{numbers.text(gdp['amount_needed'], unit='亿元')} 亿元"), need
    assert numbers.text(gdp["growth_needed_for_growth"], 1) + "%" in need
    checked = 0
    for code, g in gaps.items():
        if f'<tr data-indicator="{code}"' not in html or g["target_total"] is not None:
            continue
        wanted = g["growth_needed_for_growth"]
        if g["target_growth"] is None or wanted is None:
            continue
        need = _cell_text(html, code, "need")
        # A growth target already beaten leaves slack: 可下降x%, never a bare negative "需增长".
        expected = (f"可下降{numbers.text(-wanted, 1)}%" if numbers.rounded(wanted, 1) < 0
                    else numbers.text(wanted, 1) + "%")
        assert need == expected, (code, need)
        checked += 1
    assert checked >= 3
    assert not re.search(r'data-field="need".{0,200}?>-\d', html, re.S)


def test_county_profile_lists_the_countys_target_responsibilities(demo):
    """一县一档 names who answers for each of the county's targets (目标责任书), beside the target
    and its status; a county without one says so instead of showing an empty table."""
    import datetime

    from diaodu.indicators import actions
    from diaodu.org.models import Department

    page = client_for("leader").get(f"/county/{KANGXIAN}/?period={PERIOD}").content.decode()
    assert "康县2021年尚未录入目标责任书" in page and "profile-responsibilities" not in page

    Department.objects.create(code="kx-fgj", name="康县发改局", region_id=KANGXIAN, order=1)
    clerk = get_user_model().objects.get(username="tongji")
    actions.set_responsibilities(clerk, [actions.ResponsibilityInput(
        KANGXIAN, "fai", 2021, "张某某", "县长", "kx-fgj", (), "康政责〔2021〕3号", datetime.date(2021, 3, 1), "")],
        source="web", reason="县区目标责任书")
    page = client_for("leader").get(f"/county/{KANGXIAN}/?period={PERIOD}").content.decode()
    table = page.split('class="profile-responsibilities"')[1].split("</table>")[0]
    row = table.split('data-indicator="fai"')[1].split("</tr>")[0]
    assert "张某某（县长）" in row and "康县发改局" in row and "康政责〔2021〕3号" in row and "2021年3月1日" in row
    gap = next(r for r in compute.gaps(PERIOD, "county") if r["indicator"] == "fai" and r["region_code"] == KANGXIAN)
    colour, basis, _ = pages.pace_status(gap)
    assert f"增长{numbers.text(gap['target_growth'], 1)}%" in row and pages.status_text(colour, basis, gap) in row
