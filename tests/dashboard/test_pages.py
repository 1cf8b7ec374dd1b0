"""The dispatch room's pages without a browser: access, scopes, the source drawer, maps, precompute.

The demo is loaded once for the module (``diaodu demo --no-serve``, which also precomputes).
"""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from diaodu.core import numbers
from diaodu.evaluation import compute
from diaodu.indicators import actions
from diaodu.indicators.models import Observation
from tests.helpers import demo_database

HOME = "621200"
COUNTIES = ["621202", "621221", "621222", "621223", "621224", "621225", "621226", "621227", "621228"]
PERIOD = "2021-10"
PAGES = [
    "/",
    f"/?period={PERIOD}",
    "/indicator/fai/",
    "/indicator/gdp/?region=621224",
    "/counties/",
    "/counties/?indicator=retail&measure=total",
    "/province/",
    "/gap/",
    "/gap/?indicator=fai",
    f"/source/?kind=rank&period={PERIOD}&level=city&indicator=fai&region={HOME}",
    "/maps/621200.json",
    "/maps/620000.json",
    "/data/queue/",
]


# The mark makes pytest-django create the test database; each test runs in a transaction rolled
# back over the demo data the module fixture committed.
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with demo_database(django_db_blocker) as output:
        yield output


def client_for(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def test_demo_precomputes_the_pages(demo):
    assert "已预计算" in demo
    out = StringIO()
    call_command("precompute", "--period", PERIOD, stdout=out)
    assert "2021年1-10月" in out.getvalue()


@pytest.mark.parametrize("url", PAGES)
def test_every_page_200_for_leader(demo, url):
    response = client_for("leader").get(url)
    assert response.status_code == 200, url


@pytest.mark.parametrize("url", PAGES)
def test_signed_out_redirects_to_login(demo, url):
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_overview_shows_the_engine_figures(demo):
    html = client_for("leader").get(f"/?period={PERIOD}").content.decode()
    fai = next(r for r in compute.ranks(PERIOD, "city") if r["indicator"] == "fai" and r["region_code"] == HOME)
    row = re.search(r'<tr data-indicator="fai".*?</tr>', html, re.S).group(0)
    assert f">{numbers.text(fai['growth'], 1)}<" in row
    assert f">{fai['rank_growth']}<" in row
    score = next(r for r in compute.evaluation(PERIOD, level="city")["summary"] if r["region_code"] == HOME)
    assert f">{numbers.text(score['score'], 2)}<" in html
    assert "演示数据" in html


def test_an_indicator_page_states_the_overviews_forecast(demo):
    """The same year-end forecast on both pages: the method is chosen on every indicator's record, so
    an indicator page must not recompute it over its one indicator (it did, and for 45 of 105 city
    forecasts of the demo said another number and method than the overview)."""
    client = client_for("leader")
    overview = client.get(f"/?period={PERIOD}").content.decode()
    for code in ("gdp", "industry_va", "fai", "retail"):
        row = re.search(rf'<tr data-indicator="{code}".*?</tr>', overview, re.S).group(0)
        cell = re.search(r'data-field="forecast">(.*?)</td>', row, re.S).group(1)
        low, high = re.search(r"(-?\d+\.\d)～(-?\d+\.\d)%", re.sub(r"<[^>]+>", "", cell)).groups()
        method = re.search(r'data-field="forecast_method">([^<]+)<', cell).group(1)
        page = client.get(f"/indicator/{code}/?period={PERIOD}").content.decode()
        kpi = re.search(r'id="kpi-forecast">.*?</div>\s*</div>', page, re.S).group(0)
        assert f"（{low}%～{high}%）" in kpi, (code, low, high)
        assert re.search(r'data-field="forecast_record">' + re.escape(method) + "；", kpi), (code, method)


def observation_ids(keys: list[str]) -> set[int]:
    ids = set()
    for key in keys:
        region, indicator, period = key.split("/")
        year, month = map(int, period.split("-"))
        ids |= set(Observation.objects.filter(region_id=region, indicator__code=indicator, year=year, month=month,
                                              published_revision__isnull=False).values_list("id", flat=True))
    return ids


@pytest.mark.parametrize(
    ("query", "row"),
    [
        (f"kind=rank&period={PERIOD}&level=city&indicator=fai&region={HOME}",
         lambda: next(r for r in compute.ranks(PERIOD, "city") if r["indicator"] == "fai" and r["region_code"] == HOME)),
        (f"kind=gap&period={PERIOD}&level=county&indicator=gdp&region=621224",
         lambda: next(r for r in compute.gaps(PERIOD, "county") if r["indicator"] == "gdp"
                      and r["region_code"] == "621224")),
        (f"kind=contribution&period={PERIOD}&indicator=gdp_secondary&region={HOME}",
         lambda: next(r for r in compute.contributions(PERIOD, HOME) if r["part_indicator"] == "gdp_secondary")),
        (f"kind=forecast&period={PERIOD}&level=city&indicator=retail&region={HOME}&measure=growth",
         lambda: next(r for r in compute.forecasts(PERIOD, "city") if r["indicator"] == "retail"
                      and r["region_code"] == HOME and r["measure"] == "growth")),
        (f"kind=simulation&period={PERIOD}&indicator=fai&region={HOME}&k=3",
         lambda: next(r for r in compute.simulation(PERIOD, HOME, "fai") if r["target_rank"] == 3)),
    ],
    ids=["rank", "gap", "contribution", "forecast", "simulation"],
)
def test_drawer_returns_the_observations_of_the_number(demo, query, row):
    response = client_for("leader").get(f"/source/?{query}", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    shown = {int(i) for i in re.search(r'data-observation-ids="([\d,]*)"', html).group(1).split(",") if i}
    expected = row()
    assert shown == observation_ids(expected["sources"])
    assert shown
    assert expected["rule"][:20] in html
    for pk in list(shown)[:3]:
        assert f"/data/figure/{pk}/" in html
    assert "<html" not in html  # an htmx partial


def test_drawer_rejects_unknown_numbers(demo):
    response = client_for("leader").get("/source/?kind=rank&period=2021-10&level=city&indicator=nope&region=1")
    assert response.status_code == 404


def test_wudu_sees_every_county_but_only_wudus_queue(demo):
    users = get_user_model().objects
    nov = [("621202", "wudu"), ("621224", "kangxian")]
    for region, username in nov:
        actions.submit_figures(users.get(username=username),
                               [actions.FigureInput(region, "fai", 2021, 11, 80.0, 12.0, "")], reason="测试",
                               accept_warnings=True)  # arbitrary figures: the rules' warnings are not the point
    wudu = client_for("wudu")
    # Published figures of every county: the counties page and the drawer of another county's number.
    html = wudu.get(f"/counties/?period={PERIOD}").content.decode()
    ranks = {r["region_code"]: r for r in compute.ranks(PERIOD, "county") if r["indicator"] == "fai"}
    for code in COUNTIES:
        row = re.search(rf'<tr data-region="{code}".*?</tr>', html, re.S).group(0)
        cell = re.search(r'data-indicator="fai" data-field="growth"[^>]*>(.*?)</td>', row, re.S).group(1)
        assert f">{ranks[code]['growth']:.1f}<" in cell
    drawer = wudu.get(f"/source/?kind=rank&period={PERIOD}&level=county&indicator=fai&region=621224",
                      HTTP_HX_REQUEST="true").content.decode()
    assert "康县" in drawer and 'data-observation-ids=""' not in drawer
    # The entry queue: 武都区 only.
    queue = wudu.get("/data/queue/").content.decode()
    body = queue.split("<tbody>", 1)[1]
    assert "武都区" in body and "康县" not in body
    assert "康县" in client_for("leader").get("/data/queue/").content.decode().split("<tbody>", 1)[1]
    # The unpublished November figure changes nothing the pages show.
    assert "2021年1-11月" not in wudu.get("/").content.decode()


def test_overview_links_counties_to_projects_and_enterprises(demo):
    html = client_for("leader").get("/").content.decode()
    for code in COUNTIES:
        assert f"/projects/behind/?region={code}" in html
        assert f"/enterprises/stopped/?region={code}" in html


def test_map_note_and_map_dir(demo, settings, tmp_path):
    leader = client_for("leader")
    assert "示意图" in leader.get("/counties/").content.decode()
    (tmp_path / "621200.json").write_text('{"type": "FeatureCollection", "features": [], "approved": "审图号X"}',
                                          encoding="utf-8")
    settings.DIAODU_MAP_DIR = str(tmp_path)
    response = leader.get("/maps/621200.json")
    assert response.content.decode().find("审图号X") > 0
    assert "示意图，不作为" not in leader.get("/counties/").content.decode()
    assert leader.get("/maps/620000.json").status_code == 404  # the deployment's folder lacks it
    assert "暂无甘肃省的地图" in leader.get("/province/").content.decode()
    assert leader.get("/maps/other.json").status_code == 404


def test_home_gdp_completion_names_its_responsible_leader(demo):
    """目标责任书 (demo data): the drawer of 陇南's GDP completion and the GDP page name the 责任领导."""
    leader = client_for("leader")
    drawer = leader.get(f"/source/?kind=gap&period={PERIOD}&level=city&indicator=gdp&region={HOME}",
                        HTTP_HX_REQUEST="true").content.decode()
    assert "目标责任书（2021年）" in drawer and "王某某（常务副市长）" in drawer and "牵头单位：市发改委" in drawer
    page = leader.get("/indicator/gdp/").content.decode()
    assert "责任领导：<b>王某某（常务副市长）</b>" in page
