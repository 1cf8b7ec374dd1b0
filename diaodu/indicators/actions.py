"""The one write path for figures and targets.

Pages, imports, the API and the admin all call these functions; nothing else
saves observations, revisions or targets. Each function checks the user's
scope (``diaodu.org.scopes``), writes, and records the change.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db import transaction
from django.utils import timezone

from diaodu.audit.records import record_change
from diaodu.indicators.models import Indicator, Observation, Revision, RevisionStatus, Target, Vintage
from diaodu.org import scopes


CHUNK = 5000


class ConflictError(Exception):
    """The record changed since the user loaded it (optimistic concurrency)."""


class FigureInput(NamedTuple):
    """One figure to write. A NamedTuple rather than a dataclass: an import of a
    million rows holds a million of these, and a tuple is both smaller and
    several times faster to build."""

    region: str
    indicator: str
    year: int
    month: int
    value: float | None
    growth: float | None
    note: str = ""


@dataclass(frozen=True)
class TargetInput:
    region: str
    indicator: str
    year: int
    total: float | None
    growth: float | None
    source: str
    note: str = ""


@dataclass
class WriteSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    changes: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def _key(region: str, indicator_id: int, year: int, month: int) -> tuple:
    return (region, indicator_id, year, month)


def submit_figures(
    user,
    rows: Iterable[FigureInput],
    *,
    publish: bool = False,
    source: str = "web",
    reason: str = "",
    vintage: str = Vintage.FLASH,
    dry_run: bool = False,
    expected_versions: dict[tuple, int] | None = None,
) -> WriteSummary:
    """Enter (and optionally publish) figures; a changed figure gets a new revision.

    Idempotent: a row equal to the figure's latest revision (and, with
    ``publish``, already published) changes nothing. All rows are written in
    one transaction or none is. ``expected_versions`` maps (region, indicator,
    year, month) to the version the user edited; a mismatch raises
    ``ConflictError``.
    """
    rows = list(rows)
    if publish and not scopes.can_publish_directly(user):
        raise scopes.ScopeError("无权直接发布：需要“数据审核”角色。")
    for region in {r.region for r in rows}:
        scopes.check_enter_figure(user, region)

    indicators = {i.code: i.pk for i in Indicator.objects.only("id", "code")}
    summary = WriteSummary()
    touched: list[Observation] = []
    now = timezone.now()
    with transaction.atomic():
        # Chunks bound memory (a million-row file) while one transaction keeps
        # the write all-or-nothing.
        for start in range(0, len(rows), CHUNK):
            touched += _write_chunk(
                user, rows[start:start + CHUNK], indicators, summary, publish=publish, source=source,
                reason=reason, vintage=vintage, now=now, dry_run=dry_run, expected_versions=expected_versions,
            )
        if dry_run:
            transaction.set_rollback(True)
        elif touched:
            _record_batch(user, summary, touched, reason, source, publish)
    return summary


def _write_chunk(user, rows, indicators, summary, *, publish, source, reason, vintage, now, dry_run,
                 expected_versions) -> list[Observation]:
    existing = _existing_observations(rows, indicators)
    new_obs: list[Observation] = []
    new_obs_rows: list[FigureInput] = []
    changed_obs: list[Observation] = []
    new_revisions: list[Revision] = []
    status_only: list[tuple[Observation, int]] = []
    status = RevisionStatus.PUBLISHED if publish else RevisionStatus.ENTERED
    for row in rows:
        ind_id = indicators[row.indicator]
        key = _key(row.region, ind_id, row.year, row.month)
        obs = existing.get(key)
        if expected_versions and key in expected_versions and obs is not None:
            if obs.version != expected_versions[key]:
                raise ConflictError(f"{obs} 已被他人修改（版本 {obs.version}），请刷新后重试。")
        if obs is None:
            obs = Observation(
                region_id=row.region, indicator_id=ind_id, year=row.year, month=row.month,
                value=row.value, growth=row.growth, note=row.note, status=status, revision=1, version=1,
            )
            if publish:
                obs.published_value, obs.published_growth = row.value, row.growth
                obs.published_revision, obs.published_at = 1, now
            new_obs.append(obs)
            new_obs_rows.append(row)
            summary.created += 1
            continue
        same_content = _same(obs.value, row.value) and _same(obs.growth, row.growth) and obs.note == row.note
        if same_content and (not publish or obs.published_revision == obs.revision):
            summary.unchanged += 1
            continue
        before = {"value": obs.value, "growth": obs.growth, "note": obs.note, "status": obs.status,
                  "revision": obs.revision}
        if same_content:
            # Only the status moves: publish the latest revision as it stands.
            status_only.append((obs, obs.revision))
        else:
            obs.revision += 1
            obs.value, obs.growth, obs.note = row.value, row.growth, row.note
            new_revisions.append(_revision(obs, row, obs.revision, status, user, now, source, reason, vintage))
        obs.status = status
        obs.version += 1
        if publish:
            obs.published_value, obs.published_growth = obs.value, obs.growth
            obs.published_revision, obs.published_at = obs.revision, now
        changed_obs.append(obs)
        summary.updated += 1
        if len(summary.changes) < 10:
            summary.changes.append({"key": key, "before": before})
    if dry_run:
        return []
    if new_obs:
        Observation.objects.bulk_create(new_obs, batch_size=2000)
        for obs, row in zip(new_obs, new_obs_rows, strict=True):
            new_revisions.append(_revision(obs, row, 1, status, user, now, source, reason, vintage))
    if changed_obs:
        Observation.objects.bulk_update(
            changed_obs,
            ["value", "growth", "note", "status", "revision", "version", "published_value",
             "published_growth", "published_revision", "published_at"],
            batch_size=1000,
        )
    if new_revisions:
        Revision.objects.bulk_create(new_revisions, batch_size=2000)
    for obs, number in status_only:
        Revision.objects.filter(observation=obs, number=number).update(
            status=RevisionStatus.PUBLISHED, approved_by=user, approved_at=now, published_at=now
        )
    return [*new_obs, *changed_obs]


def _revision(obs, row, number, status, user, now, source, reason, vintage) -> Revision:
    published = status == RevisionStatus.PUBLISHED
    return Revision(
        observation=obs, number=number, value=row.value, growth=row.growth, note=row.note,
        vintage=vintage, status=status, reason=reason[:200], source=source,
        entered_by=user, entered_at=now,
        approved_by=user if published else None, approved_at=now if published else None,
        published_at=now if published else None,
    )


def _existing_observations(rows: list[FigureInput], indicators: dict[str, int]) -> dict[tuple, Observation]:
    if not rows:
        return {}
    years = {r.year for r in rows}
    ind_ids = {indicators[r.indicator] for r in rows}
    regions = {r.region for r in rows}
    qs = Observation.objects.filter(indicator_id__in=ind_ids, year__in=years)
    if len(regions) <= 500:
        qs = qs.filter(region_id__in=regions)
    wanted = {_key(r.region, indicators[r.indicator], r.year, r.month) for r in rows}
    out = {}
    for obs in qs.select_for_update().iterator(chunk_size=5000):
        key = _key(obs.region_id, obs.indicator_id, obs.year, obs.month)
        if key in wanted:
            out[key] = obs
    return out


def _record_batch(user, summary, touched, reason, source, publish) -> None:
    if len(touched) == 1:
        obs = touched[0]
        before = summary.changes[0]["before"] if summary.changes else None
        record_change(
            user, "create" if summary.created else "update", obs,
            before=before,
            after={"value": obs.value, "growth": obs.growth, "note": obs.note, "status": obs.status,
                   "revision": obs.revision},
            reason=reason, source=source,
        )
        return
    record_change(
        user, "import",
        object_type="indicators.observation", object_id="batch",
        object_repr=f"批量写入数据 {len(touched)} 条",
        before=None,
        after={**summary.as_dict(), "published": publish,
               "ids": [o.pk for o in touched][:2000]},
        reason=reason, source=source,
    )


def approve_revision(user, revision: Revision, reason: str = "", source: str = "web") -> Revision:
    """填报 → 审核, by an approver who did not enter it."""
    return _move(user, revision, RevisionStatus.ENTERED, RevisionStatus.APPROVED, reason, source)


def publish_revision(user, revision: Revision, reason: str = "", source: str = "web") -> Revision:
    """审核 → 发布: published views now read this revision."""
    return _move(user, revision, RevisionStatus.APPROVED, RevisionStatus.PUBLISHED, reason, source)


def reject_revision(user, revision: Revision, reason: str, source: str = "web") -> Revision:
    """填报/审核 → 退回, with the reason the clerk will read."""
    if not reason.strip():
        raise ValueError("退回须说明原因。")
    return _move(user, revision, None, RevisionStatus.REJECTED, reason, source)


def _move(user, revision, expected: str | None, new: str, reason: str, source: str) -> Revision:
    with transaction.atomic():
        revision = Revision.objects.select_for_update().select_related("observation").get(pk=revision.pk)
        obs = Observation.objects.select_for_update().get(pk=revision.observation_id)
        scopes.check_approve_figure(user, obs.region_id, revision.entered_by_id)
        if revision.number != obs.revision:
            raise ConflictError("该修订已被更新的版本取代，请处理最新版本。")
        allowed = [expected] if expected else [RevisionStatus.ENTERED, RevisionStatus.APPROVED]
        if revision.status not in allowed:
            raise ConflictError(f"当前状态为“{revision.get_status_display()}”，不能执行此操作。")
        before = {"status": revision.status}
        now = timezone.now()
        revision.status = new
        if new == RevisionStatus.APPROVED:
            revision.approved_by, revision.approved_at = user, now
        if new == RevisionStatus.PUBLISHED:
            revision.published_at = now
            obs.published_value, obs.published_growth = revision.value, revision.growth
            obs.published_revision, obs.published_at = revision.number, now
        revision.save()
        obs.status = new
        obs.version += 1
        obs.save()
        action = {"approved": "approve", "published": "publish", "rejected": "reject"}[new]
        record_change(user, action, obs, before=before, after={"status": new, "revision": revision.number},
                      reason=reason, source=source)
    return revision


def set_targets(user, rows: Iterable[TargetInput], *, source: str = "web", reason: str = "",
                dry_run: bool = False) -> WriteSummary:
    """Create or change annual targets; each change leaves a change record."""
    rows = list(rows)
    for region in {r.region for r in rows}:
        scopes.check_write_target(user, region)
    indicators = {i.code: i.pk for i in Indicator.objects.only("id", "code")}
    summary = WriteSummary()
    with transaction.atomic():
        existing = {
            (t.region_id, t.indicator_id, t.year): t
            for t in Target.objects.select_for_update().filter(
                year__in={r.year for r in rows}, indicator_id__in={indicators[r.indicator] for r in rows}
            )
        }
        for row in rows:
            key = (row.region, indicators[row.indicator], row.year)
            target = existing.get(key)
            after = {"total": row.total, "growth": row.growth, "source": row.source, "note": row.note}
            if target is None:
                summary.created += 1
                if dry_run:
                    continue
                target = Target.objects.create(
                    region_id=row.region, indicator_id=key[1], year=row.year, total=row.total,
                    growth=row.growth, source=row.source, note=row.note, updated_by=user,
                )
                record_change(user, "create", target, after=after, reason=reason, source=source)
                continue
            before = {"total": target.total, "growth": target.growth, "source": target.source, "note": target.note}
            if (_same(target.total, row.total) and _same(target.growth, row.growth)
                    and target.source == row.source and target.note == row.note):
                summary.unchanged += 1
                continue
            summary.updated += 1
            if dry_run:
                continue
            target.total, target.growth, target.source, target.note = row.total, row.growth, row.source, row.note
            target.version += 1
            target.updated_by = user
            target.save()
            record_change(user, "update", target, before=before, after=after, reason=reason, source=source)
        if dry_run:
            transaction.set_rollback(True)
    return summary
