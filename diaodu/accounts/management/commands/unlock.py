"""diaodu unlock USERNAME"""

from __future__ import annotations

import getpass

from django.core.management.base import BaseCommand, CommandError

from diaodu.accounts import policy


class Command(BaseCommand):
    help = "解除因连续登录失败而锁定的账户（记入登录记录）"

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, **opts):
        name = opts["username"]
        if not policy.unlock(name, by=f"命令行（{getpass.getuser()}）"):
            raise CommandError(f"账户“{name}”未被锁定。")
        self.stdout.write(f"已解除账户“{name}”的锁定。")
