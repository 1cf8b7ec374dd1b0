"""Briefings benchmark (issue 5, "Must show"): the full meeting pack for the demo city in under 2 s.

Loads the demo into a fresh temporary SQLite database (figures, targets, supervision tasks), builds
the pack once to fill the engine's result cache, then times ``diaodu.briefings.build.pack`` (every
document: economy 通报, county table, evaluation 通报 + table, weak items, speech draft with its
sources, 督查通报), generation only, no PDF. Baseline in the same run: python-docx and openpyxl
writing the same tables alone (the same cell texts into bare documents and workbooks, saved to
memory). Prints the time, the baseline and their ratio. The developer's var/ database is never
touched.

    .venv/bin/python bench/brief_bench.py [--period 2021-10] [--repeat 5] [--keep]

Exits 1 when the pack takes 2 s or more.
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import statistics
import sys
import tempfile
import time
from io import StringIO
from pathlib import Path

TARGET_SECONDS = 2.0


def setup(workdir: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ["DIAODU_HOME"] = str(workdir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "diaodu.settings"
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    import django

    django.setup()
    from django.core.management import call_command

    from diaodu.demo import loader

    call_command("migrate", verbosity=0, interactive=False)
    ledgers = loader.DEMO_LEDGERS
    loader.DEMO_LEDGERS = [m for m in ledgers if m == "diaodu.supervision.demo"]  # what the briefings read
    try:
        loader.load_demo()
    finally:
        loader.DEMO_LEDGERS = ledgers
    call_command("precompute", stdout=StringIO())


def baseline(docs) -> float:
    """python-docx and openpyxl alone: the same tables (cell texts) and paragraphs, saved to memory."""
    from docx import Document
    from openpyxl import Workbook

    started = time.perf_counter()
    for doc in docs:
        document = Document()
        for block in doc.blocks:
            if block.kind == "table":
                t = block.table
                table = document.add_table(rows=1 + len(t.rows), cols=len(t.columns))
                rows = table.rows
                for cell, col in zip(rows[0].cells, t.columns, strict=True):
                    cell.text = col.label
                for row, data in zip(rows[1:], t.rows, strict=True):
                    for cell, value in zip(row.cells, data, strict=True):
                        cell.text = value.text
            else:
                document.add_paragraph(block.text)
        document.save(io.BytesIO())
        if doc.tables:
            wb = Workbook()
            wb.remove(wb.active)
            for i, t in enumerate(doc.tables):
                ws = wb.create_sheet(f"s{i}")
                ws.append([c.label for c in t.columns])
                for data in t.rows:
                    ws.append([v.value for v in data])
            wb.save(io.BytesIO())
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--period", default="2021-10")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="brief-bench-"))
    try:
        t0 = time.perf_counter()
        setup(workdir)
        print(f"演示数据已加载（{time.perf_counter() - t0:.1f} 秒）：{workdir}")
        from diaodu.briefings import build
        from diaodu.briefings.data import PeriodData
        from diaodu.briefings.economy import economy, weak_items
        from diaodu.briefings.evaluation import evaluation, supervision, supervision_available
        from diaodu.briefings.speech import speech
        from diaodu.evaluation import compute

        data = build.pack(args.period)  # fills the result cache (stored results, as after `diaodu demo`)
        entries = build.pack_entries(args.period)
        pack_times = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            data = build.pack(args.period)
            pack_times.append(time.perf_counter() - started)
        with compute.snapshot():
            d = PeriodData(args.period)
            docs = [economy(d.period, d), build.table_doc(d.period, d), evaluation(d.period, d),
                    weak_items(d.period, d), speech(d.period, d)]
            if supervision_available():
                docs.append(supervision())
        base_times = [baseline(docs) for _ in range(args.repeat)]
        pack_s, base_s = statistics.median(pack_times), statistics.median(base_times)
        tables = sum(len(doc.tables) for doc in docs)
        print(f"会前材料包 {args.period}：{len(entries)} 个文件，{len(data) / 1024:.0f} KB，{tables} 张表")
        print(f"生成用时（中位数，{args.repeat} 次）：{pack_s:.3f} 秒（目标 < {TARGET_SECONDS:.0f} 秒）")
        print(f"python-docx + openpyxl 单独写同样的表格与段落：{base_s:.3f} 秒")
        print(f"比值：{pack_s / base_s:.2f}")
        return 0 if pack_s < TARGET_SECONDS else 1
    finally:
        if args.keep:
            print(f"保留目录：{workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
