"""diaodu release --period YYYY-MM [--indicators a,b] [--scope city|province] [--user U] [--list]"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from diaodu.cliutil import acting_user, print_json
from diaodu.core.parsing import period_type
from diaodu.engine.periods import Period
from diaodu.indicators import actions
from diaodu.indicators.models import PeriodRelease
from diaodu.indicators.releases import latest_released_period
from diaodu.org.scopes import ScopeError


class Command(BaseCommand):
    help = "期别发布：发布某期数据，页面、文档与接口默认显示最新发布的期别"

    def add_arguments(self, parser):
        parser.add_argument("--period", type=period_type, help="期别，例如 2021-11、2021年11月、2021年1-11月")
        parser.add_argument("--indicators", default="", help="只发布这些指标（逗号分隔的指标代码；不改变默认期别）")
        parser.add_argument("--scope", choices=[c for c, _ in PeriodRelease.Scope.choices], default="city",
                            help="city：本市及县区（默认）；province：全省各市州（省统计局发布）")
        parser.add_argument("--note", default="", help="说明，记入变更记录")
        parser.add_argument("--user", help="操作人用户名（默认 DIAODU_USER）")
        parser.add_argument("--list", action="store_true", help="列出已发布的期别")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出")

    def handle(self, *args, **opts):
        if opts["list"]:
            rows = [{"period": str(r.period), "scope": r.scope, "indicators": r.indicators,
                     "released_by": r.released_by.username if r.released_by_id else None,
                     "released_at": r.released_at.isoformat()}
                    for r in PeriodRelease.objects.select_related("released_by")]
            if opts["json"]:
                print_json(rows)
            else:
                for r in rows:
                    self.stdout.write(f"{r['period']} {r['scope']} {'、'.join(r['indicators']) or '全部指标'} "
                                      f"{r['released_by'] or ''} {r['released_at']}")
            return
        if not opts["period"]:
            raise CommandError("请用 --period 指定期别，例如 --period 2021-11")
        period = opts["period"] if isinstance(opts["period"], Period) else period_type(str(opts["period"]))
        user = acting_user(opts["user"])
        codes = [c.strip() for c in opts["indicators"].replace("，", ",").split(",") if c.strip()]
        try:
            release, created = actions.release_period(user, period, scope=opts["scope"], indicators=codes,
                                                      note=opts["note"], source="cli")
        except (ScopeError, ValueError) as exc:
            raise CommandError(str(exc))
        latest = latest_released_period()
        result = {"period": str(period), "scope": release.scope, "indicators": release.indicators,
                  "created": created, "default_period": str(latest) if latest else None}
        if opts["json"]:
            print_json(result)
            return
        what = "、".join(release.indicators) if release.indicators else "全部指标"
        verb = "已发布" if created else "此前已发布"
        self.stdout.write(f"{verb}：{release.get_scope_display()} {period.full_label()}（{what}）。"
                          f"默认期别：{latest.full_label() if latest else '无'}")
