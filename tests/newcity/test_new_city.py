"""A city other than the demo's, from nothing: setup-city, adduser, a few published figures and one
target; then every page as each role, and on an empty database. Nothing here depends on 陇南 data."""

from __future__ import annotations

import json
import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from diaodu.engine.periods import Period
from diaodu.indicators import actions
from diaodu.org import home
from diaodu.org.models import Department, HomeCity, PeerGroup, Region
from tests.newcity.crawl import crawl, failures

CITY = "620500"  # 天水市
COUNTIES = ["620502", "620503", "620521", "620522", "620523", "620524", "620525"]
PASSWORD = "Tianshui#2026pw"


def run(*args, **kwargs) -> str:
    out = StringIO()
    call_command(*args, stdout=out, **kwargs)
    return out.getvalue()


@pytest.fixture
def tianshui(db, monkeypatch):
    monkeypatch.setenv("DIAODU_PASSWORD", PASSWORD)
    out = run("setup-city", CITY)
    assert "天水市" in out and "下一步" in out
    users = {
        "tjj": ("市统计局", "数据填报,数据审核"),
        "clerk": ("620502", "数据填报"),
        "leader": (CITY, "领导"),
        "admin": ("市政府办公室", "管理员"),
        "auditor": ("市统计局", "审计员"),
        "fgw": ("发改委", "enter"),
    }
    for username, (unit, roles) in users.items():
        run("adduser", username, "--unit", unit, "--roles", roles, "--name", f"{username}同志")
    User = get_user_model()
    tjj = User.objects.get(username="tjj")
    # The city's total above its counties' sum (a blocking rule otherwise refuses the figures).
    rows = [actions.FigureInput(code, "gdp", 2026, 3, 1000.0 if code == CITY else 100.0 + n, 5.0 + n / 10)
            for n, code in enumerate([CITY, *COUNTIES[:4]])]
    rows += [actions.FigureInput(CITY, "fai", 2026, 3, 80.0, -2.5)]
    actions.submit_figures(tjj, rows, publish=True, official_release=True, source="test", reason="测试")
    actions.release_period(tjj, Period(2026, 3), source="test")
    actions.set_targets(tjj, [actions.TargetInput(CITY, "gdp", 2026, None, 6.0, "市政府工作报告")],
                        source="test", reason="测试")
    return {u: User.objects.get(username=u) for u in users}


def test_setup_city_stores_home_groups_departments_and_is_idempotent(tianshui):
    assert home.home_code() == CITY
    assert HomeCity.objects.get().region_id == CITY
    assert list(Region.objects.home_counties().values_list("code", flat=True)) == COUNTIES
    fgw = Department.objects.get(region_id=CITY, name="市发改委")
    assert fgw.full_name == "天水市发展和改革委员会"
    assert Department.objects.filter(region_id=CITY, name="国家统计局天水调查队").exists()
    assert set(PeerGroup.objects.get(code=f"{CITY}-children").members.values_list("code", flat=True)) == set(COUNTIES)
    assert PeerGroup.objects.get(code="620000-children").members.count() == 14
    before = (Department.objects.count(), PeerGroup.objects.count())
    out = run("setup-city", CITY)
    assert "此前已设置" in out and "新建 0 个" in out
    assert (Department.objects.count(), PeerGroup.objects.count()) == before


def test_setup_city_refuses_another_city_on_a_database_with_data(tianshui):
    with pytest.raises(CommandError, match="不能改为"):
        run("setup-city", "620100")
    with pytest.raises(CommandError, match="不是地级"):
        run("setup-city", "620000")
    with pytest.raises(CommandError, match="不存在"):
        run("setup-city", "999999")
    assert home.home_code() == CITY


def test_adduser_units_roles_and_no_unit_message(tianshui, monkeypatch, tmp_path, capsys):
    from diaodu.org.scopes import NO_UNIT, ScopeError, check_enter_figure

    admin = tianshui["admin"]
    assert admin.is_staff and admin.profile.department.name == "市政府办公室"
    assert tianshui["fgw"].profile.department.full_name == "天水市发展和改革委员会"
    assert tianshui["clerk"].profile.region_id == "620502"
    assert tianshui["tjj"].profile.roles == ["enter", "approve"]
    with pytest.raises(CommandError, match="未知的角色“审批”"):
        run("adduser", "x1", "--unit", "市统计局", "--roles", "审批")
    with pytest.raises(CommandError, match="找不到单位"):
        run("adduser", "x2", "--unit", "火星局", "--roles", "数据填报")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", PASSWORD)
    call_command("createsuperuser", "--noinput", "--username", "root", "--email", "root@example.org", stdout=StringIO())
    root = get_user_model().objects.get(username="root")
    with pytest.raises(ScopeError, match="该用户尚未设置所属单位和角色"):
        check_enter_figure(root, CITY)
    assert "尚未设置所属单位和角色" in NO_UNIT
    from tests.ingest.corpus import HEADER, write_xlsx

    path = write_xlsx(tmp_path / "数据.xlsx", [HEADER, [CITY, "天水市", "gdp", "2026-03", 101.0, 5.0, ""]])
    with pytest.raises(SystemExit):
        call_command("import", str(path), "--user", "root", stdout=StringIO())
    assert "该用户尚未设置所属单位和角色" in capsys.readouterr().err


def test_tasks_extract_drafts_with_the_home_citys_units(tianshui, tmp_path):
    speech = tmp_path / "speech.txt"
    speech.write_text("同志们：\n市发改委要在11月底前完成重大项目储备。各县区要抓好项目开工，确保年底前全部开工。\n",
                      encoding="utf-8")
    drafts = json.loads(run("tasks", "extract", str(speech), "--json", "--date", "2026-11-05"))
    leads = [d for d in drafts if "重大项目储备" in json.dumps(d, ensure_ascii=False)]
    assert leads and "市发改委" in json.dumps(leads[0], ensure_ascii=False)
    counties = json.dumps([d for d in drafts if "开工" in json.dumps(d, ensure_ascii=False)], ensure_ascii=False)
    assert "秦州区" in counties and "张家川回族自治县" in counties and "武都区" not in counties


def test_template_lists_the_home_citys_units_and_periods_to_next_year(tianshui, tmp_path):
    from django.utils import timezone
    from openpyxl import load_workbook

    from diaodu.ingest.exports import write_template
    from diaodu.ingest.readers import REFERENCE_SHEET

    path = tmp_path / "template.xlsx"
    write_template(path)
    lists = load_workbook(path)[REFERENCE_SHEET]
    codes = {row[0] for row in lists.iter_rows(min_row=2, values_only=True) if row[0]}
    assert set(COUNTIES) | {CITY, "620000", "620100"} <= codes
    assert "621202" not in codes and "110000" not in codes  # not another city's counties, not the country
    periods = [row[6] for row in lists.iter_rows(min_row=2, values_only=True) if row[6]]
    next_year = timezone.localdate().year + 1
    assert periods[-1] == f"{next_year}-12" and periods[0] == f"{next_year - 4}-01"  # three years back, no figures before


def test_precompute_on_sparse_data_reports_what_it_skipped(tianshui):
    out = run("precompute", "--counties")
    assert "已预计算 2026年1-3月" in out
    assert "暂无数据" in out and "规上工业增加值" in out


def test_empty_database_precompute_exits_cleanly(db):
    HomeCity.objects.all().delete()
    home.forget()
    assert "尚未设置本市" in run("precompute")


def test_every_page_as_each_role_answers_below_500(tianshui, client):
    for username, user in tianshui.items():
        client.force_login(user)
        seen = crawl(client, limit=150 if username == "tjj" else 80)
        assert len(seen) > (5 if username == "auditor" else 20), (username, seen)  # 审计员 sees the audit pages
        assert failures(seen) == [], username
        client.logout()
    client.force_login(tianshui["leader"])
    assert "天水市" in client.get("/").content.decode()
    counties = client.get("/counties/").content.decode()
    for name in ("秦州区", "麦积区", "张家川回族自治县"):
        assert name in counties
    assert "武都区" not in counties


def test_county_map_is_the_home_citys_or_a_note(tianshui, client):
    client.force_login(tianshui["leader"])
    page = client.get("/counties/").content.decode()
    data = json.loads(re.search(r'<script id="map-data-counties" type="application/json">(.*?)</script>', page, re.S)
                      .group(1))
    assert sorted(item["code"] for item in data["items"]) == COUNTIES
    assert f'data-map-url="/maps/{CITY}.json"' in page and "示意图" in page
    geo = client.get(f"/maps/{CITY}.json").json()
    assert sorted(f["properties"]["adcode"] for f in geo["features"]) == COUNTIES
    province = client.get("/province/").content.decode()
    assert 'data-map-url="/maps/620000.json"' in province
    assert len(client.get("/maps/620000.json").json()["features"]) == 14


def test_a_city_without_a_bundled_map_gets_a_note_not_other_outlines(db, client, monkeypatch):
    monkeypatch.setenv("DIAODU_PASSWORD", PASSWORD)
    run("setup-city", "130900")  # 沧州市: its source file has no codes
    run("adduser", "boss", "--unit", "130900", "--roles", "领导")
    tjj = run("adduser", "cz", "--unit", "市统计局", "--roles", "数据审核")
    assert "沧州市" not in tjj  # 市统计局 is the home city's
    user = get_user_model().objects.get(username="cz")
    assert user.profile.department.region_id == "130900"
    actions.submit_figures(user, [actions.FigureInput("130902", "gdp", 2026, 3, 10.0, 5.0)], publish=True,
                           official_release=True, source="test", reason="测试")
    actions.release_period(user, Period(2026, 3), source="test")
    client.force_login(get_user_model().objects.get(username="boss"))
    page = client.get("/counties/").content.decode()
    assert "暂无沧州市的县区地图" in page and "data-map-url" not in page
    assert client.get("/maps/130900.json").status_code == 404


def test_empty_database_answers_every_page(db, client):
    HomeCity.objects.all().delete()
    home.forget()
    user = get_user_model().objects.create_user("someone", password=PASSWORD)
    client.force_login(user)
    seen = crawl(client)
    assert failures(seen) == []
    assert "尚未设置本市" in client.get("/").content.decode()


def test_admin_roles_are_checkboxes_of_known_roles(tianshui):
    from diaodu.org.admin import ProfileForm

    profile = tianshui["clerk"].profile
    form = ProfileForm(instance=profile)
    html = str(form["roles"])
    assert 'type="checkbox"' in html and "数据审核" in html
    bad = ProfileForm({"user": profile.user_id, "region": "620502", "roles": ["数据审核"]}, instance=profile)
    assert not bad.is_valid() and "roles" in bad.errors
    good = ProfileForm({"user": profile.user_id, "region": "620502", "roles": ["enter", "approve"]}, instance=profile)
    assert good.is_valid(), good.errors
    assert good.save().roles == ["enter", "approve"]
    no_unit = ProfileForm({"user": profile.user_id, "roles": ["enter"]}, instance=profile)
    assert not no_unit.is_valid()


def test_department_names_repeat_across_cities(tianshui):
    from diaodu.org import loaders

    created, _ = loaders.load_departments(Department, Region.objects.get(code="620100"))
    assert created > 10
    assert Department.objects.filter(name="市统计局").count() == 2
    lanzhou = Department.objects.get(region_id="620100", name="市统计局")
    assert lanzhou.code == "620100-tjj" and lanzhou.full_name == "兰州市统计局"
    from diaodu.accounts.users import find_unit

    assert find_unit("市统计局").region_id == CITY  # the home city's first


def test_load_regions_adds_a_development_zone_to_the_home_city(tianshui, tmp_path):
    path = tmp_path / "zone.json"
    path.write_text(json.dumps({"regions": [{"code": "620571", "name": "天水经济技术开发区", "short_name": "天水经开区",
                                              "level": "county", "parent": CITY}]}, ensure_ascii=False),
                    encoding="utf-8")
    assert "已加载 1 个区划" in run("load_regions", str(path))
    assert "620571" in Region.objects.home_counties().values_list("code", flat=True)
    assert PeerGroup.objects.get(code=f"{CITY}-children").members.filter(code="620571").exists()
    assert not PeerGroup.objects.filter(code="110000-children").exists()  # not a group per province of China


def test_admin_pages_answer_below_500(tianshui, client, settings):
    settings.DIAODU_REQUIRE_ADMIN_TOTP = False
    client.force_login(tianshui["admin"])
    seen = crawl(client, start="/admin/", limit=120)
    assert failures(seen) == []
    assert any(url.startswith("/admin/org/profile/") for url in seen)
    page = client.get(f"/admin/org/profile/{tianshui['clerk'].profile.pk}/change/").content.decode()
    assert 'type="checkbox"' in page and "数据审核" in page
