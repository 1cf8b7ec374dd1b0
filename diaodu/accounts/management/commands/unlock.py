"""diaodu unlock USERNAME"""

from __future__ import annotations

import getpass
import logging

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
        # Announced in the server's log: the last active 管理员 has no one to unlock them in the web.
        last_admin = _is_last_active_admin(name)
        logging.getLogger("diaodu.security").warning(
            "登录锁定由命令行解除：账户 %s（操作系统用户 %s）%s", name, getpass.getuser(),
            "——最后一名在职管理员" if last_admin else "")
        self.stdout.write(f"已解除账户“{name}”的锁定。" + ("（最后一名在职管理员，已记入日志）" if last_admin else ""))


def _is_last_active_admin(username: str) -> bool:
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    from diaodu.org.models import Role

    admins = [u for u in get_user_model().objects.filter(is_active=True).select_related("profile")
              .filter(Q(is_superuser=True) | Q(profile__roles__icontains=Role.ADMIN.value))
              if u.is_superuser or Role.ADMIN in (getattr(getattr(u, "profile", None), "roles", None) or [])]
    return [u.get_username() for u in admins] == [username]
