"""diaodu backtest [--months 6,9,10] [--json]: how good the year-end forecast has been."""

from diaodu.evaluation import compute
from diaodu.evaluation.management.commands._engine_command import EngineCommand


class Command(EngineCommand):
    help = "预测回测：80% 区间覆盖率与年底增速预测的平均绝对误差（按月份）"
    needs_period = False
    columns = [("month", "月份"), ("measure", "口径"), ("indicator", "指标"), ("n", "检验次数"),
               ("coverage", "区间覆盖率%"), ("mae", "平均绝对误差"), ("mae_unit", "单位")]

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--months", default="6,9,10")

    def handle(self, *args, **opts):
        months = tuple(int(m) for m in opts["months"].split(","))
        rows = compute.backtest_summary(months)
        if not opts["indicator"]:
            rows = [r for r in rows if r.get("indicator") == "全部"] or rows
        else:
            rows = [r for r in rows if r.get("indicator") == opts["indicator"]]
        self.output(rows, opts)
