"""diaodu evaluate --period 2021-09 [--scheme CODE] [--level city|county] [--json]"""

from django.core.management.base import CommandError

from diaodu import engine
from diaodu.evaluation import compute
from diaodu.evaluation.management.commands._engine_command import EngineCommand


class Command(EngineCommand):
    help = "综合评价：按评价方案计算综合得分、排名及较上半年位次变化"
    columns = [("region_name", "地区"), ("score", "综合得分"), ("position", "排名"), ("rank_change", "较上半年"),
               ("bonus", "加分"), ("penalty", "扣分"), ("coverage", "报送")]

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--scheme", help="评价方案代码：" + "、".join(engine.list_schemes()))

    def handle(self, *args, **opts):
        if opts["scheme"] and opts["scheme"] not in engine.list_schemes():
            raise CommandError(f"未知的评价方案“{opts['scheme']}”：可选 {'、'.join(engine.list_schemes())}")
        result = compute.evaluation(self.period(opts), opts["scheme"], opts["level"])
        rows = result["summary"]
        items_by_region: dict[str, list] = {}
        for item in result["items"]:
            items_by_region.setdefault(item["region_code"], []).append(item)
        for row in rows:
            row["items"] = items_by_region.get(row["region_code"], [])
        self.output(rows, opts)
