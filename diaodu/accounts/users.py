"""Users with their unit and roles, from the command line (``diaodu adduser``): the one write path
for it outside the admin, recorded like the admin's saves."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from diaodu.audit.records import record_change
from diaodu.org.home import home_code
from diaodu.org.models import Department, Profile, Region, Role


class UserError(Exception):
    pass


def parse_roles(text: str) -> list[str]:
    """“数据填报,数据审核” or “enter,approve” (any of ,，、 between) → role codes."""
    by_label = {str(r.label): r.value for r in Role} | {r.value: r.value for r in Role}
    roles = []
    for part in text.replace("，", ",").replace("、", ",").split(","):
        part = part.strip()
        if not part:
            continue
        if part not in by_label:
            raise UserError(f"未知的角色“{part}”：可选 {'、'.join(f'{r.label}（{r.value}）' for r in Role)}")
        if by_label[part] not in roles:
            roles.append(by_label[part])
    return roles


def find_unit(text: str) -> Region | Department:
    """A region code (or a region's full name), or a department's name, code or alias — the home
    city's departments first."""
    text = text.strip()
    region = Region.objects.filter(code=text).first()
    if region:
        return region
    home = home_code()
    departments = list(Department.objects.order_by("order", "code"))
    departments.sort(key=lambda d: d.region_id != home)
    for d in departments:
        if text in (d.code, d.name, d.full_name):
            return d
    for d in departments:
        if text in d.aliases:
            return d
    matches = list(Region.objects.filter(Q(name=text)).order_by("code"))
    near = [r for r in matches if home and home in (r.code, r.parent_id)]
    if len(near) == 1 or len(matches) == 1:
        return (near or matches)[0]
    hint = "（同名区划有多个，请用代码）" if matches else ""
    raise UserError(f"找不到单位“{text}”{hint}：请给出区划代码（如县区的 6 位代码）或本市部门的名称或别名"
                    f"（如 市统计局、市发改委）。")


@transaction.atomic
def add_user(actor, username: str, *, unit: str, roles: str, name: str = "", password: str | None = None,
             email: str = "") -> tuple[object, bool, str]:
    """Create the user (or update an existing one's unit, roles and name); returns (user, created, unit name)."""
    username = username.strip()
    if not username:
        raise UserError("用户名为空")
    found = find_unit(unit)
    role_codes = parse_roles(roles)
    if not role_codes:
        raise UserError("至少给出一个角色，例如 --roles 数据填报")
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    created = user is None
    if created and not password:
        raise UserError("新用户需要密码：设置环境变量 DIAODU_PASSWORD，或在提示时输入")
    if password:
        try:
            validate_password(password, User(username=username))
        except ValidationError as exc:
            raise UserError("密码不符合密码规则：" + " ".join(exc.messages))
    if created:
        user = User(username=username, email=email)
    if name:
        user.first_name = name
    if password:
        user.set_password(password)
    if Role.ADMIN in role_codes:
        user.is_staff = True  # the admin site (配置) needs it
    user.save()
    profile = Profile.objects.filter(user=user).first()
    before = None if profile is None else {"region": profile.region_id, "department": profile.department_id,
                                           "roles": list(profile.roles)}
    profile = profile or Profile(user=user)
    profile.region, profile.department = (found, None) if isinstance(found, Region) else (None, found)
    profile.roles = role_codes
    if before is not None:
        profile.version = (profile.version or 0) + 1
    profile.save()
    after = {"region": profile.region_id, "department": profile.department_id, "roles": role_codes,
             "username": username, "name": user.first_name}
    record_change(actor, "create" if before is None else "update", profile, before=before, after=after,
                  reason="diaodu adduser", source="cli")
    return user, created, profile.unit_name
