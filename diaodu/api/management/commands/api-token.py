"""diaodu api-token USERNAME [--name N] | --list [USERNAME] | --revoke PREFIX [--reason R]"""

import getpass
from types import SimpleNamespace

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from diaodu.api import tokens
from diaodu.api.models import ApiToken


class Command(BaseCommand):
    help = ("接口令牌：为用户创建令牌（只显示一次；令牌以该用户的权限访问 /api/），"
            "--list 列出令牌，--revoke 前缀 吊销令牌。")

    def add_arguments(self, parser):
        parser.add_argument("username", nargs="?")
        parser.add_argument("--name", default="", help="令牌用途说明")
        parser.add_argument("--list", action="store_true", help="列出令牌（可只列某用户的）")
        parser.add_argument("--revoke", metavar="PREFIX", help="吊销以此开头的令牌（--list 显示的前缀）")
        parser.add_argument("--reason", default="", help="吊销原因（记入审计）")

    def handle(self, *args, username, name, list, revoke, reason, **options):  # noqa: A002
        actor = SimpleNamespace(pk=None, username=f"cli:{getpass.getuser()}")
        if list:
            return self._list(username)
        if revoke:
            return self._revoke(actor, revoke, reason)
        if not username:
            raise CommandError("请给出用户名，或用 --list / --revoke。")
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"用户不存在：{username}")
        if not user.is_active:
            raise CommandError(f"用户已停用：{username}")
        token, key = tokens.issue(actor, user, name=name)
        self.stdout.write(key)
        self.stderr.write(f"已为 {username} 创建令牌 {token.prefix}…（只显示这一次，请妥善保存）。")

    def _list(self, username: str | None) -> None:
        rows = ApiToken.objects.select_related("user").order_by("user__username", "created_at")
        if username:
            rows = rows.filter(user__username=username)
        if not rows:
            self.stdout.write("没有接口令牌。")
            return
        for token in rows:
            used = timezone.localtime(token.last_used_at).strftime("%Y-%m-%d %H:%M") if token.last_used_at else "从未使用"
            created = timezone.localtime(token.created_at).strftime("%Y-%m-%d %H:%M")
            self.stdout.write(f"{token.prefix}…\t{token.user.username}\t{token.name or '-'}\t创建 {created}\t最近使用 {used}")

    def _revoke(self, actor, prefix: str, reason: str) -> None:
        matches = list(ApiToken.objects.select_related("user").filter(prefix__startswith=prefix.rstrip("…")))
        if not matches:
            raise CommandError(f"没有以“{prefix}”开头的令牌（diaodu api-token --list 查看）。")
        if len(matches) > 1:
            raise CommandError(f"有 {len(matches)} 个令牌以“{prefix}”开头：请给出更长的前缀，或在管理后台（配置 → 接口令牌）吊销。")
        token = matches[0]
        tokens.revoke(actor, token, reason=reason)
        self.stdout.write(f"已吊销 {token.user.username} 的令牌 {token.prefix}…：用它的调用从现在起被拒绝。")
