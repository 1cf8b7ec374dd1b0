"""招商引资 ledger: county rates from the database, scope by web and import, change records,
all-or-nothing import and the export → import round trip."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from openpyxl import Workbook

from diaodu.audit.models import ChangeRecord
from diaodu.engine.periods import Period
from diaodu.ingest.problems import IngestError
from diaodu.ingest.service import import_file
from diaodu.investment import actions, importers, queries
from diaodu.investment.models import Deal, DealStage, FundsArrival
from diaodu.org.scopes import ScopeError
from tests.helpers import PASSWORD, table_checksums

OCT = Period(2021, 10)


def checksums() -> dict:
    return {k: v for k, v in table_checksums().items() if k != "django_session"}


@pytest.fixture
def deals(personas):
    fgw = personas["fgw"]

    def deal(code, region, stage, amount, signed=None, start=None):
        return actions.create_deal(fgw, Deal(code=code, name=f"项目{code}", region_id=region, counterparty="某公司",
                                             stage=stage, contract_amount=Decimal(amount), signed_date=signed,
                                             start_date=start), reason="测试")

    d = {
        "talk": deal("Z-WD-1", "621202", DealStage.NEGOTIATING, "3"),
        "signed": deal("Z-WD-2", "621202", DealStage.SIGNED, "10", dt.date(2021, 3, 1)),
        "started": deal("Z-WD-3", "621202", DealStage.STARTED, "20", dt.date(2020, 6, 1), dt.date(2020, 9, 1)),
        "ended": deal("Z-WD-4", "621202", DealStage.TERMINATED, "5", dt.date(2020, 1, 1)),
        "kx": deal("Z-KX-1", "621224", DealStage.SIGNED, "4", dt.date(2021, 5, 1)),
    }
    actions.record_arrival(fgw, d["signed"], 2021, 4, "2")
    actions.record_arrival(fgw, d["started"], 2020, 12, "3")
    actions.record_arrival(fgw, d["started"], 2021, 5, "5")
    actions.record_arrival(fgw, d["started"], 2021, 11, "9")  # after the period: not counted
    actions.record_arrival(fgw, d["ended"], 2020, 3, "1")
    return {**d, **personas}


def test_county_rates(deals):
    pipe = queries.county_pipeline(OCT)
    wd = pipe["621202"]
    # signed: Z-WD-2, -3, -4 (terminated after signing); 签约金额 35; 到位 2 + 3 + 5 + 1 = 11
    assert (wd.rates.signed, wd.rates.started, wd.rates.terminated) == (3, 1, 1)
    assert wd.rates.contracted == Decimal("35") and wd.rates.arrived == Decimal("11")
    assert wd.rates.funds_rate == pytest.approx(11 / 35)
    assert wd.rates.start_rate == pytest.approx(1 / 3)
    assert wd.rates.performance_rate == pytest.approx(2 / 3)
    assert wd.arrived_year == Decimal("7")  # 2021 1-10月
    assert pipe["621224"].rates.funds_rate == 0 and pipe["621202"].ranks["funds_rate"] == 1
    assert pipe["621224"].ranks["funds_rate"] == 2 and pipe["621222"].ranks["funds_rate"] is None


def test_scope_and_change_records(deals, client):
    with pytest.raises(ScopeError):
        actions.record_arrival(deals["kangxian"], deals["signed"], 2021, 10, "1")
    with pytest.raises(ScopeError):
        actions.update_deal(deals["kangxian"], deals["signed"], {"stage": DealStage.TERMINATED})
    client.login(username="kangxian", password=PASSWORD)
    before = checksums()
    assert client.post(f"/investment/{deals['signed'].pk}/arrival/",
                       {"year": 2021, "month": 10, "amount": "1"}).status_code == 403
    assert client.post(f"/investment/{deals['signed'].pk}/edit/", {"name": "x"}).status_code == 403
    assert checksums() == before
    response = client.post(f"/investment/{deals['kx'].pk}/arrival/", {"year": 2021, "month": 10, "amount": "0.5"})
    assert response.status_code == 302
    record = ChangeRecord.objects.filter(object_type="investment.fundsarrival").latest("id")
    assert record.username == "kangxian" and record.after["amount"] == "0.5" and record.before is None
    actions.update_deal(deals["kangxian"], deals["kx"], {"stage": DealStage.STARTED, "start_date": dt.date(2021, 10, 1)})
    record = ChangeRecord.objects.filter(object_type="investment.deal", action="update").latest("id")
    assert record.before["stage"] == "signed" and record.after["stage"] == "started"
    assert client.get("/investment/").status_code == 200
    assert client.get(f"/investment/{deals['kx'].pk}/").status_code == 200


def test_import_round_trip_and_malformed(deals, tmp_path):
    path, arrivals = tmp_path / "deals.xlsx", tmp_path / "arrivals.xlsx"
    assert importers.export_deals(path) == 5
    assert importers.export_arrivals(arrivals) == FundsArrival.objects.count()
    before = checksums()
    result = import_file(path, deals["fgw"])
    assert (result.created, result.updated, result.unchanged) == (0, 0, 5)
    result = import_file(arrivals, deals["fgw"])
    assert result.unchanged == FundsArrival.objects.count()
    assert checksums() == before
    # a county importing the whole city's file is refused, row by row
    with pytest.raises(IngestError) as info:
        import_file(path, deals["kangxian"])
    assert "无权修改该记录" in str(info.value)
    # a malformed file: the good row is not written either
    book = Workbook()
    sheet = book.active
    sheet.title = "招商"
    sheet.append(["项目编号", "项目名称", "所属县区", "投资方", "进展阶段", "签约金额（亿元）", "签约日期"])
    sheet.append(["Z-NEW-1", "新项目", "武都区", "某公司", "在谈", 2, None])
    sheet.append(["Z-NEW-2", "新项目二", "武都区", "某公司", "签约", 2, None])
    book.save(tmp_path / "bad.xlsx")
    with pytest.raises(IngestError) as info:
        import_file(tmp_path / "bad.xlsx", deals["fgw"])
    text = str(info.value)
    assert "招商" in text and "3" in text and "签约日期" in text
    assert checksums() == before
