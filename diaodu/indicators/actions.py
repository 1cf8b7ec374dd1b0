"""The one write path for figures and targets.

Pages, imports, the API and the admin all call these functions; nothing else
saves observations, revisions or targets. Each function checks the user's
scope (``diaodu.org.scopes``), writes, and records the change.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from django.conf import settings
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from diaodu.audit.records import record_change
from diaodu.indicators import validation
from diaodu.indicators.models import (
    Indicator,
    Observation,
    PeriodRelease,
    Revision,
    RevisionStatus,
    Target,
    TargetResponsibility,
    Vintage,
)
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


@dataclass(frozen=True)
class ResponsibilityInput:
    """One 目标责任书: departments by code (see ``diaodu.indicators.responsibility.department_named``)."""

    region: str
    indicator: str
    year: int
    leader: str
    leader_post: str
    lead_department: str
    co_departments: tuple[str, ...] = ()
    document_number: str = ""
    document_date: datetime.date | None = None
    note: str = ""


@dataclass
class WriteSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    changes: list[dict] = field(default_factory=list)
    warnings: list[dict] = field(default_factory=list)  # confirmed validation warnings

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
    official_release: bool = False,
    accept_warnings: bool = False,
    violations: list[dict] | None = None,
    distinct: bool = False,
) -> WriteSummary:
    """Enter (and optionally publish) figures; a changed figure gets a new revision.

    Idempotent: a row equal to the figure's latest revision (and, with
    ``publish``, already published) changes nothing. All rows are written in
    one transaction or none is. ``expected_versions`` maps (region, indicator,
    year, month) to the version the user edited; a mismatch raises
    ``ConflictError``.

    Every row is checked against the active validation rules (``diaodu.indicators.validation``):
    a blocking violation raises ``RuleViolations`` and nothing is written; so do warnings unless
    ``accept_warnings``, and then the confirmed warnings are recorded with the figures. A caller
    that has already checked the rows (an import, to word row numbers) passes ``violations``;
    one that has refused two rows of the same figure (an import) says so with ``distinct``.
    """
    rows = list(rows)
    if publish:
        check_direct_publish(user, official_release, reason)
    for region in {r.region for r in rows}:
        scopes.check_enter_figure(user, region)

    if expected_versions:  # a stale edit is a conflict, whatever the rules would say of it
        _check_versions(expected_versions)
    if violations is None:
        violations = validation.check_rows(rows)
    if any(v["severity"] == validation.BLOCKING for v in violations) or (violations and not accept_warnings):
        if expected_versions:  # another user's edit may have landed meanwhile: that is the news
            _check_versions(expected_versions)
        raise validation.RuleViolations(violations)
    if violations:  # confirmed warnings: kept with the figures (their revisions' reason, the change record)
        reason = f"{reason}（已确认{len(violations)}条合理性警告）".strip()
    indicators = {i.code: i.pk for i in Indicator.objects.only("id", "code")}
    summary = WriteSummary()
    summary.warnings = violations
    touched = _Touched()
    now = timezone.now()
    with transaction.atomic():
        # A first load of a year (the common large import) finds nothing to compare
        # against: one query says so instead of one lookup per chunk.
        any_existing = Observation.objects.filter(
            indicator_id__in={indicators[r.indicator] for r in rows}, year__in={r.year for r in rows}
        ).exists()
        # Chunks bound memory (a million-row file) while one transaction keeps
        # the write all-or-nothing.
        for start in range(0, len(rows), CHUNK):
            _write_chunk(
                user, rows[start:start + CHUNK], indicators, summary, touched, publish=publish, source=source,
                reason=reason, vintage=vintage, now=now, dry_run=dry_run, expected_versions=expected_versions,
                any_existing=any_existing,
            )
            # Later chunks may touch what this one made, unless no figure comes twice.
            any_existing = any_existing or (summary.created > 0 and not distinct)
        if dry_run:
            transaction.set_rollback(True)
        elif touched.count:
            _record_batch(user, summary, touched, reason, source, publish, official_release)
    return summary


FOUR_EYES = ("四眼原则：不能发布本人填报或修改的数据，须由另一名审核人员审核发布。"
             "统计局导入官方发布数据请用 diaodu import 文件 --official-release --reason 原因。")


def check_direct_publish(user, official_release: bool, reason: str) -> None:
    """Entering and publishing at once makes the enterer its own approver: refused
    under four eyes (DIAODU_FOUR_EYES, on by default), except an official release
    the 统计局 loads explicitly, with its reason recorded."""
    if not scopes.can_publish_directly(user):
        raise scopes.ScopeError("无权直接发布：需要“数据审核”角色。")
    if official_release:
        if not (reason or "").strip():
            raise scopes.ScopeError("导入官方发布数据须说明原因（--reason），原因记入变更记录。")
        return
    if settings.DIAODU_FOUR_EYES:
        raise scopes.ScopeError(FOUR_EYES)


def _check_versions(expected_versions: dict[tuple, int]) -> None:
    """ConflictError when a figure the user edited has changed since (checked again under lock
    when written)."""
    for (region, indicator_id, year, month), version in expected_versions.items():
        obs = Observation.objects.filter(region_id=region, indicator_id=indicator_id, year=year, month=month).first()
        if obs is not None and obs.version != version:
            raise ConflictError(f"{obs} 已被他人修改（版本 {obs.version}），请刷新后重试。")


RECORDED_IDS = 2000  # observation ids a batch change record lists


@dataclass
class _Touched:
    """The observations a write created or changed: how many, and the first
    ids (the change record lists those). A million-row import keeps no
    million model instances alive."""

    count: int = 0
    ids: list[int] = field(default_factory=list)

    def add(self, ids: list[int]) -> None:
        self.count += len(ids)
        room = RECORDED_IDS - len(self.ids)
        if room > 0:
            self.ids.extend(ids[:room])


class _Stored(NamedTuple):
    """What the write needs to know of an existing observation to decide
    whether a row changes it (read as plain values: cheaper than a model)."""

    id: int
    value: float | None
    growth: float | None
    note: str
    revision: int
    version: int
    published_revision: int | None


def _write_chunk(user, rows, indicators, summary, touched, *, publish, source, reason, vintage, now, dry_run,
                 expected_versions, any_existing=True) -> None:
    keys = [(row.region, indicators[row.indicator], row.year, row.month) for row in rows]
    existing = _existing_observations(keys) if any_existing else {}
    status = RevisionStatus.PUBLISHED if publish else RevisionStatus.ENTERED
    published_at = Observation._meta.get_field("published_at").get_db_prep_save(now, connection)
    new_values: list[tuple] = []  # rows of _OBSERVATION_COLUMNS
    changing: list[tuple[tuple, FigureInput]] = []
    changing_keys: set[tuple] = set()
    # Pass 1, on plain values: new figures, and unchanged ones (a re-import is all unchanged).
    for key, row in zip(keys, rows, strict=True):
        stored = existing.get(key)
        if stored is None:
            value, growth = _float(row.value), _float(row.growth)
            if publish:
                new_values.append((*key, value, growth, row.note, status, 1, 1, value, growth, 1, published_at))
            else:
                new_values.append((*key, value, growth, row.note, status, 1, 1, None, None, None, None))
            summary.created += 1
            continue
        if key in changing_keys:  # the same figure twice in one call: pass 2 applies them in order
            changing.append((key, row))
            continue
        if expected_versions and key in expected_versions and stored.version != expected_versions[key]:
            obs = Observation.objects.get(pk=stored.id)
            raise ConflictError(f"{obs} 已被他人修改（版本 {obs.version}），请刷新后重试。")
        same_content = _same(stored.value, row.value) and _same(stored.growth, row.growth) and stored.note == row.note
        if same_content and (not publish or stored.published_revision == stored.revision):
            summary.unchanged += 1
            continue
        changing.append((key, row))
        changing_keys.add(key)

    # Pass 2, on model instances: the figures this call changes.
    changed_obs: list[Observation] = []
    revision_rows: list[tuple] = []
    status_only: list[tuple[Observation, int]] = []
    models = Observation.objects.in_bulk([existing[key].id for key in changing_keys]) if changing else {}
    for key, row in changing:
        obs = models[existing[key].id]
        if expected_versions and key in expected_versions and obs.version != expected_versions[key]:
            raise ConflictError(f"{obs} 已被他人修改（版本 {obs.version}），请刷新后重试。")
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
            revision_rows.append((obs.pk, obs.revision, _float(row.value), _float(row.growth), row.note))
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
        return
    new_ids = _insert_observations(new_values)
    if changed_obs:
        Observation.objects.bulk_update(
            changed_obs,
            ["value", "growth", "note", "status", "revision", "version", "published_value",
             "published_growth", "published_revision", "published_at"],
            batch_size=1000,
        )
    _insert_revisions(revision_rows, status, user, now, source, reason, vintage)
    _insert_first_revisions(new_ids, new_values, status, user, now, source, reason, vintage)
    for obs, number in status_only:
        Revision.objects.filter(observation=obs, number=number).update(
            status=RevisionStatus.PUBLISHED, approved_by=user, approved_at=now, published_at=now
        )
    touched.add(new_ids + [obs.pk for obs in changed_obs])


# New observations and revisions are inserted as plain tuples with one
# executemany per table rather than through bulk_create: bulk_create builds a
# model instance per row and prepares every field of it, which cost ~25 µs a
# row, several times the INSERT itself (bench/import_bench.py). The values are
# the ones bulk_create would store: floats and strings as they are, datetimes
# through the field's own get_db_prep_save. Model fields not listed here get
# their default, so a new field with a default needs no change here.

_OBSERVATION_COLUMNS = ("region_id", "indicator_id", "year", "month", "value", "growth", "note", "status",
                        "revision", "version", "published_value", "published_growth", "published_revision",
                        "published_at")
_REVISION_COLUMNS = ("observation_id", "number", "value", "growth", "note", "vintage", "status", "reason",
                     "source", "entered_by_id", "entered_at", "approved_by_id", "approved_at", "published_at")


def _float(value) -> float | None:
    # What FloatField.get_prep_value does, skipped for the usual plain float.
    return value if value is None or type(value) is float else float(value)


def _insert_observations(values: list[tuple]) -> list[int]:
    """Insert new observations, given as rows of _OBSERVATION_COLUMNS; their ids, in order."""
    if not values:
        return []
    quote = connection.ops.quote_name
    table, id_column = quote(Observation._meta.db_table), quote("id")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MAX({id_column}) FROM {table}")
        (highest,) = cursor.fetchone()
        _insert(Observation, _OBSERVATION_COLUMNS, values)
        # The new ids, portably (RETURNING through executemany is not): every
        # row above the previous highest id is ours, numbered in insertion
        # order, unless a concurrent writer (PostgreSQL) slipped rows in.
        cursor.execute(f"SELECT MIN({id_column}), MAX({id_column}), COUNT(*) FROM {table} WHERE {id_column} > %s",
                       [highest if highest is not None else 0])
        low, high, count = cursor.fetchone()
        if count == len(values) and high - low + 1 == count:
            return list(range(low, high + 1))
        # Otherwise read them back by key: the keys tell ours apart.
        cursor.execute(
            f"SELECT {id_column}, {', '.join(quote(c) for c in _OBSERVATION_COLUMNS[:4])} FROM {table} "
            f"WHERE {id_column} > %s",
            [highest if highest is not None else 0],
        )
        found = {(region, indicator_id, year, month): pk
                 for pk, region, indicator_id, year, month in cursor.fetchall()}
    return [found[row[:4]] for row in values]


def _revision_tail(status, user, now, source, reason, vintage) -> tuple:
    """The values of _REVISION_COLUMNS after the note: the same for every row of a write."""
    published = status == RevisionStatus.PUBLISHED
    at = Revision._meta.get_field("entered_at").get_db_prep_save(now, connection)
    user_id = getattr(user, "pk", None)
    return (vintage, status, reason[:200], source, user_id, at,
            user_id if published else None, at if published else None, at if published else None)


def _insert_revisions(rows: list[tuple], status, user, now, source, reason, vintage) -> None:
    """Insert revisions given as (observation id, number, value, growth, note)."""
    if not rows:
        return
    tail = _revision_tail(status, user, now, source, reason, vintage)
    _insert(Revision, _REVISION_COLUMNS, [(*row, *tail) for row in rows])


def _insert_first_revisions(ids: list[int], observations: list[tuple], status, user, now, source, reason,
                            vintage) -> None:
    """Revision 1 of each observation just inserted. Its value, growth and note
    are the observation's own, so when the new ids form one unbroken range
    (the usual case) the database copies them itself, INSERT ... SELECT,
    without a round of Python tuples; otherwise row by row."""
    if not ids:
        return
    low, high = min(ids), max(ids)
    if high - low + 1 != len(ids):  # other rows in between: not only ours
        # value, growth and note are columns 4-6 of an observation row
        _insert_revisions([(pk, 1, *row[4:7]) for pk, row in zip(ids, observations, strict=True)], status, user,
                          now, source, reason, vintage)
        return
    tail = _revision_tail(status, user, now, source, reason, vintage)
    columns, defaults = _with_defaults(Revision, _REVISION_COLUMNS)
    quote = connection.ops.quote_name
    placeholders = ", ".join(["%s"] * (len(tail) + len(defaults)))
    sql = (f"INSERT INTO {quote(Revision._meta.db_table)} ({', '.join(quote(c) for c in columns)}) "
           f"SELECT {quote('id')}, 1, {quote('value')}, {quote('growth')}, {quote('note')}, {placeholders} "
           f"FROM {quote(Observation._meta.db_table)} WHERE {quote('id')} BETWEEN %s AND %s ORDER BY {quote('id')}")
    with connection.cursor() as cursor:
        cursor.execute(sql, [*tail, *defaults, low, high])


def _with_defaults(model, columns: tuple[str, ...]) -> tuple[tuple[str, ...], tuple]:
    """``columns`` plus the model's other columns, with their defaults' values."""
    extra = [f for f in model._meta.concrete_fields if not f.primary_key and f.column not in columns]
    return ((*columns, *(f.column for f in extra)),
            tuple(f.get_db_prep_save(f.get_default(), connection) for f in extra))


def _insert(model, columns: tuple[str, ...], values: list[tuple]) -> None:
    columns, defaults = _with_defaults(model, columns)
    if defaults:
        values = [(*row, *defaults) for row in values]
    quote = connection.ops.quote_name
    sql = (f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(c) for c in columns)}) "
           f"VALUES ({', '.join(['%s'] * len(columns))})")
    with connection.cursor() as cursor:
        cursor.executemany(sql, values)


def _observations_near(keys) -> QuerySet:
    """Observations of the regions, indicators, years and months of ``keys``
    (a superset of the keys themselves, found through the indexes)."""
    regions = {k[0] for k in keys}
    qs = Observation.objects.filter(indicator_id__in={k[1] for k in keys}, year__in={k[2] for k in keys},
                                    month__in={k[3] for k in keys})
    if len(regions) <= 500:
        qs = qs.filter(region_id__in=regions)
    return qs


def _existing_observations(keys: list[tuple]) -> dict[tuple, _Stored]:
    if not keys:
        return {}
    wanted = set(keys)
    out = {}
    qs = _observations_near(wanted).select_for_update().values_list(
        "region_id", "indicator_id", "year", "month",
        "pk", "value", "growth", "note", "revision", "version", "published_revision")
    for region, indicator_id, year, month, *stored in qs.iterator(chunk_size=5000):
        key = (region, indicator_id, year, month)
        if key in wanted:
            out[key] = _Stored(*stored)
    return out


def _record_batch(user, summary, touched: _Touched, reason, source, publish, official_release=False) -> None:
    marks = {"official_release": True} if official_release else {}
    if summary.warnings:
        marks["accepted_warnings"] = [v["message"] for v in summary.warnings[:50]]
    if touched.count == 1:
        obs = Observation.objects.get(pk=touched.ids[0])
        before = summary.changes[0]["before"] if summary.changes else None
        record_change(
            user, "create" if summary.created else "update", obs,
            before=before,
            after={"value": obs.value, "growth": obs.growth, "note": obs.note, "status": obs.status,
                   "revision": obs.revision, **marks},
            reason=reason, source=source,
        )
        return
    record_change(
        user, "import",
        object_type="indicators.observation", object_id="batch",
        object_repr=f"批量写入数据 {touched.count} 条",
        before=None,
        after={**summary.as_dict(), "published": publish, **marks, "ids": touched.ids},
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


REVIEW_ACTIONS = {"approve": "审核通过", "reject": "退回", "publish": "发布"}


@dataclass
class ReviewResult:
    batch: str
    done: list[int] = field(default_factory=list)  # observation ids
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (observation id, why)


def review_figures(user, observation_ids: Iterable[int], action: str, *, reason: str = "",
                   source: str = "web") -> ReviewResult:
    """审核通过 / 退回（原因） / 发布 many figures in one action: each figure's latest revision moves
    and leaves its own change record, all carrying one batch id. 发布 also approves a figure still
    at 填报 (the approver publishing it is its approver). Figures the user may not review (their
    own entry, another unit, already in that state) are skipped with the reason; the rest are
    done in one transaction."""
    import uuid

    if action not in REVIEW_ACTIONS:
        raise ValueError(f"未知的审核操作“{action}”：可选 审核通过、退回、发布。")
    if action == "reject" and not reason.strip():
        raise ValueError("退回须说明原因。")
    if not scopes.scope_for(user).has("approve"):
        raise scopes.ScopeError("无权审核：需要“数据审核”角色。")
    result = ReviewResult(batch=uuid.uuid4().hex[:12])
    ids = sorted(set(int(i) for i in observation_ids))
    latest = {r.observation_id: r for r in Revision.objects.filter(observation_id__in=ids).select_related("observation")
              .order_by("observation_id", "number")}
    with transaction.atomic():
        for pk in ids:
            revision = latest.get(pk)
            if revision is None:
                result.skipped.append((pk, "没有这条数据"))
                continue
            obs = revision.observation
            if not scopes.can_approve_figure(user, obs.region_id, revision.entered_by_id):
                why = "不能审核本人填报的数据" if revision.entered_by_id == user.pk else "超出审核范围"
                result.skipped.append((pk, why))
                continue
            steps = {"approve": [(RevisionStatus.ENTERED, RevisionStatus.APPROVED)],
                     "reject": [(None, RevisionStatus.REJECTED)],
                     "publish": [(RevisionStatus.ENTERED, RevisionStatus.APPROVED),
                                 (RevisionStatus.APPROVED, RevisionStatus.PUBLISHED)]}[action]
            moved = False
            for expected, new in steps:
                allowed = [expected] if expected else [RevisionStatus.ENTERED, RevisionStatus.APPROVED]
                if revision.status in allowed:
                    revision = _move(user, revision, expected, new, reason, source, batch=result.batch)
                    moved = True
            if moved:
                result.done.append(pk)
            else:
                result.skipped.append((pk, f"状态为“{revision.get_status_display()}”"))
    return result


def _move(user, revision, expected: str | None, new: str, reason: str, source: str, batch: str = "") -> Revision:
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
        after = {"status": new, "revision": revision.number, **({"batch": batch} if batch else {})}
        record_change(user, action, obs, before=before, after=after, reason=reason, source=source)
    return revision


def set_targets(user, rows: Iterable[TargetInput], *, source: str = "web", reason: str = "",
                dry_run: bool = False) -> WriteSummary:
    """Create or change annual targets; each change leaves a change record."""
    rows = list(rows)
    for region in {r.region for r in rows}:
        scopes.check_write_target(user, region)
    indicators = {i.code: i.pk for i in Indicator.objects.only("id", "code")}
    unknown = sorted({r.indicator for r in rows} - indicators.keys())
    if unknown:
        raise ValueError(f"未知的指标：{'、'.join(unknown)}（见指标目录）。")
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


def set_responsibilities(user, rows: Iterable[ResponsibilityInput], *, source: str = "web", reason: str = "",
                         dry_run: bool = False) -> WriteSummary:
    """Create or change 目标责任书 (who answers for a target); scoped like targets, each change recorded."""
    from diaodu.org.models import Department

    rows = list(rows)
    for region in {r.region for r in rows}:
        scopes.check_write_target(user, region)
    indicators = {i.code: i.pk for i in Indicator.objects.only("id", "code")}
    departments = {d.code: d for d in Department.objects.all()}
    summary = WriteSummary()
    with transaction.atomic():
        existing = {
            (t.region_id, t.indicator_id, t.year): t
            for t in TargetResponsibility.objects.select_for_update().select_related("lead_department").filter(
                year__in={r.year for r in rows}, indicator_id__in={indicators[r.indicator] for r in rows}
            )
        }
        for row in rows:
            key = (row.region, indicators[row.indicator], row.year)
            item = existing.get(key)
            lead = departments[row.lead_department]
            cos = [departments[c] for c in row.co_departments if c != row.lead_department]
            fields = {
                "leader": row.leader, "leader_post": row.leader_post, "lead_department": lead,
                "document_number": row.document_number, "document_date": row.document_date, "note": row.note,
            }
            if item is None:
                summary.created += 1
                if dry_run:
                    continue
                item = TargetResponsibility.objects.create(
                    region_id=row.region, indicator_id=key[1], year=row.year, updated_by=user, **fields
                )
                item.co_departments.set(cos)
                record_change(user, "create", item, after=item.snapshot(), reason=reason, source=source)
                continue
            before = item.snapshot()
            if all(getattr(item, k) == v for k, v in fields.items()) and sorted(before["co"]) == sorted(c.name for c in cos):
                summary.unchanged += 1
                continue
            summary.updated += 1
            if dry_run:
                continue
            for k, v in fields.items():
                setattr(item, k, v)
            item.version += 1
            item.updated_by = user
            item.save()
            item.co_departments.set(cos)
            record_change(user, "update", item, before=before, after=item.snapshot(), reason=reason, source=source)
        if dry_run:
            transaction.set_rollback(True)
    return summary


def release_period(user, period, *, scope: str = PeriodRelease.Scope.CITY, indicators: Iterable[str] = (),
                   note: str = "", source: str = "web") -> tuple[PeriodRelease, bool]:
    """期别发布: the statistics office releases ``period`` for the city (or records the province's
    release of the other 市州's figures). With ``indicators``, only those are released and the
    default period does not move. Returns (release, created); releasing again what is already
    released changes nothing."""
    if not scopes.can_release_period(user):
        raise scopes.ScopeError("无权发布期别：需要“数据审核”角色。")
    codes = sorted(set(indicators))
    unknown = sorted(set(codes) - set(Indicator.objects.filter(code__in=codes).values_list("code", flat=True)))
    if unknown:
        raise ValueError(f"未知的指标：{'、'.join(unknown)}（见指标目录）。")
    with transaction.atomic():
        same = PeriodRelease.objects.filter(year=period.year, month=period.month, scope=scope)
        for release in same.select_for_update():
            if release.whole or (codes and set(codes) <= set(release.indicators)):
                return release, False
        release = PeriodRelease.objects.create(
            year=period.year, month=period.month, scope=scope, indicators=codes, whole=not codes,
            note=note[:200], released_by=user if getattr(user, "pk", None) else None, released_at=timezone.now(),
        )
        record_change(user, "publish", release, after={
            "period": str(period), "scope": scope, "indicators": codes or "全部"}, reason=note, source=source)
    return release, True
