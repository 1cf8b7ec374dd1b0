"""diaodu validate --period YYYY-MM [--json] [--published]"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from diaodu.cliutil import print_json
from diaodu.core.parsing import period_type
from diaodu.indicators.validation import BLOCKING, active_rules, check_period


class Command(BaseCommand):
    help = "数据审核：按审核规则（配置 → 审核规则）检查某期已存数据，列出违反规则之处"

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, type=period_type, help="期别，例如 2021-10")
        parser.add_argument("--published", action="store_true", help="只检查已发布的数值（默认检查最新填报的数值）")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出")

    def handle(self, *args, **opts):
        period = opts["period"]
        if isinstance(period, str):  # call_command passes options without argparse's type
            period = period_type(period)
        rules = active_rules()
        found = check_period(period, rules, published_only=opts["published"])
        if opts["json"]:
            print_json({"period": str(period), "rules": len(rules), "violations": found})
            return
        blocking = sum(v["severity"] == BLOCKING for v in found)
        self.stdout.write(f"{period.full_label()}：{len(rules)} 条审核规则，发现 {blocking} 处逻辑性错误、"
                          f"{len(found) - blocking} 处合理性警告。")
        for v in found:
            self.stdout.write(f"  [{'错误' if v['severity'] == BLOCKING else '警告'}·{v['rule_name']}] {v['message']}")
