"""diaodu rank --period 2021-10 [--level city|county] [--indicator CODE] [--json]"""

from diaodu.evaluation import compute
from diaodu.evaluation.management.commands._engine_command import EngineCommand


class Command(EngineCommand):
    help = "排名：按增速、总量、增量在比较组内排名，及较上半年位次变化"
    columns = [("indicator_name", "指标"), ("region_name", "地区"), ("value", "累计值"), ("growth", "增速%"),
               ("rank_growth", "增速位次"), ("rank_total", "总量位次"), ("rank_change", "较上半年"),
               ("peer_count", "参与数"), ("coverage_growth", "报送")]

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--compare", default="h1", help="比较期：h1（上半年）、last_period、last_year 或 YYYY-MM")

    def handle(self, *args, **opts):
        self.check_indicator(opts["indicator"])
        rows = compute.ranks(self.period(opts), opts["level"], opts["indicator"], opts["compare"])
        self.output(rows, opts)
