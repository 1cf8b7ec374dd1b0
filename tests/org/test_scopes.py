"""Who may write what: a county clerk writes only their county, nobody approves
their own entry — through the write path, the web, the import and the admin."""

from __future__ import annotations

import pytest
from django.urls import reverse

from diaodu.indicators import actions
from diaodu.indicators.models import Observation, Revision, RevisionStatus
from diaodu.ingest.problems import IngestError
from diaodu.ingest.service import import_file
from diaodu.org import scopes
from tests.helpers import PASSWORD, table_checksums

WUDU, KANGXIAN = "621202", "621224"


def enter(user, region, value=10.0, growth=5.0, month=10, indicator="retail"):
    actions.submit_figures(user, [actions.FigureInput(region, indicator, 2021, month, value, growth)],
                           reason="测试")
    return Observation.objects.get(region_id=region, indicator__code=indicator, year=2021, month=month)


def test_county_clerk_writes_own_county_only(personas):
    enter(personas["wudu"], WUDU)
    with pytest.raises(scopes.ScopeError):
        enter(personas["wudu"], KANGXIAN)
    assert not Observation.objects.filter(region_id=KANGXIAN).exists()


def test_nobody_approves_their_own_entry(personas):
    obs = enter(personas["tongji"], WUDU)
    revision = obs.revisions.get()
    with pytest.raises(scopes.ScopeError, match="本人"):
        actions.approve_revision(personas["tongji"], revision)
    actions.approve_revision(personas["tongji2"], revision)
    revision.refresh_from_db()
    assert revision.status == RevisionStatus.APPROVED
    assert revision.approved_by == personas["tongji2"]


def test_clerk_and_leader_cannot_approve(personas):
    revision = enter(personas["wudu"], WUDU).revisions.get()
    for name in ("wudu", "kangxian", "leader", "fgw"):
        with pytest.raises(scopes.ScopeError):
            actions.approve_revision(personas[name], revision)


def test_import_rejects_rows_outside_scope(personas, tmp_path):
    path = tmp_path / "kang.csv"
    path.write_text("区划代码,单位名称,指标代码,期别,累计值,累计增速(%),备注\n"
                    "621202,武都区,retail,2021-10,50,5.5,\n"
                    "621224,康县,retail,2021-10,20,6.1,\n", encoding="utf-8")
    before = table_checksums()
    with pytest.raises(IngestError) as caught:
        import_file(path, personas["wudu"])
    assert any(p.row == 3 and "康县" in p.message for p in caught.value.problems)
    assert table_checksums() == before


def test_import_publish_needs_approver(personas, tmp_path):
    path = tmp_path / "wudu.csv"
    path.write_text("region_code,indicator,period,value,growth\n621202,retail,2021-10,50,5.5\n", encoding="utf-8")
    with pytest.raises(scopes.ScopeError):
        import_file(path, personas["wudu"], publish=True)
    result = import_file(path, personas["tongji"], publish=True, official_release=True, reason="统计局发布")
    assert result.created == 1
    assert Observation.objects.get(region_id=WUDU).published_value == 50


def test_web_edit_of_another_county_is_forbidden(personas, client):
    obs = enter(personas["kangxian"], KANGXIAN)
    client.login(username="wudu", password=PASSWORD)
    response = client.post(reverse("indicators:figure_edit", args=[obs.pk]),
                           {"value": 99, "growth": 1, "note": "", "reason": "x", "version": obs.version})
    assert response.status_code == 403
    obs.refresh_from_db()
    assert obs.value == 10.0 and obs.revision == 1


def test_web_approval_of_own_entry_is_forbidden(personas, client):
    obs = enter(personas["tongji"], WUDU)
    revision = obs.revisions.get()
    client.login(username="tongji", password=PASSWORD)
    response = client.post(reverse("indicators:revision_action", args=[revision.pk, "approve"]))
    assert response.status_code == 403
    revision.refresh_from_db()
    assert revision.status == RevisionStatus.ENTERED
    client.logout()
    client.login(username="tongji2", password=PASSWORD)
    response = client.post(reverse("indicators:revision_action", args=[revision.pk, "approve"]))
    assert response.status_code == 302
    revision.refresh_from_db()
    assert revision.status == RevisionStatus.APPROVED


def test_admin_edit_of_another_county_is_forbidden(personas, client):
    obs = enter(personas["kangxian"], KANGXIAN)
    clerk = personas["wudu"]
    clerk.is_staff = True  # even a clerk given admin access stays within their county
    clerk.save()
    client.login(username="wudu", password=PASSWORD)
    url = reverse("admin:indicators_observation_change", args=[obs.pk])
    response = client.post(url, {"value": 99, "growth": 1, "note": "",
                                 "revisions-TOTAL_FORMS": 1, "revisions-INITIAL_FORMS": 1})
    assert response.status_code in (403, 302)
    obs.refresh_from_db()
    assert obs.value == 10.0 and obs.revision == 1
    # Configuration is for 管理员 only.
    assert client.get(reverse("admin:indicators_indicator_changelist")).status_code == 403


def test_admin_edit_within_scope_goes_through_the_write_path(personas, client):
    obs = enter(personas["wudu"], WUDU)
    clerk = personas["wudu"]
    clerk.is_staff = True
    clerk.save()
    client.login(username="wudu", password=PASSWORD)
    url = reverse("admin:indicators_observation_change", args=[obs.pk])
    response = client.post(url, {"value": 12.5, "growth": 6, "note": "",
                                 "revisions-TOTAL_FORMS": 1, "revisions-INITIAL_FORMS": 1,
                                 "revisions-MIN_NUM_FORMS": 0, "revisions-MAX_NUM_FORMS": 1000,
                                 "revisions-0-id": obs.revisions.get().pk, "revisions-0-observation": obs.pk})
    assert response.status_code == 302, response.content.decode()[:2000]
    obs.refresh_from_db()
    assert (obs.value, obs.revision) == (12.5, 2)
    assert Revision.objects.get(observation=obs, number=2).source == "admin"


def test_read_scope_of_unpublished_figures(personas):
    enter(personas["kangxian"], KANGXIAN)
    qs = Observation.objects.all()
    assert scopes.restrict_observations(personas["wudu"], qs).count() == 0
    assert scopes.restrict_observations(personas["kangxian"], qs).count() == 1
    assert scopes.restrict_observations(personas["leader"], qs).count() == 1
