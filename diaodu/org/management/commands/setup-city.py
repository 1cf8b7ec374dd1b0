"""diaodu setup-city CODE: make a 地级 unit the home city (本市)."""

from django.core.management.base import BaseCommand, CommandError

from diaodu.org.setup import NEXT_STEPS, SetupError, setup_city


class Command(BaseCommand):
    help = "设置本市（GB/T 2260 地级代码，例如 620500 天水市）：比较组、市直部门、县区评价方案；可重复运行"

    def add_arguments(self, parser):
        parser.add_argument("code", help="本市的 6 位区划代码")

    def handle(self, *args, **opts):
        try:
            lines = setup_city(opts["code"])
        except SetupError as exc:
            raise CommandError(str(exc))
        for line in lines:
            self.stdout.write(line)
        self.stdout.write(NEXT_STEPS)
