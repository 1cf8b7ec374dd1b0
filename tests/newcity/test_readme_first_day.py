"""README's 新城市上线, followed literally: every command of its ```sh block, copied from the README,
run in order on a fresh test database (files the commands read are made just before, as the
statistics bureau would hand them over)."""

from __future__ import annotations

import re
import shlex
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from diaodu.indicators.models import Observation, Target
from diaodu.org import home
from diaodu.org.models import Department
from tests.ingest.corpus import HEADER, TARGET_HEADER, write_xlsx

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
COUNTIES = [("620502", "秦州区"), ("620503", "麦积区"), ("620521", "清水县"), ("620522", "秦安县"),
            ("620523", "甘谷县"), ("620524", "武山县"), ("620525", "张家川回族自治县")]


def first_day_commands() -> list[str]:
    section = README.split("## 新城市上线", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", section, re.S).group(1)
    return [line.strip() for line in block.splitlines() if line.strip() and not line.startswith("#")]


def wide_table(path: Path, year: int) -> None:
    rows = [[f"{year}年1-12月县区主要经济指标完成情况表"],
            ["县区", "固定资产投资", None, None, "社会消费品零售总额", None, None],
            [None, "1-12月累计", "同比增长%", "位次", "1-12月累计", "同比增长%", "位次"]]
    # Each year's total is last year's plus 1, and the growth says so (the consistency rule checks it).
    def series(base: float, step: float) -> list[tuple[float, float]]:
        values = [base + step * i + year % 10 for i in range(len(COUNTIES))]
        return [(v, round((v / (v - 1) - 1) * 100, 1)) for v in values]

    fai, retail = series(100.0, 10), series(50.0, 5)

    def ranks(values):
        return [1 + sum(o[1] > v[1] for o in values) for v in values]

    for i, (_, name) in enumerate(COUNTIES):
        rows.append([name, *fai[i], ranks(fai)[i], *retail[i], ranks(retail)[i]])
    write_xlsx(path, rows, title="县区主要指标", merges=("A1:G1", "A2:A3", "B2:D2", "E2:G2"))


def inputs_for(command: list[str], folder: Path) -> None:
    """The file an import command reads, made as the bureau would hand it over."""
    name = command[1] if len(command) > 1 else ""
    if command[0] != "import":
        return
    if name.endswith("县区主要经济指标完成情况表.xlsx"):
        wide_table(folder / name, int(name[:4]))
    elif name == "数据.xlsx":
        write_xlsx(folder / name, [HEADER, ["620500", "天水市", "gdp", "2025-12", 800.5, 5.6, ""],
                                   ["620502", "秦州区", "gdp", "2025-12", 260.1, 5.9, ""]])
    elif name == "目标.xlsx":
        write_xlsx(folder / name, [TARGET_HEADER, ["620500", "天水市", "gdp", 2026, None, 6.0, "市定", ""]],
                   title="目标")


@pytest.mark.django_db
def test_readme_first_day_runs_as_written(tmp_path, monkeypatch):
    commands = first_day_commands()
    assert any(c.startswith("diaodu setup-city") for c in commands)
    assert any("DJANGO_SUPERUSER_PASSWORD=" in c for c in commands)
    monkeypatch.chdir(tmp_path)
    outputs = []
    for line in commands:
        words = shlex.split(line)
        env = {}
        while "=" in words[0]:
            key, value = words.pop(0).split("=", 1)
            env[key] = value
        assert words[0] == "diaodu", line
        for key in ("DJANGO_SUPERUSER_PASSWORD", "DIAODU_PASSWORD"):
            monkeypatch.delenv(key, raising=False)
        for key, value in env.items():
            monkeypatch.setenv(key, value)
        inputs_for(words[1:], tmp_path)
        out = StringIO()
        call_command(*words[1:], stdout=out, stderr=StringIO())
        assert out.getvalue().strip() or words[1] in ("migrate", "createsuperuser"), f"{line}: printed nothing"
        outputs.append(out.getvalue())
    assert home.home_code() == "620500"
    assert Department.objects.get(region_id="620500", name="市发改委").full_name == "天水市发展和改革委员会"
    years = set(Observation.objects.filter(region_id="620502", indicator__code="fai").values_list("year", flat=True))
    assert years == {2023, 2024, 2025}
    assert Observation.objects.filter(region_id="620500", indicator__code="gdp", year=2025, month=12).exists()
    assert Target.objects.filter(region_id="620500", year=2026).count() == 1
    assert (tmp_path / "模板.xlsx").stat().st_size > 5000
    assert (tmp_path / "经济运行情况通报.docx").stat().st_size > 5000
