"""diaodu rank --period 2021-10 [--level city|county | --group CODE] [--indicator CODE] [--json]"""

from django.core.management.base import CommandError

from diaodu.engine.peers import UnknownGroup
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
        parser.add_argument("--group", help="比较组代码（管理后台“比较组”），例如 qinba：只在该组成员中排名，"
                                            "报送数按组内成员计；给出时不看 --level")

    def handle(self, *args, **opts):
        self.check_indicator(opts["indicator"])
        try:
            rows = compute.ranks(self.period(opts), opts["level"], opts["indicator"], opts["compare"],
                                 group=opts["group"])
        except UnknownGroup as exc:
            raise CommandError(str(exc))
        self.output(rows, opts)
