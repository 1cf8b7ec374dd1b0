"""diaodu serve [--host 127.0.0.1] [--port 8000] [--workers N]: the production server (gunicorn)."""

from __future__ import annotations

import os

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "用 gunicorn 启动 Web 服务（静态文件由 WhiteNoise 提供）"

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=int(os.environ.get("DIAODU_WORKERS", "2")))
        parser.add_argument("--threads", type=int, default=int(os.environ.get("DIAODU_THREADS", "4")))

    def handle(self, *args, **opts):
        from django.db import connections
        from gunicorn.app.base import BaseApplication

        from diaodu.wsgi import application

        class Server(BaseApplication):
            def load_config(self):
                self.cfg.set("bind", f"{opts['host']}:{opts['port']}")
                self.cfg.set("workers", opts["workers"])
                self.cfg.set("threads", opts["threads"])
                self.cfg.set("accesslog", os.environ.get("DIAODU_ACCESS_LOG") or None)
                self.cfg.set("timeout", 120)

            def load(self):
                # Workers fork from this process: none may inherit an open database connection
                # (connections persist for CONN_MAX_AGE and SQLite's must not cross a fork).
                connections.close_all()
                return application

        Server().run()
