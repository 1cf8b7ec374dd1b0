"""``diaodu setup-city CODE``: make a 地级 unit the home city, with what every city needs on day one.

Idempotent: a second run for the same city changes nothing. Another city on a database that already
holds figures, targets or users refuses (those rows belong to the first city)."""

from __future__ import annotations

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.dispatch import Signal

from diaodu.org import home, loaders
from diaodu.org.models import Department, HomeCity, PeerGroup, Profile, Region


class SetupError(Exception):
    pass


# Sent with ``city`` after setup-city made the city's departments: apps that attach their own data
# to the departments listen (diaodu.indicators: which department reports which indicator).
city_departments_ready = Signal()


def _has_data() -> list[str]:
    # By label, not by import: the figures' app builds on org, not the other way round.
    Observation, Target = apps.get_model("indicators", "Observation"), apps.get_model("indicators", "Target")
    found = []
    if Observation.objects.exists():
        found.append(f"{Observation.objects.count()} 条指标数据")
    if Target.objects.exists():
        found.append(f"{Target.objects.count()} 条目标")
    if Profile.objects.exclude(region=None, department=None).exists():
        found.append(f"{Profile.objects.exclude(region=None, department=None).count()} 个已设单位的用户")
    return found


@transaction.atomic
def setup_city(code: str) -> list[str]:
    """Set up ``code`` as the home city; returns the lines that say what was done."""
    code = (code or "").strip()
    if Region.objects.count() < 100:  # a database flushed by hand: the country's regions are data
        loaders.load_country_regions(Region)
    city = Region.objects.filter(code=code).first()
    if city is None:
        raise SetupError(f"区划代码“{code}”不存在：请给出 6 位 GB/T 2260 地级代码，例如 620500（天水市）。")
    if city.level != Region.Level.CITY:
        raise SetupError(f"“{city.name}”（{code}）不是地级单位（市、州、盟、地区）：setup-city 需要地级代码，"
                         f"例如 {city.parent_id or code[:2] + '0000'} 下属的市。")
    if settings.DIAODU_HOME_REGION and settings.DIAODU_HOME_REGION != code:
        raise SetupError(f"环境变量 DIAODU_HOME_REGION={settings.DIAODU_HOME_REGION} 已指定本市，与 {code} 不同："
                         "请删除该变量或改为同一代码。")
    current = HomeCity.objects.select_related("region").first()
    lines = []
    if current and current.region_id != code:
        data = _has_data()
        if data:
            raise SetupError(f"本库已是{current.region.name}的数据库（{'、'.join(data)}），不能改为{city.name}："
                             "请为新城市另建数据库（DATABASE_URL）后再运行 setup-city。")
        Department.objects.filter(region_id=current.region_id).delete()
        current.region = city
        current.save()
        lines.append(f"本市由{current.region.name}改为{city.name}（{code}）")
    elif current:
        lines.append(f"本市：{city.name}（{code}），此前已设置")
    else:
        HomeCity.objects.create(region=city)
        lines.append(f"本市：{city.name}（{code}）")
    home.forget()

    province = city.parent
    parents = [p for p in (province, city) if p is not None]
    loaders.load_peer_groups(PeerGroup, Region, parents=parents)
    counties = list(Region.objects.filter(parent=city, level=Region.Level.COUNTY).order_by("code"))
    cities = Region.objects.filter(parent=province, level=Region.Level.CITY).count() if province else 0
    if province:
        lines.append(f"比较组：{province.name}{cities}个市州")
    lines.append(f"比较组：{city.name}{len(counties)}个县区（{'、'.join(c.name for c in counties) or '无'}）")

    created, kept = loaders.load_departments(Department, city)
    city_departments_ready.send(sender=HomeCity, city=city)
    lines.append(f"市直部门：新建 {created} 个，已有 {kept} 个（市发改委、市统计局、国家统计局"
                 f"{loaders.city_short_name(city)}调查队 …，别名见“配置 › 部门”）")
    lines.append(f"县区评价方案：{city.name}县区重点工作评价（{len(counties)} 个县区）")
    return lines


NEXT_STEPS = """下一步（README「新城市上线」）：
  1. 管理员：DJANGO_SUPERUSER_PASSWORD=… diaodu createsuperuser --noinput --username admin --email admin@example.org
     再登记其单位和角色：diaodu adduser admin --unit 市政府办公室 --roles 管理员；首次登录须绑定动态口令
  2. 用户：DIAODU_PASSWORD=… diaodu adduser 用户名 --unit 市统计局 --roles 数据填报,数据审核 --name 姓名
  3. 模板：diaodu export template --out 模板.xlsx；统计局宽表：diaodu import 完成情况表.xlsx --user 用户名 --publish
  4. 目标：diaodu import 目标.xlsx --user 用户名；未带 --publish 导入的数据在“填报审核”页审核发布
  5. 预计算与首份通报：diaodu precompute；diaodu brief economy --period YYYY-MM --out 经济运行情况通报.docx"""
