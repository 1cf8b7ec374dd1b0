"""diaodu demo [--no-serve] [--host H] [--port P]"""

from __future__ import annotations

import time

from django.core.management import call_command
from django.core.management.base import BaseCommand

from diaodu.demo import loader
from diaodu.demo.accounts import DEMO_PASSWORD


class Command(BaseCommand):
    help = "创建数据库、迁移、加载演示数据（仅一次），并在 127.0.0.1:8000 启动服务"

    def add_arguments(self, parser):
        parser.add_argument("--no-serve", action="store_true", help="只准备数据库，不启动服务")
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args, **opts):
        started = time.monotonic()
        call_command("migrate", interactive=False, verbosity=0)
        if loader.is_loaded():
            self.stdout.write("演示数据已存在，跳过加载。")
        else:
            self.stdout.write("正在加载演示数据（演示数据，非真实统计）…")
            counts = loader.load_demo()
            self.stdout.write("已加载：" + "，".join(f"{k} {v}" for k, v in counts.items()))
            # Fill the dispatch room's result cache so the first page view is fast.
            call_command("precompute", stdout=self.stdout)
        self.stdout.write(f"准备用时 {time.monotonic() - started:.1f} 秒。")
        self.stdout.write("")
        self.stdout.write(f"演示账号（密码均为 {DEMO_PASSWORD}，仅限演示）：")
        for username, _, _, description in loader.DEMO_USERS:
            self.stdout.write(f"  {username:<10} {description}")
        others = loader.other_demo_users()
        if others:
            self.stdout.write("  其他部门账号（同一密码）：" + "、".join(others))
        if opts["no_serve"]:
            return
        self.stdout.write("")
        self.stdout.write(f"登录页：http://{opts['host']}:{opts['port']}/accounts/login/   （Ctrl+C 停止）")
        call_command("serve", host=opts["host"], port=opts["port"])
