"""diaodu load_regions FILE: add another province's or city's regions."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from diaodu.org import loaders
from diaodu.org.models import PeerGroup, Region


class Command(BaseCommand):
    help = ("从 JSON 文件新增或更名行政区划（开发区、新区或 GB/T 2260 的变更），"
            "格式 {\"regions\": [{code, name, short_name, level, parent}]}")

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, **opts):
        try:
            with transaction.atomic():
                count = loaders.load_regions(Region, opts["file"])
                # The home city's groups (its province's 市州, its 县区) follow the change.
                home = Region.objects.home()
                loaders.load_peer_groups(PeerGroup, Region, parents=[r for r in (home, home and home.parent) if r]
                                         if home else [])
        except (loaders.LoadError, OSError, ValueError, KeyError) as exc:
            raise CommandError(f"加载失败，未写入：{exc}")
        self.stdout.write(f"已加载 {count} 个区划")
