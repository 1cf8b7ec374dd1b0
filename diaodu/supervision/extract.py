"""Speech -> draft tasks: a rule-based, deterministic extractor.

A dispatch-meeting speech gives instructions ("市发改委要认真研究，尽快制定出台方案").
This module finds them and drafts one task per instruction: the lead unit(s), the
action, the deadline when one is stated, the sentence it came from and the words
that matched, so that a reviewer can confirm or reject each draft.

Pure Python, no Django import: the CLI (`diaodu tasks extract`) and the web page
wrap it.

How it works
------------
1. The text is split into paragraphs (lines), headings ("第二、…", "一是…"), and
   sentences (ending with 。！？；).
2. In every sentence, each clause start (sentence start, after "，" or "：") is
   tried as a subject: a run of unit mentions from the `UnitDictionary`
   (departments with aliases, counties, collective subjects such as 各县区各部门)
   joined by 、/和/及/与, optionally followed by roles (主要负责人, 一把手 …).
   A subject followed by a directive marker (要, 务必, 必须, 确保, 尽快, 抓紧,
   限期 …) opens an instruction; its action runs to the end of the sentence or
   to the next subject clause.  Unit names anywhere else (objects, "对…的县区")
   are ignored on purpose.
3. A sentence with no subject that begins with "要" (possibly after a leading
   "对…，" clause) inherits the subject of the previous instruction in the same
   paragraph, but only while that paragraph has had a single addressee so far:
   after two different addressees, a subjectless "要…" is usually addressed to
   everyone and is not attributed to the last one.  Inherited drafts carry the
   flag ``inherited_subject``.
4. Deadlines ("入冬前", "今年*月中旬前", "限期", "四季度", "年底前",
   "今后两个月", "尽快" …) and quantities ("*户企业") are read from the action.
"""

from __future__ import annotations

import calendar
import datetime
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "FLAG_LABELS",
    "Deadline",
    "DraftTask",
    "Match",
    "Quantity",
    "Subject",
    "Unit",
    "UnitDictionary",
    "default_units",
    "extract_tasks",
    "lidong_date",
    "resolve_deadline",
]

DATA_DIR = Path(__file__).resolve().parent.parent / "org" / "data"
DEPARTMENTS_FILE = DATA_DIR / "departments_city.json"  # the standard departments, {city}/{short} in names
REGIONS_FILE = DATA_DIR / "regions_china.json.gz"

# Flag codes -> labels shown to the reviewer.
FLAG_LABELS: dict[str, str] = {
    "deadline_to_be_set": "讲话要求限期办理，具体期限待定",
    "deadline_masked": "期限中的月份或日期已隐去，需人工确定",
    "deadline_passed": "按讲话日期推算，该期限已过",
    "inherited_subject": "本句未写明责任单位，沿用本段上文的责任单位，请核对",
    "collective_subject": "责任主体为集合称谓（如各县区、各级各部门），已展开为具体单位",
    "unit_not_in_catalogue": "责任主体不在机构目录中，需指定牵头单位",
    "unit_to_be_assigned": "本句未写明责任单位，需指定牵头单位",
    "refers_to_context": "办理事项指代上文（如“这件事”），请结合上下文核对",
    "audience_subject": "本段未写明责任单位，按讲话开头点名的与会对象（如“会后各级各有关部门要抓好落实”）起草，请核对",
    "quoted_demand": "转述上级领导的要求，请核对责任单位",
    "exhortation": "泛泛号召或作风要求，没有可单独督办的事项（仅在“全部”中列出）",
}

# Words of exhortation ("军令状", "夙夜在公") and of things a task can be checked on.
_EXHORTATION_RE = re.compile(
    r"状态|精神|作风|姿态|模式|答卷|军令状|倒计时|作战图|责任书|肩上|手上|夙夜在公|履职尽责|不落伍|不掉队"
    r"|只争朝夕|时不我待|脚踏实地|埋头苦干|不务虚功|善始善终|善作善成|新招|实招|硬招|责任感|紧迫感|危机感"
    r"|使命感|站位|担当|干劲|斗志|一线|氛围|认识到位|精力到位"
)
_CONCRETE_RE = re.compile(
    r"项目|企业|资金|收入|投资|清单|方案|手续|土地|指标|增速|申报|报送|统计|入库|开工|招商|贷款|债券|产值"
    r"|增加值|消费|税|预算|排名|位次|全省|全市|平均"
)


def _is_exhortation(action: str) -> bool:
    """An action made of slogans with nothing a supervisor could check (a reader rejects it)."""
    return len(set(_EXHORTATION_RE.findall(action))) >= 3 and not _CONCRETE_RE.search(action)

KIND_DEPARTMENT = "department"
KIND_COUNTY = "county"
KIND_COLLECTIVE = "collective"
KIND_EXTERNAL = "external"  # a subject outside the org catalogue (通讯行业, 各规划编制牵头单位)

# ---------------------------------------------------------------------------
# Units
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Unit:
    """A subject a speech can address, resolved to catalogue names.

    `members` are the catalogue names the unit stands for: (name,) for a
    department or a county, every county for 各县区, nothing for a subject
    outside the catalogue.  `role` is set for subjects that name leaders
    (主要领导, 县区副书记).
    """

    name: str
    kind: str
    members: tuple[str, ...]
    role: str = ""


# Roles that may follow a unit inside a subject ("各级各部门主要负责人").
ROLES: tuple[str, ...] = (
    "党政主要负责人",
    "主要负责同志",
    "主要负责人",
    "主要领导",
    "分管领导",
    "分管负责人",
    "负责同志",
    "负责人",
    "一把手",
    "班子成员",
    "副书记",
    "书记",
    "县长",
    "区长",
)


class UnitDictionary:
    """Surface forms (names, aliases, collective subjects) -> `Unit`."""

    def __init__(
        self,
        departments: Iterable[tuple[str, Iterable[str]]],
        counties: Iterable[tuple[str, Iterable[str]]],
        *,
        level: str = "city",
    ):
        self.level = level  # "city" or "county": the government the speech addresses
        self.departments: list[str] = []
        self.counties: list[str] = []
        self._surfaces: dict[str, Unit] = {}
        for name, aliases in departments:
            unit = Unit(name, KIND_DEPARTMENT, (name,))
            self.departments.append(name)
            for surface in (name, *aliases):
                self._add(surface, unit)
        for name, aliases in counties:
            unit = Unit(name, KIND_COUNTY, (name,))
            self.counties.append(name)
            for surface in (name, *aliases):
                self._add(surface, unit)
        self._add_collectives()
        self._max_len = max(len(s) for s in self._surfaces) if self._surfaces else 0

    # -- construction -----------------------------------------------------

    @classmethod
    def from_files(cls, departments_json_path: str | Path, regions_json_path: str | Path,
                   city: str | None = None) -> UnitDictionary:
        """Build from the org catalogue files (departments with aliases, GB/T 2260 regions).

        Counties are the regions of level "county" whose parent is ``city`` (or the
        departments file's "region", else the demo's city); ``{city}``/``{short}`` in the
        departments' names become the city's name and short name.
        """
        import gzip

        dep_data = json.loads(Path(departments_json_path).read_text(encoding="utf-8"))
        raw = Path(regions_json_path).read_bytes()
        reg_data = json.loads(gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw)
        if reg_data.get("columns"):
            reg_data["regions"] = [dict(zip(reg_data["columns"], r, strict=True)) for r in reg_data["regions"]]
        if not (city or dep_data.get("region")):
            from diaodu.demo.figures import HOME_CITY  # no city given: the demo's, as default_units()

            city = HOME_CITY
        city = city or dep_data.get("region")
        names = {r["code"]: r for r in reg_data["regions"]}
        own = names.get(city, {})
        short = own.get("short_name", "")
        fill = {"city": own.get("name", ""), "short": short[:-1] if len(short) > 2 and short[-1] in "市州盟" else short}
        for d in dep_data["departments"]:
            d["name"], d["full_name"] = d["name"].format(**fill), d.get("full_name", "").format(**fill)
            d["aliases"] = [a.format(**fill) for a in d.get("aliases", [])]
        departments = [(d["name"], [a for a in d.get("aliases", []) if a]) for d in dep_data["departments"]]
        for d, (_, aliases) in zip(dep_data["departments"], departments, strict=True):
            full = d.get("full_name")
            if full and full not in aliases:
                aliases.append(full)
        counties = []
        for r in reg_data["regions"]:
            if r.get("level") != "county" or (city and r.get("parent") != city):
                continue
            short = r.get("short_name")
            counties.append((r["name"], [short] if short and short != r["name"] else []))
        return cls(departments, counties)

    def _add(self, surface: str, unit: Unit, *, override: bool = False) -> None:
        surface = surface.strip()
        if not surface:
            return
        if override or surface not in self._surfaces:
            self._surfaces[surface] = unit

    def _add_collectives(self) -> None:
        counties = tuple(self.counties)
        departments = tuple(self.departments)
        everyone = counties + departments

        def collective(
            names: Iterable[str], members: tuple[str, ...], *, role: str = "", canonical: str = "",
            governments: bool = False,
        ) -> None:
            names = list(names)
            unit = Unit(canonical or names[0], KIND_COLLECTIVE, members, role)
            for s in names + [f"{n}{g}" for n in names for g in ("政府", "人民政府") if governments]:
                self._add(s, unit, override=True)

        collective(
            [
                "各县区",
                "各县（区）",
                "各县(区)",
                "各区县",
                "县区",
                "区县",
                "各县",
                "各县(市、区)",
                "各县（市、区）",
                "各县(市，区)",
                "各县（市，区）",
                "各县市区",
                "各县(市)区",
                "各县（市）区",
                "各县市",
                "各市县区",
                "各区县(市)",
                "各区县（市）",
            ],
            counties,
            governments=True,  # "各县区政府要…", "各县（市、区）人民政府要…"
        )
        collective(
            [
                "各部门",
                "各有关部门",
                "各相关部门",
                "有关部门",
                "相关部门",
                "市直各部门",
                "市直部门",
                "市直有关部门",
                "市直相关部门",
                "市直各有关部门",
                "市直各相关部门",
                "县直各部门",
                "县直有关部门",
                "县直相关部门",
                "县直各有关部门",
                "县直各相关部门",
                "区直各部门",
                "区直有关部门",
                "区直相关部门",
                "各职能部门",
            ],
            departments,
        )
        collective(
            [
                "各县区各部门",
                "各县区、各部门",
                "各县区和各部门",
                "各县区、市直各部门",
                "各县区、各有关部门",
                "各县区和市直各部门",
            ],
            everyone,
        )
        collective(
            [
                "各级各部门",
                "市县各级各部门",
                "各级各有关部门",
                "各级各相关部门",
                "各级",
                "全县各级各部门",
                "全市各级各部门",
                "全区各级各部门",
                "全县各级各有关部门",
                "全市各级各有关部门",
            ],
            everyone,
        )
        for whole in ("全市上下", "全县上下", "全区上下", "各地各部门"):
            collective([whole], everyone)
        # Townships and units a catalogue may not hold: kept as their canonical name.
        collective(
            [
                "各乡镇",
                "各乡镇(处)",
                "各乡镇（处）",
                "各乡(镇、办)",
                "各乡（镇、办）",
                "各乡镇办",
                "各镇(街)",
                "各镇（街）",
                "各镇(街道)",
                "各镇（街道）",
                "各乡镇(街道)",
                "各乡镇（街道）",
                "各乡镇街道",
                "各镇",
                "各乡",
            ],
            (),
        )
        collective(["各相关单位", "各有关单位"], ())
        collective(["各单位"], ())
        for deputies in ("各位副市长", "各位副县长", "各位副区长"):
            collective([deputies], (), role=deputies[2:])
        collective(["市县两级", "市县各级", "市、县区两级", "市县区两级"], everyone)
        collective(["主要领导", "各县区主要领导", "县区主要领导"], counties, role="主要领导")
        collective(["县区副书记", "各县区副书记"], counties, role="副书记")
        for names in (
            ["通讯行业", "通信行业", "通讯运营商", "通信运营商", "各通讯运营企业", "各通信运营企业"],
            ["项目方"],
            ["项目单位", "各项目单位"],
            ["办事处", "各办事处"],
        ):
            unit = Unit(names[0], KIND_EXTERNAL, ())
            for s in names:
                self._add(s, unit, override=True)
        # Aliases whose canonical department is named in the brief; they are already
        # in the shipped catalogue, added here in case a catalogue lacks them.
        survey = next((d for d in departments if d.startswith("国家统计局") and d.endswith("调查队")), "")
        for surface, target in (("非税部门", "市财政局"), ("统计调查队", survey)):
            if target in departments and surface not in self._surfaces:
                self._add(surface, Unit(target, KIND_DEPARTMENT, (target,)))

    # -- lookup -----------------------------------------------------------

    def resolve(self, mention: str) -> Unit | None:
        """The unit a whole mention stands for, or None."""
        mention = mention.strip()
        unit = self._surfaces.get(mention)
        if unit is None:
            m = _DESIGNATED_LEAD_RE.fullmatch(mention)
            if m:
                unit = Unit(mention, KIND_EXTERNAL, ())
        if unit is None and _GENERIC_UNIT_RE.fullmatch(mention):
            unit = self.resolve_generic(mention)
        return unit

    def match_at(self, text: str, pos: int, *, generic: bool = False) -> tuple[str, Unit] | None:
        """Longest surface form starting at `pos` (dictionary, then "各…牵头单位"; with
        `generic`, then a unit named the way governments name them: 县发改局, 工业发展局)."""
        for length in range(min(self._max_len, len(text) - pos), 0, -1):
            surface = text[pos : pos + length]
            unit = self._surfaces.get(surface)
            if unit is not None:
                return surface, unit
        m = _DESIGNATED_LEAD_RE.match(text, pos)
        if m:
            return m.group(0), Unit(m.group(0), KIND_EXTERNAL, ())
        if generic:
            m = _GENERIC_UNIT_RE.match(text, pos)
            if m:
                return m.group(0), self.resolve_generic(m.group(0))
        return None

    def resolve_generic(self, mention: str) -> Unit:
        """A unit named generically (县发改局, 市发展改革委, 工业发展局) resolved against the
        departments of the speech's level by the stem of its name; one of another level
        (县统计局 in a city speech) or unknown is kept as text, out of the catalogue."""
        prefix = mention[0] if mention[0] in "市县区" else ""
        if not prefix or prefix in _LEVEL_PREFIX.get(self.level, ""):
            name = self._stems().get(_unit_stem(mention))
            if name:
                return Unit(name, KIND_DEPARTMENT, (name,))
        return Unit(mention, KIND_EXTERNAL, ())

    def _stems(self) -> dict[str, str]:
        if not hasattr(self, "_stem_index"):
            index: dict[str, str] = {}
            for surface, unit in self._surfaces.items():
                if unit.kind == KIND_DEPARTMENT and _GENERIC_UNIT_RE.fullmatch(surface):
                    index.setdefault(_unit_stem(surface), unit.name)
            self._stem_index = index
        return self._stem_index

    def surfaces(self) -> dict[str, str]:
        """Every surface form -> canonical name (for display and tests)."""
        return {s: u.name for s, u in sorted(self._surfaces.items())}


# "各规划编制牵头单位", "各牵头单位", "相关责任单位": units to be designated.
_DESIGNATED_LEAD_RE = re.compile(
    r"各[\u4e00-\u9fff]{0,8}?(?:牵头单位|责任单位|承办单位)|各[\u4e00-\u9fff]{1,5}?部门(?=[都也更还均要务必须需应负牵确尽抓限立迅等])"
)

# Department stems as governments write them; synonyms first map to the short form.
_STEM_SYNONYMS = (
    ("发展和改革", "发改"),
    ("发展改革", "发改"),
    ("工业和信息化", "工信"),
    ("经济和信息化", "工信"),
    ("经信", "工信"),
    ("人力资源和社会保障", "人社"),
    ("住房和城乡建设", "住建"),
    ("卫生健康", "卫健"),
    ("市场监督管理", "市场监管"),
    ("文化和旅游", "文旅"),
    ("交通运输", "交通"),
    ("应急管理", "应急"),
    ("投资促进", "投促"),
    ("招商", "投促"),
)
_STEMS = (
    "发展和改革|发展改革|发改|工业和信息化|经济和信息化|经济信息和科技|科技经信|科技工业信息化|工信|经信"
    "|工业发展|工管|统计|财政|税务|商务|住房和城乡建设|住建|自然资源|交通运输|交通|农业农村|农业|水利|水务"
    "|林业|林草|文化和旅游|文旅|教育|教体|卫生健康|卫健|人力资源和社会保障|人社|民政|应急管理|应急"
    "|市场监督管理|市场监管|生态环境|环保|审计|公安|司法|乡村振兴|扶贫|投资促进|投促|招商|能源|粮食"
    "|医保|城管|规划|国土|房管|金融|政府目标|目标|国调|科技|数据|营商环境"
)
_GENERIC_UNIT_RE = re.compile(
    rf"[市县区]?(?:{_STEMS})(?:委员会|局|委|办公室|办|中心|队)"
    r"|[\u4e00-\u9fff]{0,6}?(?:经济技术开发区|经济开发区|高新技术产业开发区|开发区|高新区|经开区|工业园区|产业园区|园区)"
    r"(?:管委会)?"
    r"|(?:[\u4e00-\u9fff]{2}(?=[县区]委))?[县区](?:委|政府)(?![员会办])"
)
_LEVEL_PREFIX = {"city": "市", "county": "县区"}


def _unit_stem(name: str) -> str:
    stem = name[1:] if name[:1] in "市县区" else name
    stem = re.sub(r"(?:委员会|局|委|办公室|办|中心|队)$", "", stem)
    for long, short in _STEM_SYNONYMS:
        stem = stem.replace(long, short)
    return stem

_DEFAULT_UNITS: UnitDictionary | None = None


def default_units() -> UnitDictionary:
    """The dictionary built from the shipped catalogue (diaodu/org/data/) for the demo city,
    where no database says which city is home."""
    global _DEFAULT_UNITS
    if _DEFAULT_UNITS is None:
        _DEFAULT_UNITS = UnitDictionary.from_files(DEPARTMENTS_FILE, REGIONS_FILE)
    return _DEFAULT_UNITS


# ---------------------------------------------------------------------------
# Result types
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Match:
    """One thing the rules matched: kind is unit, role, marker, deadline, quantity, inherited, co_unit."""

    kind: str
    text: str
    value: str = ""

    def to_dict(self) -> dict:
        return {"kind": self.kind, "text": self.text, "value": self.value}

    def __str__(self) -> str:
        return f"{self.kind}:{self.text}" + (f"→{self.value}" if self.value else "")


@dataclass(frozen=True)
class Deadline:
    """A deadline as stated, and the date it resolves to when it can be resolved.

    kind: "date" (resolved), "month_masked" (the month is masked as "*"),
    "to_be_set" (限期), "as_scheduled" (按期), "immediate" (立即), "asap" (尽快),
    "recurring" (每月25日前: ``recurrence`` and ``report_day``, no end date),
    "unresolved" (recognised but not resolvable).
    """

    text: str
    kind: str
    date: datetime.date | None = None
    reason: str = ""
    recurrence: str = ""  # "monthly" / "quarterly" (Task.Recurrence)
    report_day: int | None = None

    def to_dict(self) -> dict:
        return {
            "text": self.text,
            "kind": self.kind,
            "date": self.date.isoformat() if self.date else None,
            "reason": self.reason,
            "recurrence": self.recurrence,
            "report_day": self.report_day,
        }


@dataclass(frozen=True)
class Quantity:
    """A quantity stated with the task ("*户企业", "全部入住"); value None when masked or not numeric."""

    text: str
    value: float | None
    unit: str
    note: str = ""

    def to_dict(self) -> dict:
        return {"text": self.text, "value": self.value, "unit": self.unit, "note": self.note}


@dataclass(frozen=True)
class Subject:
    """A subject as stated in the speech and what it resolved to."""

    mention: str
    name: str
    kind: str
    members: tuple[str, ...]
    role: str = ""

    def to_dict(self) -> dict:
        return {
            "mention": self.mention,
            "name": self.name,
            "kind": self.kind,
            "members": list(self.members),
            "role": self.role,
        }


@dataclass
class DraftTask:
    lead_units: list[str]
    co_units: list[str]
    action: str
    deadline: Deadline | None
    sentence: str
    section: str
    chapter: str = ""
    matched: list[Match] = field(default_factory=list)
    quantity: Quantity | None = None
    subjects: list[Subject] = field(default_factory=list)
    responsible_role: str = ""
    flags: list[str] = field(default_factory=list)
    context: str = ""
    paragraph: int = 0
    offset: int = 0

    def to_dict(self) -> dict:
        return {
            "lead_units": list(self.lead_units),
            "co_units": list(self.co_units),
            "action": self.action,
            "deadline": self.deadline.to_dict() if self.deadline else None,
            "sentence": self.sentence,
            "section": self.section,
            "chapter": self.chapter,
            "matched": [m.to_dict() for m in self.matched],
            "quantity": self.quantity.to_dict() if self.quantity else None,
            "subjects": [s.to_dict() for s in self.subjects],
            "responsible_role": self.responsible_role,
            "flags": list(self.flags),
            "flag_labels": [FLAG_LABELS.get(f, f) for f in self.flags],
            "context": self.context,
            "paragraph": self.paragraph,
            "offset": self.offset,
        }


# ---------------------------------------------------------------------------
# Deadlines
# ---------------------------------------------------------------------------

_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "十": 10,
}


def _cn_number(s: str) -> int | None:
    """'12' / '十二' / '二十' / '3' -> int; None for a mask ('*') or anything else."""
    if s.isdigit():
        return int(s)
    if not s or any(c not in _CN_DIGITS for c in s):
        return None
    if "十" in s:
        tens, _, ones = s.partition("十")
        return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)
    if len(s) == 1:
        return _CN_DIGITS[s]
    return None


def lidong_date(year: int) -> datetime.date:
    """立冬 (start of winter, sun at 225°) of `year`, by the standard formula for 1901–2099."""
    y = year % 100
    c = 7.438 if year >= 2001 else 8.218
    day = int(y * 0.2422 + c) - y // 4
    if year == 2089:  # the formula's known exception in this century
        day += 1
    return datetime.date(year, 11, day)


def _add_months(d: datetime.date, months: int) -> datetime.date:
    m = d.month - 1 + months
    year, month = d.year + m // 12, m % 12 + 1
    return datetime.date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


_NUM = r"(?:\d{1,2}|[一二两三四五六七八九十]{1,3}|\*+|＊+|X+|x+|×+)"
_MONTH_RE = re.compile(
    rf"(?P<year>今年|本年|明年|年内)?(?P<month>{_NUM})月(?P<fen>份)?"
    rf"(?:(?P<part>上旬|中旬|下旬|底|末|中)|(?P<day>{_NUM})(?:日|号))?(?P<before>前|之前|以前|底前)?"
)
# "12月份" and "3月底" are deadlines only where the sentence sets a term: "确保12月份…",
# "3月底必须…"; "1-2月份经济指标", "截至*月底" are periods reported on.
_MONTH_TERM_BEFORE_RE = re.compile(r"(?:确保|在|于|力争|争取|到|务必|必须|要)$")
_MONTH_NOT_TERM_BEFORE_RE = re.compile(r"(?:截至|截止|截止到|[-－—~至到])$")
_MONTH_END_RE = re.compile(r"(?<![0-9一二三四五六七八九十两*＊Xx×])(?:本月底|本月末|月底前|月底|月末)")
_WEEK_RE = re.compile(r"本周内|本周末|本周|这周内|一周内")
_RELATIVE_MONTH_DAY_RE = re.compile(rf"(?P<which>本月|当月|下月|下个月)(?P<day>{_NUM})(?:日|号)(?:前|之前|以前)?")
# "两周内", "10个工作日内" (not "3月30日内": a date, read above)
# "每月25日前报送": a report due every month (or quarter) on that day, until the task is closed.
_RECURRING_RE = re.compile(rf"每(?P<per>月|个月|季度?)(?P<day>{_NUM})(?:日|号)(?:前|之前|以前)?")
MAX_REPORT_DAY = 28  # Task.report_day's bound (models.MAX_REPORT_DAY): this module runs without Django
_WITHIN_RE = re.compile(rf"(?<![月\d一二三四五六七八九十两])(?P<n>{_NUM})(?P<unit>周|个星期|天|日|个工作日)(?:内|之内)")
# Holidays a speech sets terms by: the day before (春节 from its table: a lunar date).
_HOLIDAY_RE = re.compile(r"(?P<name>春节|元旦|国庆节?|五一|劳动节)(?:前|之前|以前)")
SPRING_FESTIVAL = {
    2020: (1, 25), 2021: (2, 12), 2022: (2, 1), 2023: (1, 22), 2024: (2, 10), 2025: (1, 29), 2026: (2, 17),
    2027: (2, 6), 2028: (1, 26), 2029: (2, 13), 2030: (2, 3), 2031: (1, 23), 2032: (2, 11), 2033: (1, 31),
    2034: (2, 19), 2035: (2, 8),
}
_NEXT_MEETING_RE = re.compile(r"下次调度会|下一次调度会|下次调度会议|下次会议|下一次会议")
# "确保今年各项任务圆满完成", "完成全年目标任务": the year's end (not "为完成全年目标任务奠定基础").
_YEAR_GOAL_RE = re.compile(
    r"(?<!为)(?:确保|完成|实现)[^，。；]{0,10}?(?:今年|全年|年度)[^，。；]{0,10}?(?:任务|目标)"
    r"|(?<!为)(?:今年|全年)[^，。；]{0,12}?(?:任务|目标)[^，。；]{0,6}?(?:完成|实现)"
)
_COMPARISON_AFTER_RE = re.compile(r"^(?:好于|高于|低于|快于|慢于|优于|差于|比|以来|同比|环比|的)")
_COMPARISON_BEFORE_RE = re.compile(r"(?:好于|高于|低于|快于|慢于|优于|差于|比|较|于)$")
# A quarter naming a thing ("全市二季度重点项目观摩") rather than a term.
_QUARTER_ATTRIBUTE_RE = re.compile(r"^(?:末|底)?(?:重点|项目|工作|经济|观摩|数据|指标|目标|任务|形势|会议|调度|预计|预测|计划)")
_QUARTER_TERM_BEFORE_RE = re.compile(r"(?:确保|在|于|力争|争取|夺取|到|冲刺|抢抓|拼抢|决战|赢得)$")
_WINTER_RE = re.compile(r"(?:今年)?(?:入冬|立冬|上冻|封冻)(?:前|之前|以前)")
_YEAR_END_RE = re.compile(r"(?:今年|本年度?)?(?:年底前|年底之前|年末前|年底|年末|年内|年度内)|今年内|本年内")
_QUARTER_RE = re.compile(r"(?<![前后上])(?:(?P<which>第?[一二三四1-4])季度|(?P<first>首)季度?)(?:末|底)?(?:前|之前)?")
_MONTHS_FROM_NOW_RE = re.compile(rf"(?:今后|未来|接下来的?|后)(?P<n>{_NUM})个月|(?P<n2>{_NUM})个月内")
_TO_BE_SET_RE = re.compile(r"限期")
_AS_SCHEDULED_RE = re.compile(r"按期|按时|如期|按计划|按进度")
_IMMEDIATE_RE = re.compile(r"立即|立刻|马上|即刻|第一时间")
_ASAP_RE = re.compile(r"尽快|尽早|及早|抓紧|早日")

_MASK_CHARS = set("*＊Xx×")


def _is_masked(s: str | None) -> bool:
    return bool(s) and all(c in _MASK_CHARS for c in s)


def _deadline_candidates(text: str, today: datetime.date) -> list[tuple[int, Deadline]]:
    """Every deadline expression in `text`, with a priority (lower is better)."""
    out: list[tuple[int, Deadline]] = []
    year = today.year
    for m in _MONTH_RE.finditer(text):
        y = year + 1 if m.group("year") == "明年" else year
        month_s, day_s, part = m.group("month"), m.group("day"), m.group("part")
        before_text = text[: m.start()]
        if _MONTH_NOT_TERM_BEFORE_RE.search(before_text):
            continue
        if not m.group("before") and not (
            (part in ("底", "末") or m.group("fen")) and (_MONTH_TERM_BEFORE_RE.search(before_text) or part)
        ):
            continue
        if _is_masked(month_s) or _is_masked(day_s):
            out.append(
                (
                    1,
                    Deadline(
                        m.group(0),
                        "month_masked",
                        None,
                        "月份或日期在讲话稿中被隐去（*），无法确定日期，需人工填写",
                    ),
                )
            )
            continue
        month = _cn_number(month_s)
        if month is None or not 1 <= month <= 12:
            out.append((3, Deadline(m.group(0), "unresolved", None, "无法识别月份")))
            continue
        last = calendar.monthrange(y, month)[1]
        if day_s:
            day = _cn_number(day_s)
            if day is None or not 1 <= day <= last:
                out.append((3, Deadline(m.group(0), "unresolved", None, "无法识别日期")))
                continue
            d, why = datetime.date(y, month, day), f"{y}年{month}月{day}日"
        elif part == "上旬":
            d, why = datetime.date(y, month, 10), f"{y}年{month}月上旬末（10日）"
        elif part in ("中旬", "中"):
            d, why = datetime.date(y, month, 20), f"{y}年{month}月中旬末（20日）"
        else:
            d, why = datetime.date(y, month, last), f"{y}年{month}月底"
        out.append((0, Deadline(m.group(0), "date", d, why)))
    for m in _WINTER_RE.finditer(text):
        d = lidong_date(year)
        out.append((0, Deadline(m.group(0), "date", d, f"立冬（{d.isoformat()}）")))
    for m in _YEAR_END_RE.finditer(text):
        d = datetime.date(year, 12, 31)
        out.append((0, Deadline(m.group(0), "date", d, "年底（12月31日）")))
    for m in _YEAR_GOAL_RE.finditer(text):
        d = datetime.date(year, 12, 31)
        out.append((1, Deadline(m.group(0), "date", d, "全年任务：年底（12月31日）")))
    for m in _MONTH_END_RE.finditer(text):
        last = calendar.monthrange(year, today.month)[1]
        d = datetime.date(year, today.month, last)
        out.append((0, Deadline(m.group(0), "date", d, f"本月底（{d.isoformat()}）")))
    for m in _WEEK_RE.finditer(text):
        days = 7 if m.group(0) == "一周内" else 6 - today.weekday()
        d = today + datetime.timedelta(days=days)
        out.append((0, Deadline(m.group(0), "date", d, f"本周末（{d.isoformat()}）")))
    for m in _RELATIVE_MONTH_DAY_RE.finditer(text):
        first = _add_months(today.replace(day=1), 1 if m.group("which").startswith("下") else 0)
        day = _cn_number(m.group("day"))
        if day is None or not 1 <= day <= calendar.monthrange(first.year, first.month)[1]:
            out.append((3, Deadline(m.group(0), "unresolved", None, "无法识别日期")))
            continue
        d = first.replace(day=day)
        out.append((0, Deadline(m.group(0), "date", d, f"{d.year}年{d.month}月{d.day}日")))
    for m in _RECURRING_RE.finditer(text):
        day = _cn_number(m.group("day"))
        per = "quarterly" if m.group("per").startswith("季") else "monthly"
        if day is None or not 1 <= day <= MAX_REPORT_DAY:
            out.append((3, Deadline(m.group(0), "unresolved", None,
                                    f"周期性报送：报送日须在1到{MAX_REPORT_DAY}日之间，请人工设置")))
            continue
        words = "每季度首月" if per == "quarterly" else "每月"
        out.append((0, Deadline(m.group(0), "recurring", None, f"周期性报送：{words}{day}日前，直至办结",
                                recurrence=per, report_day=day)))
    for m in _WITHIN_RE.finditer(text):
        n = _cn_number(m.group("n"))
        if n is None:
            continue
        unit = m.group("unit")
        if unit == "个工作日":
            d, left = today, n
            while left:
                d += datetime.timedelta(days=1)
                left -= d.weekday() < 5
            why = f"自{today.isoformat()}起{n}个工作日（未计节假日调休，请核对）"
        else:
            d = today + datetime.timedelta(days=n * (7 if unit in ("周", "个星期") else 1))
            why = f"自{today.isoformat()}起{n}{'周' if unit in ('周', '个星期') else '天'}"
        out.append((0, Deadline(m.group(0), "date", d, why)))
    for m in _HOLIDAY_RE.finditer(text):
        name = m.group("name")
        if name == "春节":
            festival = next((datetime.date(y, *SPRING_FESTIVAL[y]) for y in (year, year + 1)
                             if y in SPRING_FESTIVAL and datetime.date(y, *SPRING_FESTIVAL[y]) > today), None)
            if festival is None:
                out.append((3, Deadline(m.group(0), "unresolved", None, "春节日期超出内置历表，需人工填写")))
                continue
        else:
            month, day = {"元旦": (1, 1), "五一": (5, 1), "劳动节": (5, 1)}.get(name, (10, 1))
            festival = next(datetime.date(y, month, day) for y in (year, year + 1) if datetime.date(y, month, day) > today)
        d = festival - datetime.timedelta(days=1)
        out.append((0, Deadline(m.group(0), "date", d, f"{name}前（{d.isoformat()}）")))
    for m in _NEXT_MEETING_RE.finditer(text):
        if not re.match(r"前|之前|以前", text[m.end() :]):
            continue
        d = _add_months(today, 1)
        out.append((0, Deadline(m.group(0) + "前", "date", d, f"下次调度会前：按每月调度推算（{d.isoformat()}），请核对")))
    for m in _QUARTER_RE.finditer(text):
        after, before = text[m.end() :], text[: m.start()]
        if _COMPARISON_AFTER_RE.match(after) or _COMPARISON_BEFORE_RE.search(before):
            continue  # "四季度好于三季度": a comparison, not a term
        if _QUARTER_ATTRIBUTE_RE.match(after) and not _QUARTER_TERM_BEFORE_RE.search(before):
            continue
        q = 1 if m.group("first") else _cn_number(m.group("which").lstrip("第"))
        if q is None or not 1 <= q <= 4:
            continue
        month = q * 3
        d = datetime.date(year, month, calendar.monthrange(year, month)[1])
        out.append((0, Deadline(m.group(0), "date", d, f"第{q}季度末（{d.isoformat()}）")))
    for m in _MONTHS_FROM_NOW_RE.finditer(text):
        n_s = m.group("n") or m.group("n2")
        n = _cn_number(n_s)
        if n is None:
            out.append((1, Deadline(m.group(0), "month_masked", None, "月数被隐去（*），需人工填写")))
            continue
        d = _add_months(today, n)
        out.append((0, Deadline(m.group(0), "date", d, f"自{today.isoformat()}起{n}个月")))
    for m in _TO_BE_SET_RE.finditer(text):
        out.append((2, Deadline(m.group(0), "to_be_set", None, "讲话要求限期办理，具体期限待定")))
    for m in _AS_SCHEDULED_RE.finditer(text):
        out.append((3, Deadline(m.group(0), "as_scheduled", None, "按既定计划或进度办理")))
    for m in _IMMEDIATE_RE.finditer(text):
        out.append((4, Deadline(m.group(0), "immediate", None, "要求立即办理")))
    for m in _ASAP_RE.finditer(text):
        out.append((5, Deadline(m.group(0), "asap", None, "要求尽快办理，未给出具体期限")))
    return out


def resolve_deadline(text: str, today: datetime.date | None = None) -> Deadline | None:
    """The most specific deadline stated in `text` (a resolved date first; then 限期, 按期, 立即, 尽快)."""
    today = today or datetime.date.today()
    candidates = _deadline_candidates(text, today)
    if not candidates:
        return None
    # Stable: best priority, then first occurrence in the text.
    best = min(enumerate(candidates), key=lambda ic: (ic[1][0], text.find(ic[1][1].text), ic[0]))
    return best[1][1]


# ---------------------------------------------------------------------------
# Quantities
# ---------------------------------------------------------------------------

_QUANTITY_RE = re.compile(
    rf"(?P<num>\d+(?:\.\d+)?|{_NUM}|[一二三四五六七八九十百千万两]+)\s*"
    r"(?P<unit>户|个|项|家|套|间|人|亩|公里|千米|亿元|万元|元|%|％)"
    r"(?P<noun>企业|在建项目|项目|群众|农户|住房|重点工作评价指标|指标)?"
)
_ALL_RE = re.compile(r"全部(?:入住|建成|完成|开工|投产|到位|入库|纳入)")


def _quantity(text: str) -> Quantity | None:
    for m in _QUANTITY_RE.finditer(text):
        num, unit, noun = m.group("num"), m.group("unit"), m.group("noun") or ""
        if not noun and unit in ("个", "人"):
            continue  # "一个", "个人": too common to be a quantity on its own
        if _is_masked(num):
            return Quantity(m.group(0), None, unit + noun, "数值在讲话稿中被隐去（*）")
        value = float(num) if re.fullmatch(r"\d+(?:\.\d+)?", num) else _cn_number(num)
        if value is None:
            continue
        return Quantity(m.group(0), float(value), unit + noun)
    m = _ALL_RE.search(text)
    if m:
        return Quantity(m.group(0), None, "", "目标为全部完成（100%）")
    return None


# ---------------------------------------------------------------------------
# Text structure
# ---------------------------------------------------------------------------

_CHAPTER_RE = re.compile(r"^(?:第[一二三四五六七八九十]+[、，,．.]|[一二三四五六七八九十]+、)")
_SUBSECTION_RE = re.compile(
    r"^(?:[一二三四五六七八九十]+[是要][^，。！？；]{2,24}|[（(][一二三四五六七八九十]+[）)][^。！？；]{2,30})[。！]?$"
)
_SENTENCE_RE = re.compile(r"[^。！？；!?]+[。！？；!?]*")
# "第一，市发改委要牵头…。": the spoken enumeration of a sentence, not a heading ("第一、…", "一、…")
_SPOKEN_ENUMERATION_RE = re.compile(r"^第[一二三四五六七八九十]+[，,]")
_SHORT_HEADING = 20


def _is_chapter_heading(line: str) -> bool:
    """"一、抓好项目建设" or "第二、…": one clause (a last 。 allowed). A line "第一，…。" longer than a
    heading is the first of the speaker's points ("第三，以…的姿态谋划明年工作", without the full
    stop, is still a heading)."""
    if not _CHAPTER_RE.match(line) or re.search(r"[。！？；]", line.rstrip("。")):
        return False
    return not (_SPOKEN_ENUMERATION_RE.match(line) and line.endswith("。") and len(line) > _SHORT_HEADING)

# Between a subject and its marker: "各县区更要", "各县区副书记都要", "统计部门既要".
_ADVERBS = r"(?:都|也|更|还|均|既|亦|则|仍|必|一定|切实|分别|共同|首先|同时|尤其|务必|必须)*"
_MARKERS = (
    "要",
    "务必",
    "必须",
    "确保",
    "需要",
    "需",
    "须",
    "应当",
    "应",
    "尽快",
    "抓紧",
    "限期",
    "立即",
    "迅速",
    "负责",
    "牵头",
)
_MARKER_RE = re.compile(
    _ADVERBS + r"(?P<marker>" + "|".join(sorted(_MARKERS, key=len, reverse=True)) + r")(?!人|同志)"
)
# Markers that are part of the action ("尽快完成"), the others are dropped ("要").
_VERB_MARKERS = {"确保", "尽快", "抓紧", "限期", "立即", "迅速", "负责"}
_CO_RE = re.compile(_ADVERBS + r"(?:配合|协助|参与|协同|配合做好)")
_ROLE_CLAUSES_RE = re.compile(r"^(?:牵头[，,])?(?:(?:会同|联合)[^，,。；]{2,40}?[，,])?")
_MIN_ACTION = 4
_ETC_RE = re.compile(r"等[\u4e00-\u9fff]{0,6}?(?:部门|单位)")
_RELATIVE_RE = re.compile(r"(?:承担|负责|牵头|分管)的[^，。；！？]{1,60}?(?:指标|任务|项目|工作|目标)")
# Words before a subject: "会后，全县各级各部门要…", "希望各部门务必…", "由县发改委负责…".
_ENUMERATORS = (
    r"一方面|另一方面|首先|其次|再次|再者|最后|第[一二三四五六七八九十]"
    r"|[一二三四五六七八九十][是要]"
)
_LEAD_IN_RE = re.compile(
    rf"(?P<word>会后|下一步|希望|请|务必|由|同时|因此|此外|另外|特别是|{_ENUMERATORS})[，,、：:]?"
)
_IMPLICIT_DIRECTIVE_LEAD_INS = {"请", "希望"}
_AUDIENCE_LEAD_INS = {"会后", "请", "希望"}
_JOINERS = "、和及与"
_CLAUSE_SEPARATORS = "，：,:"

# Subjectless instruction: "要…", "对…，要…", "对…，不能…，要…".
_LEADING_ADVERBIAL_RE = re.compile(
    r"^(?:(?:对于|对|针对|围绕|特别是|尤其是|同时|此外|另外|不能|不得|决不能"
    r"|一方面|另一方面|首先|其次|再次|最后|下一步|会后)[^，。]*，)*"
)
_ENUMERATED_RE = re.compile(r"^(?:一方面|另一方面|首先|其次|再次|最后|第[一二三四五六七八九十]|[一二三四五六七八九十][是要])")
# "XXX市长专门强调，要…": a higher leader's demand, quoted.
_QUOTED_DEMAND_RE = re.compile(
    r"^[^。！？]*?(?:总书记|书记|省长|市长|州长|县长|区长|主任|主席|领导)[^，。；“”]{0,16}?(?:强调|要求|指出)[，：:]"
)
# A topic before the subject ("规上工业增加值增速，各县区要高度重视"): the object of the action.
_TOPIC_RE = re.compile(r"^[^，。；：:]{2,20}?(?:指标|增速|收入|投资|总额|增加值|任务|项目)，$")
_TOPIC_EXCLUDED_RE = re.compile(r"指出|强调|要求|认为|说|对|针对|围绕|特别|中，$|里，$|上，$")
_SUBJECTLESS_MARKER_RE = re.compile(r"^(?:要|务必|必须|一定要|切实要|还要|更要|也要)")
_ANAPHORA_RE = re.compile(r"这件事|此事|这项工作|此项工作|这些工作|上述")
_MIN_INHERITED_ACTION = 8


@dataclass
class _Sentence:
    text: str
    offset: int  # in the whole text
    paragraph: int
    chapter: str
    section: str
    heading: bool


def _sentences(text: str) -> list[_Sentence]:
    out: list[_Sentence] = []
    chapter = section = ""
    pos = 0
    para_index = 0
    for line in text.splitlines(keepends=True):
        start = pos
        pos += len(line)
        stripped = line.strip()
        if not stripped:
            continue
        lead = start + (len(line) - len(line.lstrip()))
        if _is_chapter_heading(stripped):
            chapter = section = stripped.rstrip("。")
            continue
        para_index += 1
        section = chapter
        first = True
        for m in _SENTENCE_RE.finditer(stripped):
            s = m.group(0).strip()
            if not s:
                continue
            heading = False
            if first and _SUBSECTION_RE.match(s):
                section = s.rstrip("。！")
                heading = True
            first = False
            out.append(_Sentence(s, lead + m.start(), para_index, chapter, section, heading))
    return out


# ---------------------------------------------------------------------------
# Subjects
# ---------------------------------------------------------------------------


@dataclass
class _SubjectClause:
    start: int  # of the subject in the sentence
    end: int  # end of subject + adverbs + marker (where the action starts)
    subjects: list[Subject]
    roles: list[str]
    marker: str  # "" when the clause has no directive (then it only bounds actions)
    co_only: bool = False  # "市统计局配合": co-units for the instruction before it
    matches: list[Match] = field(default_factory=list)
    object: str = ""  # "承担的固定资产投资增速指标" (a relative clause of the subject)
    lead_in: str = ""  # "会后", "请", "希望" …


def _match_role(s: str, i: int) -> str | None:
    for role in ROLES:
        if s.startswith(role, i):
            return role
    return None


def _parse_subject(s: str, i: int, units: UnitDictionary, lead_in: str = "") -> _SubjectClause | None:
    start = i
    subjects: list[Subject] = []
    roles: list[str] = []
    matches: list[Match] = []
    generic = False
    while i < len(s):
        token = None
        if subjects:
            role = _match_role(s, i)
            if role:
                roles.append(role)
                matches.append(Match("role", role))
                i += len(role)
                token = role
        if token is None:
            hit = units.match_at(s, i, generic=True)
            if hit is None:
                break
            surface, unit = hit
            if surface not in units._surfaces and not _DESIGNATED_LEAD_RE.fullmatch(surface):
                generic = True
            subjects.append(Subject(surface, unit.name, unit.kind, unit.members, unit.role))
            matches.append(Match("unit", surface, unit.name))
            if unit.role:
                roles.append(unit.role)
            i += len(surface)
        # Roles glued to the unit ("各县区副书记", "主要负责人").
        role = _match_role(s, i)
        while role:
            roles.append(role)
            matches.append(Match("role", role))
            i += len(role)
            role = _match_role(s, i)
        # Another unit after a joiner, or after a comma when a unit/role follows it.
        if i < len(s) and (s[i] in _JOINERS or s[i] in "，,"):
            nxt = i + 1
            if units.match_at(s, nxt, generic=True) or _match_role(s, nxt):
                i = nxt
                continue
        break
    if not subjects:
        return None
    end = i
    # "县经济信息和科技局、县工管委等行业主管部门要…"
    etc = _ETC_RE.match(s, end)
    if etc:
        end = etc.end()
    # "县发改局承担的…X项指标要…": the object of the instruction sits in the subject.
    relative = _RELATIVE_RE.match(s, end)
    m = _MARKER_RE.match(s, relative.end() if relative else end)
    if m:
        matches.append(Match("marker", m.group(0), m.group("marker")))
        marker = m.group("marker")
        action_start = m.start("marker") if marker in _VERB_MARKERS else m.end()
        clause = _SubjectClause(start, action_start, subjects, roles, marker, matches=matches)
        if relative:
            clause.object = relative.group(0)
            matches.append(Match("object", relative.group(0)))
        return clause
    if relative:
        return None
    co = _CO_RE.match(s, end)
    if co:
        return _SubjectClause(start, co.end(), subjects, roles, "", co_only=True, matches=matches)
    if lead_in in _IMPLICIT_DIRECTIVE_LEAD_INS:
        # "请各相关部门、各乡镇认真抓好落实": the lead-in is the directive.
        matches.append(Match("marker", lead_in, lead_in))
        return _SubjectClause(start, end, subjects, roles, lead_in, matches=matches)
    if generic:
        return None  # a generic name without a directive is an object, not a subject
    return _SubjectClause(start, end, subjects, roles, "", matches=matches)


def _clause_starts(s: str) -> list[int]:
    starts = [0]
    for i, c in enumerate(s):
        if c in _CLAUSE_SEPARATORS and i + 1 < len(s):
            starts.append(i + 1)
    return starts


def _subject_clauses(s: str, units: UnitDictionary) -> list[_SubjectClause]:
    out: list[_SubjectClause] = []
    covered = -1
    for start in _clause_starts(s):
        if start < covered:
            continue
        # Skip opening quotes and the like.
        i = start
        while i < len(s) and s[i] in "“”\"'‘’（(":
            i += 1
        clause = _parse_subject(s, i, units)
        if clause is None:
            lead = _LEAD_IN_RE.match(s, i)
            if lead:
                clause = _parse_subject(s, lead.end(), units, lead.group("word"))
                if clause is not None:
                    clause.lead_in = lead.group("word")
        if clause is not None:
            out.append(clause)
            covered = clause.end
    return out


def _lead_units(subjects: list[Subject]) -> list[str]:
    seen: dict[str, None] = {}
    for subj in subjects:
        for name in subj.members or (subj.name,):
            seen.setdefault(name, None)
    return list(seen)


def _clean_action(text: str) -> str:
    text = re.sub(r"[，,]{2,}", "，", text.strip())
    return text.strip("，,：:；。！？ ")


def _co_units_in(action: str, units: UnitDictionary) -> tuple[list[Subject], list[Match]]:
    """Co-units named inside an action ("会同市统计局")."""
    found: list[Subject] = []
    matches: list[Match] = []
    for m in re.finditer(r"(?:会同|联合|协调)", action):
        i = m.end()
        while i < len(action):
            hit = units.match_at(action, i)
            if hit is None:
                break
            surface, unit = hit
            if unit.kind not in (KIND_DEPARTMENT, KIND_COUNTY):
                break
            found.append(Subject(surface, unit.name, unit.kind, unit.members))
            matches.append(Match("co_unit", surface, unit.name))
            i += len(surface)
            if i < len(action) and action[i] in _JOINERS:
                i += 1
                continue
            break
    return found, matches


# ---------------------------------------------------------------------------
# Extraction
# ---------------------------------------------------------------------------


def _is_subjectless_instruction(s: str) -> tuple[bool, str]:
    """A sentence that gives an instruction without naming who: "要…" or "对…，要…"."""
    if s.endswith(("？", "?")):
        return False, ""
    quoted = _QUOTED_DEMAND_RE.match(s)
    if quoted:
        s = s[quoted.end() :]
    lead = _LEADING_ADVERBIAL_RE.match(s)
    rest = s[lead.end() :] if lead else s
    m = _SUBJECTLESS_MARKER_RE.match(rest)
    if not m:
        return False, ""
    return True, m.group(0)


def _make_draft(
    sent: _Sentence,
    subjects: list[Subject],
    roles: list[str],
    action: str,
    matches: list[Match],
    today: datetime.date,
    units: UnitDictionary,
    flags: list[str],
    context: str,
    co_subjects: list[Subject] | None = None,
) -> DraftTask:
    matched = list(matches)
    co_subjects = list(co_subjects or [])
    inner_co, inner_matches = _co_units_in(action, units)
    co_subjects += inner_co
    matched += inner_matches
    # "牵头，会同市财政局、市自然资源局，在11月底前完成…": the roles are the draft's units; the task is the rest
    roles_said = _ROLE_CLAUSES_RE.match(action) if inner_co or action.startswith("牵头") else None
    if roles_said and len(action) - roles_said.end() >= _MIN_ACTION:
        action = action[roles_said.end():]
    deadline = resolve_deadline(action, today)
    if deadline is not None:
        matched.append(Match("deadline", deadline.text, deadline.kind))
        if deadline.kind == "to_be_set":
            flags.append("deadline_to_be_set")
        elif deadline.kind == "month_masked":
            flags.append("deadline_masked")
        elif deadline.date is not None and deadline.date < today:
            flags.append("deadline_passed")
    quantity = _quantity(action)
    if quantity is not None:
        matched.append(Match("quantity", quantity.text))
    if any(sj.kind == KIND_COLLECTIVE for sj in subjects):
        flags.append("collective_subject")
    if any(not sj.members for sj in subjects):
        flags.append("unit_not_in_catalogue")
    if _ANAPHORA_RE.search(action):
        flags.append("refers_to_context")
    if _is_exhortation(action):
        flags.append("exhortation")
    lead = _lead_units(subjects)
    co = [u for u in _lead_units(co_subjects) if u not in lead]
    role_text = "、".join(dict.fromkeys(roles))
    return DraftTask(
        lead_units=lead,
        co_units=co,
        action=action,
        deadline=deadline,
        sentence=sent.text,
        section=sent.section,
        chapter=sent.chapter,
        matched=matched,
        quantity=quantity,
        subjects=list(subjects),
        responsible_role=role_text,
        flags=list(dict.fromkeys(flags)),
        context=context,
        paragraph=sent.paragraph,
        offset=sent.offset,
    )


def extract_tasks(
    text: str,
    units: UnitDictionary | None = None,
    today: datetime.date | None = None,
    *,
    include_unassigned: bool = False,
) -> list[DraftTask]:
    """Draft one task per instruction found in a speech.

    `today` is the speech's date (default: today); relative deadlines
    ("入冬前", "年底前", "今后两个月") resolve against it.  With
    `include_unassigned`, subjectless instructions that cannot inherit a
    subject are returned too, with no lead unit and the flag
    ``unit_to_be_assigned`` (useful on the review page; off for the CLI).
    """
    units = units or default_units()
    today = today or datetime.date.today()
    drafts: list[DraftTask] = []
    sentences = _sentences(text)
    # Per paragraph: the last instruction's subjects, and the distinct addressees seen so far.
    carry: tuple[list[Subject], list[str], str] | None = None
    addressees: list[tuple[str, ...]] = []
    # The meeting's audience, named once ("会后各级各有关部门要抓好落实", "请各部门…抓好落实").
    audience: tuple[list[Subject], list[str], str] | None = None
    current_paragraph = -1
    previous_text = ""
    for sent in sentences:
        if sent.paragraph != current_paragraph:
            current_paragraph = sent.paragraph
            carry, addressees, previous_text = None, [], ""
        context = previous_text
        previous_text = sent.text
        if sent.heading:
            continue
        s = sent.text
        clauses = _subject_clauses(s, units)
        instructions = [c for c in clauses if c.marker]
        if instructions:
            first = instructions[0]
            prefix_text = s[: first.start]
            # "要强化沟通对接，…，相关部门要做好…": a subjectless instruction before the subject.
            head_ok, head_marker = _is_subjectless_instruction(prefix_text) if first.start else (False, "")
            if head_ok and carry is not None and len(addressees) == 1 and not first.lead_in:
                lead = _LEADING_ADVERBIAL_RE.match(prefix_text)
                head_rest = prefix_text[lead.end() :] if lead else prefix_text
                head_action = _clean_action(head_rest[len(head_marker) :])
                if len(re.sub(r"[^\u4e00-\u9fff0-9A-Za-z*]", "", head_action)) >= _MIN_INHERITED_ACTION:
                    subjects, roles, source = carry
                    names = "、".join(sj.mention for sj in subjects)
                    matches = [Match("inherited", names, source), Match("marker", head_marker, head_marker)]
                    drafts.append(
                        _make_draft(
                            sent, subjects, roles, head_action, matches, today, units, ["inherited_subject"], context
                        )
                    )
            for k, clause in enumerate(clauses):
                if not clause.marker:
                    continue
                # The action runs to the next subject clause that is not a "配合" clause.
                end = len(s)
                co_subjects: list[Subject] = []
                co_matches: list[Match] = []
                for nxt in clauses[k + 1 :]:
                    if nxt.co_only:
                        co_subjects += nxt.subjects
                        co_matches += [
                            Match("co_unit", m.text, m.value) for m in nxt.matches if m.kind == "unit"
                        ]
                        continue
                    end = nxt.start
                    break
                action = s[clause.end : end]
                if co_subjects:
                    # Drop the "市统计局配合，" part from the action text.
                    for nxt in clauses[k + 1 :]:
                        if nxt.co_only and clause.end <= nxt.start < end:
                            action = action.replace(s[nxt.start : nxt.end], "")
                prefix = s[: clause.start]
                lead_in = _LEADING_ADVERBIAL_RE.match(prefix)
                if k == 0 and lead_in and lead_in.group(0) and re.match(r"对于|对|针对|围绕", prefix):
                    action = lead_in.group(0) + action
                elif k == 0 and _TOPIC_RE.match(prefix) and not _TOPIC_EXCLUDED_RE.search(prefix):
                    action = prefix.rstrip("，") + "：" + action
                if clause.object:
                    action = clause.object + "：" + action.lstrip("，")
                action = _clean_action(action)
                if not action and clause.marker in _IMPLICIT_DIRECTIVE_LEAD_INS:
                    continue
                if not action:
                    continue
                drafts.append(
                    _make_draft(
                        sent,
                        clause.subjects,
                        clause.roles,
                        action,
                        clause.matches + co_matches,
                        today,
                        units,
                        [],
                        context,
                        co_subjects,
                    )
                )
                if clause.lead_in in _AUDIENCE_LEAD_INS and audience is None:
                    audience = (clause.subjects, clause.roles, s)
                if carry is not None and all(sj.role for sj in clause.subjects):
                    continue  # "主要领导要亲自抓": the same addressee's leaders, not a new addressee
                key = tuple(_lead_units(clause.subjects))
                if key not in addressees:
                    addressees.append(key)
                carry = (clause.subjects, clause.roles, s)
            continue
        is_instruction, marker = _is_subjectless_instruction(s)
        if not is_instruction:
            continue
        quoted = _QUOTED_DEMAND_RE.match(s)
        body = s[quoted.end() :] if quoted else s
        lead_in = _LEADING_ADVERBIAL_RE.match(body)
        rest = body[lead_in.end() :] if lead_in else body
        kept_lead = lead_in.group(0) if lead_in else ""
        if _ENUMERATED_RE.match(kept_lead):
            kept_lead = kept_lead.split("，", 1)[1] if "，" in kept_lead else ""
        action = _clean_action(kept_lead + rest[len(marker) :])
        if len(re.sub(r"[^\u4e00-\u9fff0-9A-Za-z*]", "", action)) < _MIN_INHERITED_ACTION:
            continue
        extra = ["quoted_demand"] if quoted else []
        if carry is not None and len(addressees) == 1:
            subjects, roles, source = carry
            names = "、".join(sj.mention for sj in subjects)
            matches = [Match("inherited", names, source), Match("marker", marker, marker)]
            drafts.append(
                _make_draft(
                    sent, subjects, roles, action, matches, today, units, ["inherited_subject", *extra], context
                )
            )
        elif audience is not None and (quoted or _ENUMERATED_RE.match(body)):
            # An enumerated or quoted demand with nobody named in its paragraph is addressed
            # to the meeting's audience ("会后各级各有关部门要抓好落实").
            subjects, roles, source = audience
            names = "、".join(sj.mention for sj in subjects)
            matches = [Match("audience", names, source), Match("marker", marker, marker)]
            drafts.append(
                _make_draft(
                    sent, subjects, roles, action, matches, today, units, ["audience_subject", *extra], context
                )
            )
            carry = audience
            addressees = [tuple(_lead_units(subjects))]
        elif include_unassigned:
            drafts.append(
                _make_draft(
                    sent,
                    [],
                    [],
                    action,
                    [Match("marker", marker, marker)],
                    today,
                    units,
                    ["unit_to_be_assigned"],
                    context,
                )
            )
    if not include_unassigned:
        drafts = [d for d in drafts if "exhortation" not in d.flags]
    return drafts
