"""Who may read and write what: the one place every page, import, API call and
admin action asks (the Healthchecks ``_get_check_for_user`` habit).

Rules (DESIGN.md "Scopes", DOMAIN.md §7):
- every signed-in user reads every *published* figure;
- a county government's clerk writes only their county's figures;
- a city government's users write the city's and its counties' figures;
- a city department (市统计局, 市发改委 …) writes figures of every region it
  tracks (the city, its counties, and the peer cities copied from provincial
  releases);
- approval (数据审核) is a separate role, and nobody approves their own entry;
- 领导 read everything (unpublished included) and write nothing;
- 管理员 configure the catalogue, regions, departments and users.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from diaodu.core.caching import recent
from diaodu.core.rows import one_by
from diaodu.org.models import (
    SEPARATION_ADMIN_AUDITOR,
    Department,
    Profile,
    Region,
    Role,
    holds_admin_and_auditor,
)

WRITE_ROLES = frozenset({Role.ENTER, Role.APPROVE, Role.ADMIN})  # 领导 and 审计员 only read


class ScopeError(PermissionDenied):
    """A write or read outside the user's scope; the message is shown to the user."""


ALL = None  # marker: no restriction on regions


@dataclass(frozen=True)
class Scope:
    user_id: int | None
    username: str
    roles: frozenset[str]
    unit_region: str | None
    department: str | None
    department_id: int | None
    regions: frozenset[str] | None  # writable regions; None = every region

    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None

    def has(self, role: str) -> bool:
        return role in self.roles

    @property
    def reads_everything(self) -> bool:
        return bool(self.roles & {Role.LEADER, Role.ADMIN, Role.APPROVE})

    def covers(self, region_code: str) -> bool:
        return self.regions is None or region_code in self.regions

    @property
    def unit_label(self) -> str:
        return self.department or (self.unit_region or "")


NO_UNIT = ("该用户尚未设置所属单位和角色：请管理员运行 diaodu adduser 用户名 --unit 单位 --roles 角色，"
           "或在“配置 › 用户单位与角色”中设置。")


def unit_missing(user) -> bool:
    """A signed-in user with neither a unit nor a working role (a fresh createsuperuser account):
    what to tell them instead of “out of scope”."""
    scope = scope_for(user)
    return (scope.is_authenticated and not scope.unit_region and not scope.department
            and not scope.roles & {Role.ENTER, Role.APPROVE, Role.LEADER})


def scope_for(user) -> Scope:
    """The user's scope, computed once per user object."""
    cached = getattr(user, "_diaodu_scope", None)
    if cached is not None:
        return cached
    if user is None or not user.is_authenticated or not user.is_active:
        scope = Scope(None, "", frozenset(), None, None, None, frozenset())
    else:
        profile = getattr(user, "profile", None) if _has_profile(user) else None
        roles = set(profile.roles if profile else [])
        if user.is_superuser:
            roles.add(Role.ADMIN)
        unit_region = profile.region_id if profile else None
        department = profile.department.name if profile and profile.department_id else None
        if profile and profile.department_id:
            regions = None
        elif unit_region:
            region = profile.region
            if region.level == Region.Level.COUNTY:
                regions = frozenset({region.code})
            elif region.level == Region.Level.CITY:
                regions = recent(f"city-regions:{region.code}", lambda: frozenset(
                    {region.code, *region.children.values_list("code", flat=True)}))
            else:
                regions = None
        elif user.is_superuser:
            regions = None
        else:
            regions = frozenset()
        department_id = profile.department_id if profile else None
        scope = Scope(user.pk, user.get_username(), frozenset(roles), unit_region, department, department_id, regions)
    try:
        user._diaodu_scope = scope
    except AttributeError:
        pass
    return scope


def _has_profile(user) -> bool:
    """Whether the user has a profile. The first call loads it with its unit (region or department)
    and keeps it on the user object, as ``user.profile`` would."""
    from django.contrib.auth import get_user_model

    relation = get_user_model().profile.related  # type(user) may be a lazy wrapper (request.user)
    if not relation.is_cached(user):
        profile = _load_profile(user.pk)
        if profile is not None:
            Profile.user.field.set_cached_value(profile, user)
        relation.set_cached_value(user, profile)
    return relation.get_cached_value(user) is not None


def _load_profile(user_id: int) -> Profile | None:
    """The user's profile, its unit attached. Every page view asks, so the profile's query is
    compiled once per process (``core.rows``) and its region or department comes from the
    process's recent memory (a select_related query cost 0.45 ms, a sixth of a first view)."""
    profile = one_by(Profile, "user_id", user_id)
    if profile is None:
        return None
    if profile.region_id:
        Profile.region.field.set_cached_value(profile, recent(
            f"region:{profile.region_id}", lambda: Region.objects.get(code=profile.region_id)))
    if profile.department_id:
        Profile.department.field.set_cached_value(profile, recent(
            f"department:{profile.department_id}", lambda: Department.objects.get(pk=profile.department_id)))
    return profile


# --- figures ---------------------------------------------------------------

def can_enter_figure(user, region_code: str) -> bool:
    scope = scope_for(user)
    return bool(scope.roles & {Role.ENTER, Role.APPROVE}) and scope.covers(region_code)


def check_enter_figure(user, region_code: str) -> None:
    if not can_enter_figure(user, region_code):
        if unit_missing(user):
            raise ScopeError(NO_UNIT)
        raise ScopeError(f"无权填报区划 {region_code} 的数据：只能填报本单位负责的区划。")


def can_approve_figure(user, region_code: str, entered_by_id: int | None) -> bool:
    scope = scope_for(user)
    return (
        scope.has(Role.APPROVE)
        and scope.covers(region_code)
        and entered_by_id is not None
        and entered_by_id != scope.user_id
    )


def check_approve_figure(user, region_code: str, entered_by_id: int | None) -> None:
    scope = scope_for(user)
    if not scope.has(Role.APPROVE):
        raise ScopeError(NO_UNIT if unit_missing(user) else "无权审核：需要“数据审核”角色。")
    if not scope.covers(region_code):
        raise ScopeError(f"无权审核区划 {region_code} 的数据。")
    if entered_by_id == scope.user_id:
        raise ScopeError("不能审核本人填报的数据（填报与审核须分离）。")


def can_import(user) -> bool:
    """Whether the user may upload a file to import (checked before the file is read):
    clerks, approvers and 管理员; 领导 and 审计员 write nothing."""
    return bool(scope_for(user).roles & WRITE_ROLES)


def can_publish_directly(user) -> bool:
    """Whether an import may publish at once (an approver loading an official release)."""
    return scope_for(user).has(Role.APPROVE)


def can_release_period(user) -> bool:
    """期别发布 is the statistics office's approvers' (数据审核) act."""
    return scope_for(user).has(Role.APPROVE)


def unpublished_regions(user) -> frozenset[str] | None:
    """The regions whose figures the user may read before publication: every
    region (None) for 领导, 管理员 and approvers; the regions they write for
    data clerks; none for anyone else (an 审计员 reads audit records, not
    figures in the making)."""
    scope = scope_for(user)
    if not scope.is_authenticated:
        return frozenset()
    if scope.reads_everything:
        return None
    if not scope.roles & {Role.ENTER, Role.APPROVE}:
        return frozenset()
    return scope.regions


def restrict_observations(user, qs: QuerySet) -> QuerySet:
    """Observations the user may read: every published one (any signed-in user),
    plus unpublished ones of ``unpublished_regions``."""
    if not scope_for(user).is_authenticated:
        return qs.none()
    regions = unpublished_regions(user)
    if regions is None:
        return qs
    return qs.filter(Q(published_revision__isnull=False) | Q(region_id__in=regions))


def can_read_unpublished(user, region_code: str) -> bool:
    """Whether the user may read a region's latest, unpublished revision."""
    regions = unpublished_regions(user)
    return regions is None or region_code in regions


def restrict_unpublished(user, qs: QuerySet) -> QuerySet:
    """Observations whose unpublished state (latest revision, status) the user may read."""
    regions = unpublished_regions(user)
    return qs if regions is None else qs.filter(region_id__in=regions)


def restrict_entry_queue(user, qs: QuerySet) -> QuerySet:
    """The unpublished figures the user is responsible for (entry or approval)."""
    scope = scope_for(user)
    if not scope.is_authenticated or not (scope.roles & {Role.ENTER, Role.APPROVE, Role.LEADER, Role.ADMIN}):
        return qs.none()
    if scope.regions is None:
        return qs
    return qs.filter(region_id__in=scope.regions)


# --- configuration ---------------------------------------------------------

def can_configure(user) -> bool:
    return scope_for(user).has(Role.ADMIN)


NO_SELF_AUDITOR = "不能给自己授予“审计员”角色（职责分离：须由另一名管理员授予，且不能同时担任管理员）。"


def role_change_problem(actor, user, roles, *, is_superuser: bool | None = None) -> str | None:
    """Why giving ``user`` these ``roles`` breaks the separation of duties, or None.

    Rules (README: 安全 · 职责分离): nobody holds both 管理员 (or superuser) and
    审计员; nobody grants themselves 审计员.
    """
    roles = set(roles or [])
    superuser = is_superuser if is_superuser is not None else bool(getattr(user, "is_superuser", False))
    if holds_admin_and_auditor(roles, superuser):
        return SEPARATION_ADMIN_AUDITOR
    if Role.AUDITOR in roles and actor is not None and user is not None and getattr(actor, "pk", None) == user.pk:
        held = set(getattr(getattr(user, "profile", None), "roles", None) or []) if _has_profile(user) else set()
        if Role.AUDITOR not in held:
            return NO_SELF_AUDITOR
    return None


def check_configure(user) -> None:
    if not can_configure(user):
        raise ScopeError("无权修改配置：需要“管理员”角色。")


def can_write_target(user, region_code: str) -> bool:
    """Targets are set from above: approvers or admins covering the region."""
    scope = scope_for(user)
    return bool(scope.roles & {Role.APPROVE, Role.ADMIN}) and scope.covers(region_code)


def check_write_target(user, region_code: str) -> None:
    if not can_write_target(user, region_code):
        if unit_missing(user) and not scope_for(user).has(Role.ADMIN):
            raise ScopeError(NO_UNIT)
        raise ScopeError(f"无权修改区划 {region_code} 的目标：需要“数据审核”或“管理员”角色。")


# --- ledgers (projects, deals, enterprises, fiscal, chains, parks, tasks) ----

def writes_ledgers(user) -> bool:
    """The user has a role that writes ledger records (within their scope): offer them 新增."""
    return bool(scope_for(user).roles & WRITE_ROLES)


def can_write_ledger(user, region_code: str | None, department_id: int | None = None) -> bool:
    """A county writes its own county's records; a city department writes the
    records it owns and the counties' records no other department owns;
    管理员 write any; 领导 and 审计员 write nothing."""
    if not writes_ledgers(user):
        return False
    scope = scope_for(user)
    if scope.has(Role.ADMIN):
        return True
    if scope.department_id is not None:
        return department_id is None or department_id == scope.department_id
    if scope.regions is None:
        return True
    if region_code is None:  # a city-level record owned by a department only
        return False
    return region_code in scope.regions


def check_write_ledger(user, region_code: str | None, department_id: int | None = None) -> None:
    if not can_write_ledger(user, region_code, department_id):
        if unit_missing(user):
            raise ScopeError(NO_UNIT)
        raise ScopeError("无权修改该台账记录：只能修改本单位的记录。")


def can_write_owned(user, model, region_code: str | None, department_id: int | None = None) -> bool:
    """The one write rule of a ledger's records, by model: a record set from above (a model with
    ``set_from_above``: 人工评分, like targets — a county does not score itself) is written by
    approvers and 管理员 covering its region; every other record by ``can_write_ledger``."""
    if getattr(model, "set_from_above", False):
        return region_code is not None and can_write_target(user, region_code)
    return can_write_ledger(user, region_code, department_id)


def can_write_record(user, obj) -> bool:
    return can_write_owned(user, type(obj), obj.region_id, obj.department_id)


def check_write_record(user, obj) -> None:
    """Raise ScopeError unless the user may write this record (``can_write_owned``)."""
    if getattr(type(obj), "set_from_above", False):
        if not can_write_owned(user, type(obj), obj.region_id):
            raise ScopeError(f"无权录入{obj._meta.verbose_name}：由上级“数据审核”或“管理员”录入，县区不能为本单位评分。")
        return
    check_write_ledger(user, obj.region_id, obj.department_id)


def can_admin_ledger(user, obj=None, *, action: str = "view") -> bool:
    """The one policy for ledger records in the admin (配置) — every ledger, one rule.

    The admin is one more door to the ledgers' one write path, never a wider one: viewing needs a
    staff account (every signed-in user reads the ledgers on the pages anyway: ``restrict_ledger``);
    adding needs a writing role; changing or deleting a record needs the same write scope as the
    pages, the API and imports (``can_write_ledger``). Chosen over “管理员 only” (once the
    enterprise, fiscal and industry ledgers' rule) as the safer: no one gains in the admin a write
    the pages refuse them, so there is one rule to review instead of two that can drift apart; and
    a unit's records are changed by that unit's own accounts, recorded under their names, instead
    of every fix going through the few 管理员 accounts on the units' behalf.
    """
    scope = scope_for(user)
    if not (user.is_staff and scope.is_authenticated):
        return False
    if action == "view":
        return True
    writes = writes_ledgers(user)
    if obj is None:
        return writes
    return writes and can_write_record(user, obj)


def restrict_ledger(user, qs: QuerySet) -> QuerySet:
    """Ledger records a user may read: every record, for any signed-in user
    (ledgers are shared across the city's dispatch); nothing when signed out."""
    return qs if scope_for(user).is_authenticated else qs.none()
