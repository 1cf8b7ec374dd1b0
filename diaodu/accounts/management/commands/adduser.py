"""diaodu adduser USERNAME --unit UNIT --roles 数据填报,数据审核 [--name 姓名]."""

import getpass
import os
import sys

from django.core.management.base import BaseCommand, CommandError

from diaodu.accounts.users import UserError, add_user
from diaodu.org.models import Role


class Command(BaseCommand):
    help = ("新建用户（或修改已有用户的单位、角色）：--unit 区划代码或部门名称/别名，--roles 角色（中文或代码，逗号分隔）；"
            "密码取自环境变量 DIAODU_PASSWORD，未设置时提示输入")

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--unit", required=True, help="所属单位：区划代码（如 620502）或部门（如 市统计局、市发改委）")
        parser.add_argument("--roles", required=True,
                            help="角色，逗号分隔：" + "、".join(f"{r.label}（{r.value}）" for r in Role))
        parser.add_argument("--name", default="", help="姓名")
        parser.add_argument("--email", default="")

    def handle(self, *args, **opts):
        from django.contrib.auth import get_user_model

        password = os.environ.get("DIAODU_PASSWORD") or None
        exists = get_user_model().objects.filter(username=opts["username"]).exists()
        if password is None and not exists:
            if not sys.stdin.isatty():
                raise CommandError("新用户需要密码：设置环境变量 DIAODU_PASSWORD，或在终端中运行以便输入")
            password = getpass.getpass("密码：")
            if password != getpass.getpass("再次输入密码："):
                raise CommandError("两次输入的密码不一致，未创建用户")
        try:
            user, created, unit = add_user(None, opts["username"], unit=opts["unit"], roles=opts["roles"],
                                           name=opts["name"], password=password, email=opts["email"])
        except UserError as exc:
            raise CommandError(str(exc))
        labels = "、".join(user.profile.role_labels())
        verb = "已新建用户" if created else "已更新用户"
        self.stdout.write(f"{verb} {user.username}（{user.first_name or '未填姓名'}）：{unit}，角色 {labels}")
        if Role.ADMIN in user.profile.roles:
            self.stdout.write("管理员首次登录须绑定动态口令（TOTP），见 README「安全」；之后可进入“配置”。")
