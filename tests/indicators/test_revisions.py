"""Every change to an observation leaves a revision (who, when, old, new, why)
and a change record; the audit chain verifies."""

from __future__ import annotations

import pytest

from diaodu.audit.models import AppendOnlyError, ChangeRecord
from diaodu.audit.records import verify_chain
from diaodu.indicators import actions
from diaodu.indicators.models import Observation, RevisionStatus
from diaodu.org.scopes import ScopeError


def row(value, growth=5.0, note=""):
    return actions.FigureInput("621202", "fai", 2021, 9, value, growth, note)


def test_a_correction_is_a_new_revision_and_old_ones_stay(personas):
    clerk, approver = personas["wudu"], personas["tongji"]
    actions.submit_figures(clerk, [row(40.0)], reason="9月快报")
    obs = Observation.objects.get()
    actions.approve_revision(approver, obs.revisions.get(number=1))
    actions.publish_revision(approver, obs.revisions.get(number=1))
    actions.submit_figures(clerk, [row(41.5, 6.0)], reason="核实后更正")
    obs.refresh_from_db()
    first, second = obs.revisions.order_by("number")
    assert (first.value, first.status, first.approved_by) == (40.0, RevisionStatus.PUBLISHED, approver)
    assert (second.value, second.growth, second.reason, second.entered_by) == (41.5, 6.0, "核实后更正", clerk)
    assert second.entered_at >= first.entered_at
    # Published views keep the published revision until the correction is published.
    assert (obs.published_value, obs.published_revision, obs.value, obs.revision) == (40.0, 1, 41.5, 2)
    records = ChangeRecord.objects.filter(object_type="indicators.observation").order_by("id")
    update = records.filter(action="update").get()
    assert update.before["value"] == 40.0 and update.after["value"] == 41.5
    assert update.reason == "核实后更正" and update.username == "wudu"
    assert [r.action for r in records] == ["create", "approve", "publish", "update"]


def test_the_same_figure_twice_changes_nothing(personas):
    clerk = personas["wudu"]
    first = actions.submit_figures(clerk, [row(40.0)])
    again = actions.submit_figures(clerk, [row(40.0)])
    assert (first.created, again.created, again.updated, again.unchanged) == (1, 0, 0, 1)
    assert Observation.objects.get().revisions.count() == 1


def test_stale_edit_gets_a_conflict(personas):
    clerk = personas["wudu"]
    actions.submit_figures(clerk, [row(40.0)])
    obs = Observation.objects.get()
    key = ("621202", obs.indicator_id, 2021, 9)
    actions.submit_figures(clerk, [row(41.0)], expected_versions={key: obs.version})
    with pytest.raises(actions.ConflictError):
        actions.submit_figures(clerk, [row(42.0)], expected_versions={key: obs.version})
    obs.refresh_from_db()
    assert obs.value == 41.0


def test_change_records_are_append_only_and_chained(personas):
    clerk = personas["wudu"]
    actions.submit_figures(clerk, [row(40.0)])
    actions.submit_figures(clerk, [row(41.0)])
    record = ChangeRecord.objects.first()
    with pytest.raises(AppendOnlyError):
        record.save()
    with pytest.raises(AppendOnlyError):
        record.delete()
    assert verify_chain() == []
    with pytest.raises(AppendOnlyError):
        ChangeRecord.objects.filter(pk=record.pk).update(reason="篡改")
    from django.db import connection

    from diaodu.audit import triggers

    with triggers.lifted(connection), connection.cursor() as cursor:  # a DBA's raw edit behind the app's back
        cursor.execute("UPDATE audit_changerecord SET reason = %s WHERE id = %s", ["篡改", record.pk])
    assert verify_chain() == [record.pk]


def test_targets_are_recorded(personas):
    approver = personas["tongji"]
    target = actions.TargetInput("621202", "gdp", 2021, 160.0, 7.0, "city")
    actions.set_targets(approver, [target], reason="市定目标")
    actions.set_targets(approver, [actions.TargetInput("621202", "gdp", 2021, 165.0, 7.0, "city")], reason="调整")
    records = ChangeRecord.objects.filter(object_type="indicators.target").order_by("id")
    assert [r.action for r in records] == ["create", "update"]
    assert records[1].before["total"] == 160.0 and records[1].after["total"] == 165.0
    with pytest.raises(ScopeError):
        actions.set_targets(personas["wudu"], [target])
    with pytest.raises(ValueError, match="未知的指标：nonesuch"):
        actions.set_targets(approver, [actions.TargetInput("621202", "nonesuch", 2021, 1.0, 7.0, "city")])
