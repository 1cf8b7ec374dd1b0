"""diaodu tasks extract SPEECH.txt [--json] [--date YYYY-MM-DD] [--all]
diaodu tasks sync-indicators --period YYYY-MM [--force]
diaodu tasks score CORPUS_DIR [--detail]"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from diaodu.engine.periods import Period, PeriodError
from diaodu.supervision.extract import FLAG_LABELS
from diaodu.supervision.models import SupervisionSettings
from diaodu.supervision.speech import draft_tasks


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"日期 {text!r} 格式不对，应为 YYYY-MM-DD，例如 2021-11-05")


class Command(BaseCommand):
    help = "督查督办：从讲话稿提取交办事项草稿（extract）；红灯指标自动开单（sync-indicators）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True, metavar="{extract,sync-indicators,score}")
        ex = sub.add_parser("extract", help="从讲话稿（UTF-8 文本）提取交办事项草稿")
        ex.add_argument("speech", help="讲话稿文件（.txt，UTF-8）")
        ex.add_argument("--json", action="store_true", help="输出 JSON 列表")
        ex.add_argument("--date", help="讲话日期 YYYY-MM-DD（相对期限按此推算；默认今天）")
        ex.add_argument("--all", action="store_true", help="也列出未写明责任单位的要求和泛泛号召")
        ex.add_argument("--region", help="讲话所在政府的区划代码（县区讲话按该县区的部门识别单位；默认本市）")
        sy = sub.add_parser("sync-indicators", help="红灯指标为责任单位开单，指标恢复则自动办结")
        sy.add_argument("--period", required=True, help="期别 YYYY-MM")
        sy.add_argument("--force", action="store_true", help="即使督查设置中未启用也执行")
        sc = sub.add_parser("score", help="在人工标注的讲话稿语料上计算提取的准确率与召回率")
        sc.add_argument("corpus", help="语料目录（NN_名称.txt 与 NN_名称.labels，见 tests/supervision/speeches/README.md）")
        sc.add_argument("--detail", action="store_true", help="列出漏提、多提、单位或期限不对的条目")

    def handle(self, *args, **opts):
        if opts["subcommand"] == "extract":
            return self.extract(opts)
        if opts["subcommand"] == "score":
            return self.score(opts)
        return self.sync(opts)

    def extract(self, opts):
        path = Path(opts["speech"])
        try:
            text = path.read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            raise CommandError(f"找不到文件：{path}")
        except UnicodeDecodeError:
            raise CommandError(f"{path} 不是 UTF-8 文本：请另存为 UTF-8 编码的 .txt")
        date = _date(opts["date"]) if opts.get("date") else SupervisionSettings.today()
        drafts = draft_tasks(text, date, include_unassigned=opts["all"], region_code=opts.get("region"))
        if opts["json"]:
            self.stdout.write(json.dumps([d.to_dict() for d in drafts], ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"讲话日期 {date.isoformat()}，识别出 {len(drafts)} 条交办事项草稿：")
        for i, d in enumerate(drafts, 1):
            deadline = "—"
            if d.deadline:
                deadline = d.deadline.text + (f"（{d.deadline.date.isoformat()}）" if d.deadline.date else "")
            self.stdout.write("")
            self.stdout.write(f"{i:>3}. 牵头：{'、'.join(d.lead_units) or '待指定'}"
                              + (f"  配合：{'、'.join(d.co_units)}" if d.co_units else ""))
            self.stdout.write(f"     事项：{d.action}")
            self.stdout.write(f"     期限：{deadline}")
            self.stdout.write(f"     原文：{d.sentence}")
            self.stdout.write(f"     依据：{' '.join(str(m) for m in d.matched)}")
            for flag in d.flags:
                self.stdout.write(f"     提示：{FLAG_LABELS.get(flag, flag)}")

    def score(self, opts):
        from diaodu.supervision.score import CorpusError, load_corpus, score_corpus

        try:
            speeches = load_corpus(opts["corpus"])
        except CorpusError as exc:
            raise CommandError(str(exc))
        result = score_corpus(speeches)
        for line in result.table():
            self.stdout.write(line)
        if not opts["detail"]:
            return
        for name, label in result.missed:
            self.stdout.write(f"  漏提 {name}：{label.sentence}（{'、'.join(label.units)}：{label.action}）")
        for name, d in result.unmatched_drafts:
            self.stdout.write(f"  多提 {name}：{d.sentence[:40]}（{'、'.join(d.lead_units)}：{d.action[:30]}）")
        for name, label, got in result.wrong_units:
            self.stdout.write(f"  单位 {name}：{label.sentence}：标注 {'、'.join(label.units)}，提取 {'、'.join(got)}")
        for name, label, d in result.wrong_deadlines:
            got = (d.deadline.text + (f"→{d.deadline.date}" if d.deadline.date else "")) if d and d.deadline else "—"
            self.stdout.write(f"  期限 {name}：{label.sentence}：标注 {label.deadline or '—'}，提取 {got}")

    def sync(self, opts):
        from diaodu.supervision.indicator_tasks import sync_indicator_tasks

        try:
            period = Period.parse(opts["period"])
        except PeriodError as exc:
            raise CommandError(str(exc))
        result = sync_indicator_tasks(period, today=SupervisionSettings.today(), force=opts["force"])
        if not result.enabled:
            self.stdout.write("红灯指标自动开单未启用（督查设置），未做任何修改；用 --force 执行一次。")
            return
        self.stdout.write(f"{period} 红灯指标 {len(result.red)} 个；新开单 {len(result.opened)} 件，"
                          f"继续督办 {len(result.kept)} 件，指标恢复自动办结 {len(result.closed)} 件。")
        for task in result.opened:
            self.stdout.write(f"  新开：{task.number} {task.title}（{task.owner_name}）")
        for task in result.closed:
            self.stdout.write(f"  办结：{task.number} {task.title}")
        for label in result.unowned:
            self.stdout.write(f"  未开单（无责任部门，请在督查设置中配置）：{label}")
