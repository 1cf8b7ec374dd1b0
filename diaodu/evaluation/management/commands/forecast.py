"""diaodu forecast --period 2021-10 [--level …] [--indicator …] [--json]"""

from diaodu.evaluation import compute
from diaodu.evaluation.management.commands._engine_command import EngineCommand


class Command(EngineCommand):
    help = "年底预测：全年值与增速的点预测及 80% 区间（按历史回测校准）"
    columns = [("indicator_name", "指标"), ("region_name", "地区"), ("measure", "口径"), ("current", "当前"),
               ("point", "预测"), ("low", "下限"), ("high", "上限"), ("method_label", "方法"),
               ("backtest_coverage", "回测覆盖率%"), ("backtest_mae", "回测误差"), ("naive_mae", "年内累计不变误差"),
               ("reason", "说明")]

    def handle(self, *args, **opts):
        self.check_indicator(opts["indicator"])
        self.output(compute.forecasts(self.period(opts), opts["level"], opts["indicator"]), opts)
