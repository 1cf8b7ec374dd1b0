"""The permission matrix: every role × every web page and API operation × objects
of another unit → no read of another unit's unpublished figures, no read of
another unit's tasks through the API, and no write.

Web pages come from the URL resolver (sample ids filled per role with objects
the role does not own); API operations from the live OpenAPI schema. Reads
search every response body for the markers of unpublished figures the role may
not see; writes must leave the change log and every domain table unchanged.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from diaodu.audit.models import ChangeRecord
from diaodu.enterprises.models import Enterprise
from diaodu.fiscal.models import BudgetExecution
from diaodu.indicators.models import Observation, Revision
from diaodu.industry.models import IndustryChain, Park
from diaodu.investment.models import Deal
from diaodu.org.models import Department
from diaodu.projects.models import Project
from diaodu.supervision.models import Meeting, State, Task, TaskUnit
from tests.api.conftest import MARKERS, add_markers, demo_user, token_for
from tests.api.counts import record_count
from tests.helpers import demo_database, table_checksums

pytestmark = pytest.mark.django_db

ROLES = ["wudu", "kangxian", "fgw", "tongji", "leader", "admin", "shenji", None]  # None: anonymous
UNIT = {"wudu": ("region", "621202"), "kangxian": ("region", "621224"), "fgw": ("department", "fgw"),
        "tongji": ("department", "tjj"), "admin": ("department", "zfb")}
# Unpublished figures of these counties must not be readable by the role (by DOMAIN.md §7:
# departments and approvers write or check every region; leaders and admins read all).
HIDDEN = {"wudu": ["621224"], "kangxian": ["621202"], "fgw": [], "tongji": [], "leader": [], "admin": [],
          # shenji, the 审计员, reads audit records, not other units' figures in the making
          "shenji": ["621224", "621202"], None: ["621224", "621202"]}
# Roles whose unit's tasks are theirs alone: another unit's task is not readable through the API.
TASK_SCOPED = {"wudu", "kangxian", "fgw", "tongji"}
SKIP_PREFIXES = ("admin/", "static/", "api/")  # Django's admin is its own matrix; the API is listed from the schema
NO_WRITE_PREFIXES = ("accounts/",)  # signing in and out, password change: not domain writes
PUBLIC = {"accounts/login/", "accounts/login/code/", "admin/login/"}
# Tables that reading or signing in may touch (sessions, login records, caches, last-used stamps).
VOLATILE = ("session", "login", "computedresult", "api_apitoken", "accounts_", "chainanchor")


def web_routes() -> list[tuple[str, str]]:
    """(route pattern, name) of every URL the project serves."""
    out = []

    def walk(patterns, prefix="", ns=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, prefix + str(p.pattern), ns + (f"{p.namespace}:" if p.namespace else ""))
            elif isinstance(p, URLPattern):
                yield prefix + str(p.pattern), ns + (p.name or "")

    for route, name in walk(get_resolver().url_patterns):
        if not route.startswith(SKIP_PREFIXES) and not route.startswith("^"):
            out.append((route, name))
    return out


def owned_by_other(obj, role: str | None) -> bool:
    """Whether a ledger record belongs to a unit other than the role's (every record, for
    roles without a unit of their own that writes)."""
    if role not in UNIT or role == "admin":
        return role != "admin"
    kind, code = UNIT[role]
    if kind == "region":
        return obj.region_id != code
    return obj.department_id is not None and obj.department.code != code


def first_foreign(qs, role):
    for obj in qs.select_related("department").order_by("pk"):
        if owned_by_other(obj, role):
            return obj
    return None


def foreign_task(role):
    qs = Task.objects.filter(state__in=[State.SIGNED, State.HANDLING]).order_by("pk")
    if role not in UNIT or role == "admin":
        return qs.first() if role != "admin" else None
    kind, code = UNIT[role]
    mine = TaskUnit.objects.filter(**({"region_id": code} if kind == "region" else {"department__code": code}))
    return qs.exclude(pk__in=mine.values("task_id")).first()


def foreign_figure(role, markers):
    """A marker figure the role may not write: another county's (any, for roles that enter none)."""
    if role in ("fgw", "tongji"):
        return None  # departments enter every region's figures (DOMAIN.md §7)
    region = {"wudu": "621224", "kangxian": "621202"}.get(role, "621224")
    return Observation.objects.get(pk=markers[region][0])


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with demo_database(django_db_blocker):
        with django_db_blocker.unblock():
            markers = add_markers()
            tokens = {role: token_for(role) for role in ROLES if role}
            foreign = {}
            for role in ROLES:
                figure = foreign_figure(role, markers)
                foreign[role] = {
                    "figure": figure,
                    "revision": Revision.objects.filter(observation=figure).order_by("-number").first()
                    if figure else None,
                    "projects": first_foreign(Project.objects.all(), role),
                    "deals": first_foreign(Deal.objects.all(), role),
                    "enterprises": first_foreign(Enterprise.objects.all(), role),
                    "budget-lines": first_foreign(BudgetExecution.objects.all(), role),
                    "chains": first_foreign(IndustryChain.objects.all(), role),
                    "parks": first_foreign(Park.objects.all(), role),
                    "task": foreign_task(role),
                }
            yield {"markers": markers, "tokens": tokens, "foreign": foreign,
                   "meeting": Meeting.objects.values_list("pk", flat=True).first()}


def client_for(role, world) -> Client:
    client = Client()
    if role:
        client.force_login(demo_user(role))
    return client


def api_client_for(role, world) -> Client:
    if role is None:
        return Client()
    return Client(HTTP_AUTHORIZATION=f"Token {world['tokens'][role]}")


def fill(route: str, name: str, role, world) -> str | None:
    """The route with sample arguments: objects of another unit where the route takes one."""
    f = world["foreign"][role]
    any_task = f["task"] or Task.objects.order_by("pk").first()
    any_figure = f["figure"] or Observation.objects.get(pk=world["markers"]["621224"][0])
    any_revision = f["revision"] or Revision.objects.filter(observation=any_figure).order_by("-number").first()
    pk = {
        "indicators:figure": any_figure.pk, "indicators:figure_edit": any_figure.pk,
        "indicators:revision_action": any_revision.pk,
        "projects:detail": (f["projects"] or Project.objects.first()).pk,
        "projects:edit": (f["projects"] or Project.objects.first()).pk,
        "projects:progress": (f["projects"] or Project.objects.first()).pk,
        "investment:detail": (f["deals"] or Deal.objects.first()).pk,
        "investment:edit": (f["deals"] or Deal.objects.first()).pk,
        "investment:arrival": (f["deals"] or Deal.objects.first()).pk,
        "enterprises:detail": (f["enterprises"] or Enterprise.objects.first()).pk,
        "enterprises:edit": (f["enterprises"] or Enterprise.objects.first()).pk,
        "supervision:meeting": world["meeting"], "supervision:task": any_task.pk,
        "supervision:transition": any_task.pk, "supervision:feedback": any_task.pk,
        "supervision:task_accountability": any_task.pk, "supervision:attachment": 1,
    }.get(name)
    values = {"pk": pk, "code": (f["chains"] or IndustryChain.objects.first()).code if "chain" in name else "gdp",
              "action": "approve", "name": "sign" if name == "supervision:transition" else "longnan",
              "kind": "economy", "fmt": "json"}

    def sub(match):
        key = match.group(2)
        value = values.get(key)
        return "" if value is None else str(value)

    path = re.sub(r"<(?:(\w+):)?(\w+)>", sub, route)
    return "/" + path


OBJECT_OF = {"indicators:figure": "figure", "indicators:figure_edit": "figure",
             "indicators:revision_action": "revision", "projects:": "projects", "investment:": "deals",
             "enterprises:": "enterprises", "industry:chain": "chains", "supervision:transition": "task",
             "supervision:feedback": "task", "supervision:task_accountability": "task", "supervision:task": "task"}


def writable_sample(route: str, name: str, role, world) -> bool:
    """Whether a POST to the route would touch an object of the role's own unit (or create
    one the role may create): such cases are not part of the matrix."""
    if "<" not in route:
        return role == "admin"  # create forms: the payload names another unit; admin may create anything
    for prefix, key in OBJECT_OF.items():
        if name == prefix or (prefix.endswith(":") and name.startswith(prefix)):
            return world["foreign"][role][key] is None
    return False


def leaked(body: bytes, role) -> list[str]:
    """The markers of hidden figures in a response, as numbers of their own: not the same six digits
    inside a longer number or a time's microseconds (an updated_at of …:02.827364 matched once)."""
    text = body.decode("utf-8", errors="replace")
    return [t for region in HIDDEN[role] for t in MARKERS[region]["texts"]
            if re.search(rf"(?<![\d.]){re.escape(t)}(?!\d)", text)]


def web_payload(role, world) -> dict:
    f = world["foreign"][role]
    region = {"wudu": "621224", "kangxian": "621202"}.get(role, "621224")
    department = "" if role in ("wudu", "kangxian") else str(Department.objects.get(code="czj").pk)
    return {"region": region, "region_code": region, "department": department, "value": "123.4", "growth": "5.5",
            "note": "矩阵测试", "reason": "矩阵测试", "version": (f["projects"].version if f["projects"] else 1),
            "text": "矩阵测试反馈", "name": "矩阵测试", "code": "MATRIX-0001", "amount": "1", "year": "2021",
            "month": "10", "completed_month": "1", "stage": "signed", "status": "stopped", "final": "on",
            "title": "矩阵测试事项", "content": "矩阵测试", "kind": "warn", "date": "2021-11-01"}


def changes() -> int:
    return ChangeRecord.objects.count()


def domain_checksums() -> dict[str, str]:
    return {t: c for t, c in table_checksums().items() if not any(v in t for v in VOLATILE)}


@pytest.mark.parametrize("role", ROLES, ids=[r or "anonymous" for r in ROLES])
def test_web_pages(world, role):
    client = client_for(role, world)
    cases = 0
    problems = []
    routes = web_routes()
    before = domain_checksums()
    for route, name in routes:
        path = fill(route, name, role, world)
        if path is None:
            continue
        # read
        response = client.get(path)
        cases += 1
        body = b"".join(response.streaming_content) if response.streaming else response.content
        if response.status_code >= 500:
            problems.append(f"GET {path} → {response.status_code}")
        if leaked(body, role) and not (role == "shenji" and name.startswith("audit:")):
            # 审计员 read the change log, which records every change with its values (by design)
            problems.append(f"GET {path} shows unpublished data of another unit: {leaked(body, role)}")
        if role is None and route not in PUBLIC and response.status_code == 200:
            problems.append(f"GET {path} readable without signing in")
        # write (objects of another unit; admin owns every ledger: only figures are foreign to it)
        if route.startswith(NO_WRITE_PREFIXES) or writable_sample(route, name, role, world):
            continue
        count = changes()
        response = client.post(path, web_payload(role, world))
        cases += 1
        if response.status_code >= 500:
            problems.append(f"POST {path} → {response.status_code}")
        if changes() != count:
            problems.append(f"POST {path} wrote: {ChangeRecord.objects.order_by('-pk').first()}")
    assert domain_checksums() == before, "web writes changed a domain table"
    record_count(f"permission matrix web cases ({role or 'anonymous'})", cases)
    assert not problems, "\n".join(problems)


def api_operations(client) -> list[tuple[str, str]]:
    schema = client.get("/api/schema").json()
    return [(path, method.upper()) for path, item in schema["paths"].items() for method in item
            if method in ("get", "post", "patch", "put", "delete")]


def api_path(path: str, role, world) -> str:
    f = world["foreign"][role]
    match = re.match(r"^/api/ledgers/([\w-]+)/\{id\}$", path)
    if match:
        obj = f[match.group(1)] or {"projects": Project, "deals": Deal, "enterprises": Enterprise,
                                    "budget-lines": BudgetExecution, "chains": IndustryChain,
                                    "parks": Park}[match.group(1)].objects.first()
        return path.replace("{id}", str(obj.pk))
    if path.startswith("/api/tasks/{id}"):
        task = f["task"] or Task.objects.order_by("pk").first()
        return path.replace("{id}", str(task.pk))
    if path.startswith("/api/figures/{id}"):
        figure = f["figure"] or Observation.objects.get(pk=world["markers"]["621224"][0])
        return path.replace("{id}", str(figure.pk))
    return path


def api_body(path: str, method: str, role, world) -> dict:
    f = world["foreign"][role]
    region = {"wudu": "621224", "kangxian": "621202"}.get(role, "621224")
    if path == "/api/figures/review":  # another unit's figure, entered by its clerk
        return {"ids": [world["markers"][region][0]], "action": "publish"}
    if path == "/api/figures":
        return {"figures": [{"region": region, "indicator": "gdp", "period": "2021-09", "value": 1.5,
                             "growth": 1.0}], "reason": "矩阵测试", "publish": True}
    if path.endswith("/feedback"):
        return {"text": "矩阵测试反馈", "quantity_done": 1, "final": False}
    if path.endswith("/transition"):
        return {"name": "report", "reason": "矩阵测试"}
    match = re.match(r"^/api/ledgers/([\w-]+)", path)
    if match:
        obj = f[match.group(1)]
        if method == "PATCH":
            return {"version": obj.version if obj else 1, "responsible": "矩阵测试"}
        other = {"region": region} if role in ("wudu", "kangxian") else {"department": "czj", "region": None}
        return {"code": "matrix-1", "name": "矩阵测试", "year": 2021, "month": 10, "item": "revenue_general",
                "chief": "矩阵", "plan_status": "drafting", "counterparty": "矩阵", "credit_code": "91621200MA00000000",
                "industry_code": "C1311", "location": "矩阵", "responsible": "矩阵测试", **other}
    return {}


@pytest.mark.parametrize("role", ROLES, ids=[r or "anonymous" for r in ROLES])
def test_api_operations(world, role):
    client = api_client_for(role, world)
    operations = api_operations(api_client_for("leader", world))  # the schema needs a sign-in
    assert len(operations) >= 25
    cases = 0
    problems = []
    before = domain_checksums()
    params = "?period=2021-09&level=county"
    for path, method in operations:
        url = api_path(path, role, world)
        if method == "GET":
            response = client.get(url + (params if "/results/" in url else ""))
            cases += 1
            if response.status_code >= 500:
                problems.append(f"GET {url} → {response.status_code}")
            if leaked(response.content, role):
                problems.append(f"GET {url} shows unpublished data of another unit: {leaked(response.content, role)}")
            if role is None and response.status_code != 401:
                problems.append(f"GET {url} without a token → {response.status_code}, not 401")
            if role in TASK_SCOPED and path == "/api/tasks/{id}" and response.status_code != 404:
                problems.append(f"GET {url}: another unit's task readable ({response.status_code})")
            if path == "/api/figures/{id}" and HIDDEN[role] and role is not None:
                data = response.json()
                if response.status_code == 200 and data.get("latest") is not None:
                    problems.append(f"GET {url}: latest (unpublished) revision shown")
            continue
        if role == "admin" and path != "/api/figures":
            continue  # 管理员 own every ledger; only figures (no 数据填报 role) are foreign to them
        if role in ("fgw", "tongji") and path == "/api/figures":
            continue  # departments enter every region's figures
        if role == "tongji" and path == "/api/figures/review":
            continue  # the city's approver reviews every region's figures
        # A ledger the role has no foreign record of (departments co-own every project): nothing to try.
        match = re.match(r"^/api/ledgers/([\w-]+)", path)
        if match and world["foreign"][role][match.group(1)] is None:
            continue
        if ("/tasks/" in path) and world["foreign"][role]["task"] is None:
            continue
        count = changes()
        response = client.generic(method, url, data=__import__("json").dumps(api_body(path, method, role, world)),
                                  content_type="application/json")
        cases += 1
        expected = 401 if role is None else (403, 404)
        if (response.status_code != expected) if role is None else (response.status_code not in expected):
            # A create that fails validation (400) also writes nothing; anything else is a finding.
            if not (response.status_code == 400 and method == "POST" and "/ledgers/" in path):
                problems.append(f"{method} {url} → {response.status_code} {response.content[:200]!r}")
        if response.status_code >= 400 and "error" not in response.json():
            problems.append(f"{method} {url}: not the error shape")
        if changes() != count:
            problems.append(f"{method} {url} wrote: {ChangeRecord.objects.order_by('-pk').first()}")
    assert domain_checksums() == before, "API writes changed a domain table"
    record_count(f"permission matrix API cases ({role or 'anonymous'})", cases)
    assert not problems, "\n".join(problems)
