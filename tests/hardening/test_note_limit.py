"""Finding 12: 备注 silently cut to 200 characters by imports while the web and
the API refuse; now every path refuses with the same message."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from diaodu.api.models import ApiToken
from diaodu.core.limits import NOTE_MAX, too_long
from diaodu.indicators import actions
from diaodu.indicators.models import Observation
from diaodu.ingest.problems import IngestError
from diaodu.ingest.service import import_file
from tests.ingest import corpus

pytestmark = pytest.mark.django_db
LONG = "备" * (NOTE_MAX + 1)
MESSAGE = too_long("备注", NOTE_MAX)


def test_the_import_refuses_a_long_note(personas, tmp_path):
    path = corpus.write_csv(tmp_path / "long.csv", [corpus.HEADER, [*corpus.GOOD_ROW[:6], LONG]])
    with pytest.raises(IngestError) as caught:
        import_file(path, personas["wudu"])
    assert MESSAGE in str(caught.value)
    assert not Observation.objects.exists()


def test_the_api_and_the_web_say_the_same(personas):
    _, key = ApiToken.issue(personas["wudu"])
    body = {"figures": [{"region": "621202", "indicator": "fai", "period": "2021-09", "value": 1, "note": LONG}]}
    response = Client(HTTP_AUTHORIZATION=f"Token {key}").post("/api/figures", json.dumps(body),
                                                              content_type="application/json")
    assert response.status_code == 400 and MESSAGE in response.content.decode()
    actions.submit_figures(personas["wudu"], [actions.FigureInput("621202", "fai", 2021, 9, 1.0, 1.0, "")])
    obs = Observation.objects.get()
    client = Client()
    client.force_login(personas["wudu"])
    response = client.post(f"/data/figure/{obs.pk}/edit/", {"value": 2, "growth": 1, "note": LONG, "reason": "改",
                                                       "version": obs.version}, follow=True)
    assert MESSAGE in response.content.decode()
    assert Observation.objects.get().value == 1.0


def test_a_ledger_import_refuses_text_over_its_column(personas, tmp_path):
    from diaodu.ingest.ledgers import Field, LedgerImporter
    from diaodu.projects.models import Project

    importer = LedgerImporter.__new__(LedgerImporter)  # convert() needs only the model
    importer.model = Project
    limit = Project._meta.get_field("name").max_length
    with pytest.raises(ValueError, match=f"项目名称最多 {limit} 个字符"):
        importer.convert(Field("name", "项目名称", required=True), "项" * (limit + 1))
