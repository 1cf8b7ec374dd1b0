"""diaodu gap --period 2021-10 [--level …] [--indicator …] [--json]"""

from diaodu.evaluation import compute
from diaodu.evaluation.management.commands._engine_command import EngineCommand


class Command(EngineCommand):
    help = "目标差距：完成率、序时进度、尚需完成量、剩余月份月均及所需增速"
    columns = [("indicator_name", "指标"), ("region_name", "地区"), ("target_total", "目标总量"),
               ("target_growth", "目标增速%"), ("value", "累计值"), ("growth", "增速%"), ("completion", "完成率%"),
               ("schedule", "序时进度%"), ("amount_needed", "尚需完成"), ("per_remaining_month", "月均需完成"),
               ("growth_needed", "剩余月份需增速%"), ("not_computable", "不可计算")]

    def handle(self, *args, **opts):
        self.check_indicator(opts["indicator"])
        self.output(compute.gaps(self.period(opts), opts["level"], opts["indicator"]), opts)
