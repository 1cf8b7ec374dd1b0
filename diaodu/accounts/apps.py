from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "diaodu.accounts"
    verbose_name = "账户与登录"

    def ready(self) -> None:
        from diaodu.accounts import signals  # noqa: F401  (failures, lockout, password expiry)
