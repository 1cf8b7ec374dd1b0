"""One rule for ledger records in the admin (scopes.can_admin_ledger), the same for every ledger:
view as staff, add with a writing role, change and delete within the ledger write scope."""

from __future__ import annotations

import re

from django.contrib import admin

from diaodu.org import scopes
from diaodu.org.models import Region, Role
from tests.enterprises.test_ledger import enterprise
from tests.helpers import PASSWORD, make_user
from tests.projects.conftest import make_project


def test_one_ledger_rule_in_the_admin(personas, client):
    fgw = personas["fgw"]
    wudu_project, kang_project = make_project(fgw, "P-WD-9", "621202"), make_project(fgw, "P-KX-9", "621224")
    firm = enterprise(personas["wudu"], "621202", "MA710009")
    clerk = make_user("wd_staff", "621202", [Role.ENTER], staff=True)
    leader = make_user("leader_staff", "621200", [Role.LEADER], staff=True)

    assert scopes.can_admin_ledger(clerk) and scopes.can_admin_ledger(clerk, action="add")
    assert scopes.can_admin_ledger(clerk, wudu_project, action="change")
    assert scopes.can_admin_ledger(clerk, firm, action="delete")
    assert not scopes.can_admin_ledger(clerk, kang_project, action="change")  # another county's
    assert scopes.can_admin_ledger(leader) and not scopes.can_admin_ledger(leader, action="add")
    assert not scopes.can_admin_ledger(leader, wudu_project, action="change")
    assert not scopes.can_admin_ledger(personas["wudu"])  # no staff account: no admin at all
    assert scopes.can_admin_ledger(personas["admin"], kang_project, action="change")

    # The enterprise ledger (once 管理员 only) follows the same rule as the projects.
    client.login(username="wd_staff", password=PASSWORD)
    assert client.get("/admin/enterprises/enterprise/").status_code == 200
    assert client.get(f"/admin/enterprises/enterprise/{firm.pk}/delete/").status_code == 200
    kang_firm = enterprise(personas["kangxian"], "621224", "MA710010")
    assert client.get(f"/admin/enterprises/enterprise/{kang_firm.pk}/delete/").status_code == 403
    assert client.post(f"/admin/projects/project/{kang_project.pk}/delete/", {"post": "yes"}).status_code == 403
    response = client.post(f"/admin/projects/project/{wudu_project.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    from diaodu.audit.models import ChangeRecord

    record = ChangeRecord.objects.get(object_type="projects.project", action="delete", source="admin")
    assert record.username == "wd_staff"


def test_targets_in_the_admin_go_through_set_targets(personas, client):
    """A target added or changed in 配置 is written by the targets' one write path (its change
    record names the admin as the source), and its key is fixed once set."""
    from diaodu.audit.models import ChangeRecord
    from diaodu.indicators.models import Indicator, Target

    client.force_login(personas["admin"])
    gdp = Indicator.objects.get(code="gdp")
    data = {"region": "621202", "indicator": gdp.pk, "year": 2022, "total": "", "growth": "7.5", "source": "city",
            "note": "", "version": 1}
    assert client.post("/admin/indicators/target/add/", data).status_code == 302
    target = Target.objects.get(region_id="621202", indicator=gdp, year=2022)
    assert target.growth == 7.5 and target.updated_by == personas["admin"]
    created = ChangeRecord.objects.get(object_type="indicators.target", object_id=str(target.pk), action="create")
    assert created.source == "admin" and created.after["growth"] == 7.5
    page = client.get(f"/admin/indicators/target/{target.pk}/change/").content.decode()
    assert 'name="year"' not in page, "the key is read-only"
    assert 'name="version"' not in page and 'name="updated_by"' not in page, "the write path sets them"
    response = client.post(f"/admin/indicators/target/{target.pk}/change/", {**data, "growth": "8"})
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.growth == 8.0 and Target.objects.filter(year=2022).count() == 1
    update = ChangeRecord.objects.filter(object_type="indicators.target", action="update").latest("id")
    assert update.before["growth"] == 7.5 and update.after["growth"] == 8.0


def test_a_channel_secret_is_recorded_as_set_never_its_value(personas, client):
    from diaodu.audit.models import ChangeRecord

    client.force_login(personas["admin"])
    data = {"name": "督查群", "kind": "dingtalk", "url": "http://127.0.0.1:9/robot", "secret": "SEC-very-secret",
            "enabled": "on", "version": 1}
    response = client.post("/admin/supervision/notificationchannel/add/", data)
    assert response.status_code == 302, response.content.decode()[-1500:]
    record = ChangeRecord.objects.get(object_type="supervision.notificationchannel", action="create")
    assert record.after["secret"] == "（已设置）" and "SEC-very-secret" not in str(record.after)


def test_regions_are_chosen_by_search_or_among_the_home_citys(personas, client):
    """The admin never draws the country's 3,600 regions as a list: a configuration form chooses a
    region by search (autocomplete, served by RegionAdmin), a ledger form among the home city and
    its 县区, and a ledger list filters by the counties its records name."""
    make_project(personas["fgw"], "P-WD-8", "621202")
    client.login(username="admin", password=PASSWORD)

    def options(url, name):
        page = client.get(url).content.decode()
        select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', page, re.S)
        assert select, (url, name)
        return set(re.findall(r'<option value="(\d+)"', select.group(1))), select.group(0)

    for url, name in [("/admin/indicators/target/add/", "region"), ("/admin/org/peergroup/add/", "members"),
                      ("/admin/org/profile/add/", "region")]:
        offered, select = options(url, name)
        assert not offered and "admin-autocomplete" in select, url
    found = client.get("/admin/autocomplete/", {"term": "康县", "app_label": "org", "model_name": "profile",
                                                "field_name": "region"}).json()
    assert "621224" in [r["id"] for r in found["results"]]  # with the other provinces' 康县

    offered, _ = options("/admin/projects/project/add/", "region")
    assert offered == set(Region.objects.home_units().values_list("code", flat=True))
    page = client.get("/admin/projects/project/").content.decode()
    assert "region__code__exact=621202" in page or "region__exact=621202" in page
    assert "621224" not in re.sub(r"P-WD-8", "", page.split('id="changelist-filter"')[1])


def test_every_admin_form_labels_its_fields_in_chinese(personas, client):
    """配置 is read by the city's 管理员: no field of an add form is labelled in English (a field
    without its verbose_name shows Django's "Updated by", "User" …)."""
    client.force_login(personas["admin"])
    english = {}
    for model in admin.site._registry:
        response = client.get(f"/admin/{model._meta.app_label}/{model._meta.model_name}/add/")
        if response.status_code != 200:
            continue
        labels = re.findall(r"<label[^>]*>([^<]*)</label>", response.content.decode())
        found = [label for label in labels if re.search(r"[A-Za-z]{3,}", label.replace("Webhook", ""))]
        if found:
            english[model._meta.label] = found
    assert not english, english
