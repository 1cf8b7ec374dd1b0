"""The API against a real server (gunicorn on loopback, its own demo database):

- schemathesis generates requests for every operation of the live OpenAPI schema:
  0 server errors, 0 responses that break the schema;
- the lost update: two concurrent edits of one figure and of one ledger record from
  the same version → one succeeds, the other gets 409, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request

import hypothesis
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests.api.counts import record_count
from tests.api.live import demo_server

# The server's database starts as a copy of this worker's demo (tests.api.live.copy_demo): the
# test database must exist, which pytest-django sees to for modules that use it.
pytestmark = pytest.mark.django_db
MAX_EXAMPLES = 20


@pytest.fixture(scope="module")
def server(django_db_setup, django_db_blocker):
    with demo_server(("admin", "wudu", "kangxian"), django_db_blocker=django_db_blocker) as running:
        yield running


def call(base, token, method, path, body=None) -> tuple[int, dict]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(f"{base}{path}", data=data, method=method,
                                     headers={"Authorization": f"Token {token}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def test_schemathesis_live_schema(server):
    base, tokens, _ = server
    headers = {"Authorization": f"Token {tokens['wudu']}"}
    schema = schemathesis.openapi.from_url(f"{base}/api/schema", headers=headers)
    cases, failures, operations, statuses = 0, [], 0, {}
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @hypothesis.settings(max_examples=MAX_EXAMPLES, deadline=None, database=None, derandomize=True,
                             phases=[Phase.explicit, Phase.generate],
                             suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def run(case):
            nonlocal cases
            cases += 1
            response = case.call(base_url=base, headers=headers, timeout=30)
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
            try:
                case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])
            except (Exception, BaseExceptionGroup) as exc:  # collect, keep going: one report for every operation
                failures.append(f"{case.method} {case.formatted_path}: {str(exc)[:500]}")

        run()
    record_count("schemathesis operations", operations)
    record_count("schemathesis generated cases", cases)
    print("schemathesis responses by status:", dict(sorted(statuses.items())))
    assert statuses.get(200, 0) > cases // 4  # most cases reached the endpoint's logic
    assert operations >= 25
    assert not failures, f"{len(failures)} failures:\n" + "\n".join(failures[:20])


def race(edit_a, edit_b) -> list[tuple[int, dict]]:
    """Run two edits at the same moment; their (status, body)."""
    barrier = threading.Barrier(2)
    results: list = [None, None]

    def worker(i, edit):
        barrier.wait()
        results[i] = edit()

    threads = [threading.Thread(target=worker, args=(i, e)) for i, e in enumerate((edit_a, edit_b))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


def test_lost_update_figure(server):
    base, tokens, _ = server
    token = tokens["wudu"]
    status, page = call(base, token, "GET", "/api/figures?region=621202&indicator=gdp&period=2021-09")
    assert status == 200 and page["results"], page
    figure = page["results"][0]
    version = figure["latest"]["version"]

    def edit(value):
        return lambda: call(base, token, "POST", "/api/figures", {
            "figures": [{"region": "621202", "indicator": "gdp", "period": "2021-09", "value": value,
                         "growth": 6.0, "version": version}], "reason": "并发测试"})

    results = race(edit(figure["latest"]["value"] + 0.1), edit(figure["latest"]["value"] + 0.2))  # plausible both
    statuses = sorted(r[0] for r in results)
    assert statuses == [200, 409], results
    conflict = next(r[1] for r in results if r[0] == 409)
    assert conflict["error"]["code"] == "conflict" and "已被他人修改" in conflict["error"]["message"]
    winner = next(r for r in results if r[0] == 200)
    assert winner[1]["updated"] == 1
    status, detail = call(base, token, "GET", f"/api/figures/{figure['id']}")
    assert detail["latest"]["version"] == version + 1
    assert round(detail["latest"]["value"] - figure["latest"]["value"], 6) in (0.1, 0.2)
    record_count("lost-update races (figure)", 1)


def test_lost_update_ledger(server):
    base, tokens, _ = server
    token = tokens["wudu"]
    status, page = call(base, token, "GET", "/api/ledgers/projects?region=621202&limit=1")
    project = page["results"][0]

    def edit(note):
        return lambda: call(base, token, "PATCH", f"/api/ledgers/projects/{project['id']}",
                            {"note": note, "version": project["version"], "reason": "并发测试"})

    results = race(edit("甲的修改"), edit("乙的修改"))
    assert sorted(r[0] for r in results) == [200, 409], results
    status, after = call(base, token, "GET", f"/api/ledgers/projects/{project['id']}")
    assert after["version"] == project["version"] + 1
    assert after["note"] == next(r[1]["note"] for r in results if r[0] == 200)  # the winner's, not overwritten
    # The loser retries from the fresh version and succeeds: nothing silently lost.
    status, _ = call(base, token, "PATCH", f"/api/ledgers/projects/{project['id']}",
                     {"note": "乙的修改", "version": after["version"]})
    assert status == 200
    record_count("lost-update races (ledger)", 1)


def test_other_unit_cannot_edit_over_the_api(server):
    base, tokens, _ = server
    status, page = call(base, tokens["kangxian"], "GET", "/api/ledgers/projects?region=621202&limit=1")
    project = page["results"][0]
    status, body = call(base, tokens["kangxian"], "PATCH", f"/api/ledgers/projects/{project['id']}",
                        {"note": "越权", "version": project["version"]})
    assert status == 403 and body["error"]["code"] == "forbidden"
