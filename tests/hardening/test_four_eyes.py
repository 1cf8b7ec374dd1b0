"""Finding 5: tongji changed 康县 retail and published it alone (API publish=true,
导入即发布). Under four eyes nobody publishes what they entered or changed."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from diaodu.audit.models import ChangeRecord
from diaodu.indicators import actions
from diaodu.indicators.models import Observation
from diaodu.ingest.service import import_file
from diaodu.org import scopes
from tests.ingest import corpus

pytestmark = pytest.mark.django_db
ROW = actions.FigureInput("621224", "retail", 2021, 9, 50.0, 5.5, "")


def test_the_write_path_refuses_entering_and_publishing_at_once(personas):
    with pytest.raises(scopes.ScopeError, match="四眼原则"):
        actions.submit_figures(personas["tongji"], [ROW], publish=True)
    assert not Observation.objects.exists()


def test_the_api_refuses_publish_true(client, personas):
    from diaodu.api.models import ApiToken

    _, key = ApiToken.issue(personas["tongji"], "四眼")
    body = {"figures": [{"region": "621224", "indicator": "retail", "period": "2021-09", "value": 50, "growth": 5.5}],
            "reason": "改数", "publish": True}
    response = client.post("/api/figures", json.dumps(body), content_type="application/json",
                           HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 403, response.content
    assert "四眼原则" in response.json()["error"]["message"]
    assert not Observation.objects.exists()


def test_the_web_import_cannot_publish(client, personas, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    client.force_login(personas["tongji"])
    assert "导入即发布" not in client.get("/import/").content.decode()
    data = "区划代码,单位名称,指标代码,期别,累计值,累计增速(%),备注\n621224,康县,retail,2021-09,50,5.5,\n"
    response = client.post("/import/", {"file": SimpleUploadedFile("a.csv", data.encode()), "publish": "1"})
    client.post("/import/confirm/", {"preview": response.context["token"], "sha256": response.context["sha256"]})
    obs = Observation.objects.get()
    assert obs.published_revision is None


def test_publishing_needs_a_second_person(personas):
    actions.submit_figures(personas["tongji"], [ROW])
    revision = Observation.objects.get().revisions.get()
    with pytest.raises(scopes.ScopeError):
        actions.approve_revision(personas["tongji"], revision)
    actions.approve_revision(personas["tongji2"], revision)
    revision.refresh_from_db()
    with pytest.raises(scopes.ScopeError):
        actions.publish_revision(personas["tongji"], revision)
    actions.publish_revision(personas["tongji2"], revision)
    assert Observation.objects.get().published_value == 50


def test_an_official_release_is_explicit_and_recorded(personas, tmp_path):
    path = corpus.write_csv(tmp_path / "release.csv", [corpus.HEADER, corpus.GOOD_ROW])
    with pytest.raises(scopes.ScopeError, match="四眼原则"):
        import_file(path, personas["tongji"], publish=True)
    with pytest.raises(scopes.ScopeError, match="说明原因"):
        import_file(path, personas["tongji"], publish=True, official_release=True)
    with pytest.raises(scopes.ScopeError, match="数据审核"):
        import_file(path, personas["wudu"], publish=True, official_release=True, reason="x")
    import_file(path, personas["tongji"], publish=True, official_release=True, reason="省统计局 9 月快报")
    record = ChangeRecord.objects.get(object_type="indicators.observation")
    assert record.after["official_release"] is True and record.reason == "省统计局 9 月快报"


def test_four_eyes_can_be_turned_off(personas, settings):
    settings.DIAODU_FOUR_EYES = False
    actions.submit_figures(personas["tongji"], [ROW], publish=True)
    assert Observation.objects.get().published_value == 50
