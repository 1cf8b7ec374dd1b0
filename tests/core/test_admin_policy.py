"""One rule for ledger records in the admin (scopes.can_admin_ledger), the same for every ledger:
view as staff, add with a writing role, change and delete within the ledger write scope."""

from __future__ import annotations

from diaodu.org import scopes
from diaodu.org.models import Role
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
