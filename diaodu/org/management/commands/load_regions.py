"""diaodu load_regions FILE: add another province's or city's regions."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from diaodu.org import loaders
from diaodu.org.models import PeerGroup, Region


class Command(BaseCommand):
    help = "从 JSON 文件加载行政区划（GB/T 2260），格式同 diaodu/org/data/regions_gansu.json"

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, **opts):
        try:
            with transaction.atomic():
                count = loaders.load_regions(Region, opts["file"])
                loaders.load_peer_groups(PeerGroup, Region)
        except (loaders.LoadError, OSError, ValueError, KeyError) as exc:
            raise CommandError(f"加载失败，未写入：{exc}")
        self.stdout.write(f"已加载 {count} 个区划")
