"""The demo: loads once, labelled 演示数据, and leader reaches 陇南's figures for 1-10月 2021."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from diaodu.demo import loader
from diaodu.demo.accounts import DEMO_PASSWORD
from diaodu.indicators.models import Observation, Target
from tests.helpers import demo_database

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """``diaodu demo --no-serve`` once for the module (it was once per test: three loads of the
    whole demo), committed like the other demo modules' and emptied afterwards; each test runs in
    a transaction rolled back over it."""
    with demo_database(django_db_blocker):
        yield


@pytest.fixture
def demo_db(demo, db):
    return loader


def test_demo_loads_once_and_is_published(demo_db):
    count = Observation.objects.count()
    assert count > 10000
    assert not Observation.objects.filter(published_revision__isnull=True).exists()
    call_command("demo", "--no-serve", verbosity=0)
    assert Observation.objects.count() == count
    assert Target.objects.filter(region_id="621200", year=2021, indicator__code="gdp").exists()


def test_leader_reaches_longnan_figures_for_october_2021(demo_db, client):
    assert client.login(username="leader", password=DEMO_PASSWORD)
    response = client.get("/data/", {"region": "621200", "period": "2021-10"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "陇南市主要经济指标" in page and "2021年1-10月" in page and "演示数据" in page
    retail = Observation.objects.get(region_id="621200", indicator__code="retail", year=2021, month=10)
    assert f"{retail.published_value:.2f}" in page
    gdp = Observation.objects.get(region_id="621200", indicator__code="gdp", year=2021, month=9)
    assert f"{gdp.published_value:.2f}" in page and "前三季度" in page


def test_login_page_is_labelled(demo_db, client):
    page = client.get("/accounts/login/").content.decode()
    assert "登录调度平台" in page and "演示数据" in page
