"""diaodu backtest [--months 6,9,10] [--csv FILE] [--indicator …] [--json]: how good the year-end
forecast has been, per indicator and month, against the naive rule "full year = year to date"."""

from django.core.management.base import CommandError

from diaodu.evaluation.management.commands._engine_command import EngineCommand


class Command(EngineCommand):
    help = ("预测回测：按指标和月份列出各预测方法与“全年=年内累计”基准的平均绝对误差、所选方法和80%区间覆盖率，"
            "以及有往年回测记录可据以选择方法的次数和这些年份的误差比；"
            "--csv 读入累计增速表（列：unit, indicator, year, month, cumulative_growth）代替本库数据")
    needs_period = False
    columns = [("month", "月份"), ("measure", "口径"), ("indicator", "指标"), ("n", "检验次数"),
               ("mae", "所选方法误差"), ("mae_naive", "年内累计不变"), ("ratio", "误差比"),
               ("n_tracked", "有记录可选次数"), ("ratio_tracked", "其中误差比"), ("n_pooled", "其中借全部指标记录"),
               ("mae_momentum", "最近一期增速延续"), ("mae_base_effect", "基数效应"), ("mae_drift_shrunk", "历年变动收缩"),
               ("mae_peer_shift", "同级单位变动"),
               ("mae_combined", "加权组合"), ("chosen", "下年所选方法"), ("coverage", "区间覆盖率%"), ("mae_unit", "单位")]

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--months", default="6,9,10", help="预测所在月份，逗号分隔，例如 9,10")
        parser.add_argument("--csv", help="累计增速表（CSV）：不读本库，按表中各单位回测")

    def handle(self, *args, **opts):
        try:
            months = tuple(int(m) for m in opts["months"].split(","))
        except ValueError:
            raise CommandError(f"--months 应为逗号分隔的月份，例如 9,10（收到“{opts['months']}”）") from None
        if not months or any(not 1 <= m <= 12 for m in months):
            raise CommandError("--months 的月份必须在 1–12 之间")
        if opts["csv"]:
            rows = self.from_csv(opts["csv"], months)
        else:
            from diaodu.evaluation import compute

            self.check_indicator(opts["indicator"])
            rows = compute.backtest_summary(months)
        if opts["indicator"]:
            rows = [r for r in rows if r.get("indicator") == opts["indicator"]]
        self.output(rows, opts)

    def from_csv(self, path: str, months: tuple[int, ...]) -> list[dict]:
        from diaodu.engine import backtest
        from diaodu.engine.growth_csv import GrowthCsvError, read_growth_csv
        from diaodu.evaluation.compute import records

        try:
            obs, indicators = read_growth_csv(path)
        except GrowthCsvError as exc:
            raise CommandError(str(exc)) from None
        frame = backtest(obs, indicators, months=list(months))
        return [r for r in records(frame) if r["measure"] == "growth" and (r["n"] or r["indicator"] == "全部")]
