"""diaodu otp status|reset USERNAME"""

from __future__ import annotations

import getpass
from types import SimpleNamespace

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from diaodu.accounts import policy
from diaodu.accounts.models import TOTPDevice
from diaodu.audit.records import record_change


class Command(BaseCommand):
    help = "动态口令：status 查看是否启用；reset 解除绑定（用户下次登录时重新绑定）"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["status", "reset"])
        parser.add_argument("username")

    def handle(self, *args, **opts):
        user = get_user_model().objects.filter(username=opts["username"]).first()
        if user is None:
            raise CommandError(f"用户“{opts['username']}”不存在。")
        device = TOTPDevice.objects.filter(user=user).first()
        if opts["action"] == "status":
            state = "已启用" if device and device.confirmed else "未启用"
            need = "须使用" if policy.needs_second_factor(user) else "不要求"
            self.stdout.write(f"{user.username}：动态口令{state}；登录{need}动态口令。")
            return
        if device is None:
            raise CommandError(f"用户“{user.username}”没有绑定动态口令。")
        record_change(SimpleNamespace(pk=None, username=f"cli:{getpass.getuser()}"), "delete", device, object_repr=f"{user.username} 的动态口令",
                      before={"confirmed": device.confirmed}, reason=f"命令行解除绑定（{getpass.getuser()}）",
                      source="cli")
        TOTPDevice.objects.filter(pk=device.pk).delete()
        self.stdout.write(f"已解除“{user.username}”的动态口令绑定：其下次登录时重新绑定。")
