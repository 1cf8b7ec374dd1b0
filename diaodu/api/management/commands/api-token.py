"""diaodu api-token USERNAME [--name N]: create an API token and print it once."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from diaodu.api.models import ApiToken


class Command(BaseCommand):
    help = "为用户创建接口令牌（只显示一次）；令牌以该用户的权限访问 /api/。"

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="令牌用途说明")

    def handle(self, *args, username, name, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"用户不存在：{username}")
        if not user.is_active:
            raise CommandError(f"用户已停用：{username}")
        token, key = ApiToken.issue(user, name=name[:60])
        self.stdout.write(key)
        self.stderr.write(f"已为 {username} 创建令牌 {token.prefix}…（只显示这一次，请妥善保存）。")
