"""A corpus of malformed files for every importer beyond figures and the wide table.

``tests/ingest/corpus.py`` holds the figures/targets/wide cases; this module
adds the targets and every ledger importer (projects, progress, 招商引资, funds
arrived, enterprises, their monthly figures, the fiscal ledgers, chains, chain
members, parks), built by code into a temporary directory.

Every ledger is described once (``Ledger``): its header, the rows seeded before
each case (so an update path exists), one valid row that changes a seeded
record and one valid new row. A malformed file is those two valid rows plus a
bad one (row 4), or a broken header — so a half write would show in the
table checksums.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from diaodu.enterprises.codes import make_credit_code
from diaodu.ingest.readers import column_letter
from tests.ingest.corpus import Case, write_xlsx

ENT_A = make_credit_code("621202", "MA000001")  # 武都
ENT_B = make_credit_code("621224", "MA000002")  # 康县
ENT_C = make_credit_code("621202", "MA000003")  # a new one
ENT_UNKNOWN = make_credit_code("621202", "MA000009")  # valid, but not in the ledger
ENT_BAD_CHECK = ENT_A[:17] + ("0" if ENT_A[17] != "0" else "1")  # wrong GB 32100 check character


@dataclass(frozen=True)
class Ledger:
    kind: str
    sheet: str
    header: tuple[str, ...]
    seed: tuple[dict, ...]  # existing records, imported before every case
    update: dict  # a valid row changing a seeded record (row 2 of every file)
    new: dict  # a valid new record (row 3)
    needs: tuple[str, ...] = ()  # ledgers seeded first (a child's parents)
    user: str = "admin"

    def row(self, cells: dict) -> list:
        unknown = set(cells) - set(self.header)
        assert not unknown, f"{self.kind}: no column {unknown}"
        return [cells.get(label) for label in self.header]

    def column(self, label: str) -> str:
        """How a problem names the column: C（所属县区）."""
        return f"{column_letter(self.header.index(label))}（{label}）"


def _d(**kw) -> dict:
    return kw


LEDGERS: dict[str, Ledger] = {}


def ledger(spec: Ledger) -> Ledger:
    LEDGERS[spec.kind] = spec
    return spec


ledger(Ledger(
    "targets", "目标",
    ("区划代码", "单位名称", "指标代码", "年度", "目标总量", "目标增速(%)", "来源", "备注"),
    seed=({"区划代码": "621202", "单位名称": "武都区", "指标代码": "fai", "年度": 2021, "目标增速(%)": 10.0,
           "来源": "市定"},),
    update={"区划代码": "621202", "单位名称": "武都区", "指标代码": "fai", "年度": 2021, "目标增速(%)": 11.0,
            "来源": "市定"},
    new={"区划代码": "621224", "单位名称": "康县", "指标代码": "fai", "年度": 2021, "目标总量": 60.0,
         "目标增速(%)": 9.0, "来源": "市定"},
    user="tongji",
))

_PLEDGE = ("区划代码", "单位名称", "指标代码", "年度", "责任领导", "领导职务", "牵头单位", "配合单位", "责任书文号",
           "签订日期", "备注")
ledger(Ledger(
    "responsibilities", "目标责任书", _PLEDGE,
    seed=(_d(区划代码="621200", 单位名称="陇南市", 指标代码="gdp", 年度=2021, 责任领导="王某某", 领导职务="常务副市长",
             牵头单位="市发改委", 配合单位="市统计局、市工信局", 责任书文号="陇政责〔2021〕1号", 签订日期="2021-02-20"),),
    update=_d(区划代码="621200", 单位名称="陇南市", 指标代码="gdp", 年度=2021, 责任领导="刘某某", 领导职务="副市长",
              牵头单位="市发改委", 配合单位="市统计局", 责任书文号="陇政责〔2021〕1号", 签订日期="2021/2/20"),
    new=_d(区划代码="621200", 单位名称="陇南", 指标代码="固定资产投资", 年度=2021, 责任领导="王某某",
           牵头单位="发改委", 配合单位="住建局，交通运输局", 签订日期="2021年2月20日"),
    user="tongji",
))

_PROJECT = ("统一项目代码", "项目名称", "所属县区", "责任部门", "项目类别", "计划总投资（亿元）", "本年计划投资（亿元）",
            "建设阶段", "计划开工日期", "实际开工日期", "制约因素", "备注")
ledger(Ledger(
    "projects", "重点项目", _PROJECT,
    seed=(
        _d(统一项目代码="P-WD-1", 项目名称="武都物流园", 所属县区="武都区", 项目类别="市列", **{"计划总投资（亿元）": 12.5},
           建设阶段="续建", 实际开工日期="2020-04-01"),
        _d(统一项目代码="P-KX-1", 项目名称="康县茶叶加工", 所属县区="康县", 项目类别="县列", **{"计划总投资（亿元）": 3},
           建设阶段="前期", 计划开工日期="2021-10-01"),
    ),
    update=_d(统一项目代码="P-WD-1", 项目名称="武都物流园（一期）", 所属县区="武都区", 项目类别="市列",
              **{"计划总投资（亿元）": 13.0}, 建设阶段="续建", 实际开工日期="2020-04-01"),
    new=_d(统一项目代码="P-WD-2", 项目名称="武都污水处理", 所属县区="武都区", 项目类别="县列",
           **{"计划总投资（亿元）": 2.2}, 建设阶段="谋划"),
))

_PROGRESS = ("统一项目代码", "年度", "月份", "本月完成投资（亿元）", "本年累计完成投资（亿元）", "实物工程量")
ledger(Ledger(
    "projects-progress", "项目月度进展", _PROGRESS,
    seed=({"统一项目代码": "P-WD-1", "年度": 2021, "月份": 8, "本月完成投资（亿元）": 0.5,
           "本年累计完成投资（亿元）": 4.0},),
    update={"统一项目代码": "P-WD-1", "年度": 2021, "月份": 8, "本月完成投资（亿元）": 0.6,
            "本年累计完成投资（亿元）": 4.1, "实物工程量": "主体封顶"},
    new={"统一项目代码": "P-WD-1", "年度": 2021, "月份": 9, "本月完成投资（亿元）": 0.4,
         "本年累计完成投资（亿元）": 4.5},
    needs=("projects",),
))

_DEAL = ("项目编号", "项目名称", "所属县区", "责任部门", "投资方", "招商渠道", "进展阶段", "签约金额（亿元）", "签约日期",
         "开工日期", "备注")
ledger(Ledger(
    "deals", "招商引资项目", _DEAL,
    seed=(
        _d(项目编号="ZS-WD-1", 项目名称="花椒深加工", 所属县区="武都区", 投资方="某食品公司", 进展阶段="签约",
           **{"签约金额（亿元）": 3.0}, 签约日期="2021-03-15"),
        _d(项目编号="ZS-KX-1", 项目名称="康县文旅", 所属县区="康县", 投资方="某文旅集团", 进展阶段="在谈"),
    ),
    update=_d(项目编号="ZS-WD-1", 项目名称="花椒深加工", 所属县区="武都区", 投资方="某食品公司", 进展阶段="开工",
              **{"签约金额（亿元）": 3.0}, 签约日期="2021-03-15", 开工日期="2021-06-01"),
    new=_d(项目编号="ZS-WD-2", 项目名称="油橄榄精深加工", 所属县区="武都区", 投资方="某油脂公司", 进展阶段="在谈"),
))

_ARRIVAL = ("项目编号", "年度", "月份", "到位资金（亿元）", "备注")
ledger(Ledger(
    "deal-arrivals", "到位资金", _ARRIVAL,
    seed=({"项目编号": "ZS-WD-1", "年度": 2021, "月份": 6, "到位资金（亿元）": 0.8},),
    update={"项目编号": "ZS-WD-1", "年度": 2021, "月份": 6, "到位资金（亿元）": 0.9, "备注": "更正"},
    new={"项目编号": "ZS-WD-1", "年度": 2021, "月份": 7, "到位资金（亿元）": 0.3},
    needs=("deals",),
))

_ENTERPRISE = ("统一社会信用代码", "企业名称", "所属县区", "行业代码", "是否规上", "入规年份", "生产状态", "停产原因",
               "责任部门", "备注")
ledger(Ledger(
    "enterprises", "企业台账", _ENTERPRISE,
    seed=(
        _d(统一社会信用代码=ENT_A, 企业名称="武都水泥", 所属县区="武都区", 行业代码="C3011", 是否规上="是", 入规年份=2015,
           生产状态="正常"),
        _d(统一社会信用代码=ENT_B, 企业名称="康县茶业", 所属县区="康县", 行业代码="C1530", 是否规上="否", 生产状态="正常"),
    ),
    update=_d(统一社会信用代码=ENT_A, 企业名称="武都水泥", 所属县区="武都区", 行业代码="C3011", 是否规上="是",
              入规年份=2015, 生产状态="半停产", 停产原因="订单"),
    new=_d(统一社会信用代码=ENT_C, 企业名称="武都花椒", 所属县区="武都区", 行业代码="C1499", 是否规上="否", 生产状态="正常"),
))

_MONTH = ("统一社会信用代码", "企业名称", "年度", "月份", "当月主营业务收入(万元)", "当月工业总产值(万元)")
ledger(Ledger(
    "enterprise-months", "企业月度数据", _MONTH,
    seed=({"统一社会信用代码": ENT_A, "企业名称": "武都水泥", "年度": 2021, "月份": 8,
           "当月主营业务收入(万元)": 1200, "当月工业总产值(万元)": 1300},),
    update={"统一社会信用代码": ENT_A, "企业名称": "武都水泥", "年度": 2021, "月份": 8,
            "当月主营业务收入(万元)": 1250, "当月工业总产值(万元)": 1300},
    new={"统一社会信用代码": ENT_A, "年度": 2021, "月份": 9, "当月主营业务收入(万元)": 1100,
         "当月工业总产值(万元)": 1150},
    needs=("enterprises",),
))

_BUDGET = ("单位", "年度", "月份", "科目", "年初预算(亿元)", "累计完成(亿元)", "备注")
ledger(Ledger(
    "budget-lines", "预算执行", _BUDGET,
    seed=({"单位": "市级", "年度": 2021, "月份": 8, "科目": "一般公共预算收入", "年初预算(亿元)": 20, "累计完成(亿元)": 12},
          {"单位": "武都区", "年度": 2021, "月份": 8, "科目": "一般公共预算收入", "年初预算(亿元)": 8, "累计完成(亿元)": 5}),
    update={"单位": "武都区", "年度": 2021, "月份": 8, "科目": "一般公共预算收入", "年初预算(亿元)": 8,
            "累计完成(亿元)": 5.5},
    new={"单位": "武都区", "年度": 2021, "月份": 9, "科目": "一般公共预算收入", "年初预算(亿元)": 8, "累计完成(亿元)": 6.1},
))

_PARCEL = ("宗地编号", "宗地位置", "单位", "用途", "面积(亩)", "成交日期", "应缴出让金(万元)", "已缴(万元)", "缴清期限")
ledger(Ledger(
    "land-parcels", "出让宗地", _PARCEL,
    seed=({"宗地编号": "ZD-2021-01", "宗地位置": "武都区东江镇", "单位": "武都区", "用途": "商住", "面积(亩)": 40,
           "成交日期": "2021-05-10", "应缴出让金(万元)": 9000, "已缴(万元)": 3000, "缴清期限": "2021-12-31"},),
    update={"宗地编号": "ZD-2021-01", "宗地位置": "武都区东江镇", "单位": "武都区", "用途": "商住", "面积(亩)": 40,
            "成交日期": "2021-05-10", "应缴出让金(万元)": 9000, "已缴(万元)": 4500, "缴清期限": "2021-12-31"},
    new={"宗地编号": "ZD-2021-02", "宗地位置": "武都区汉王镇", "单位": "武都区", "用途": "工业", "面积(亩)": 25,
         "应缴出让金(万元)": 1200},
))

_BOND = ("债券项目编号", "项目名称", "单位", "年度", "分配额度(万元)", "已支出(万元)")
ledger(Ledger(
    "special-bonds", "专项债券", _BOND,
    seed=({"债券项目编号": "ZX-2021-01", "项目名称": "武都城区供水", "单位": "武都区", "年度": 2021, "分配额度(万元)": 5000,
           "已支出(万元)": 1000},),
    update={"债券项目编号": "ZX-2021-01", "项目名称": "武都城区供水", "单位": "武都区", "年度": 2021,
            "分配额度(万元)": 5000, "已支出(万元)": 2500},
    new={"债券项目编号": "ZX-2021-02", "项目名称": "武都产业园道路", "单位": "武都区", "年度": 2021, "分配额度(万元)": 3000},
))

_GAP = ("单位", "年度", "上级补助(亿元)", "上年结转及调入(亿元)", "上解支出(亿元)", "土地出让收入计入比例", "刚性支出需求(亿元)",
        "一般公共预算收入推算", "土地出让收入推算")


def _gap(unit: str, year: int, transfers: float, **changes) -> dict:
    row = dict(zip(_GAP, (unit, year, transfers, 1.0, 0.5, 0.3, 40.0, "按序时推算", "按预算完成"), strict=True))
    row.update(changes)
    return row


ledger(Ledger(
    "fiscal-gap", "财力缺口参数", _GAP,
    seed=(_gap("武都区", 2021, 30.0),),
    update=_gap("武都区", 2021, 31.5),
    new=_gap("武都区", 2022, 32.0),
))

_CHAIN = ("链代码", "产业链", "链长", "牵头部门", "年度", "年度产值目标(亿元)", "累计完成产值(亿元)", "截至月份")
ledger(Ledger(
    "chains", "产业链", _CHAIN,
    seed=({"链代码": "huajiao", "产业链": "花椒产业链", "链长": "张三", "牵头部门": "市工信局", "年度": 2021,
           "年度产值目标(亿元)": 50, "累计完成产值(亿元)": 30, "截至月份": 8},
          {"链代码": "chaye", "产业链": "茶产业链", "链长": "王五", "牵头部门": "市农业农村局", "年度": 2021}),
    update={"链代码": "huajiao", "产业链": "花椒产业链", "链长": "张三", "牵头部门": "市工信局", "年度": 2021,
            "年度产值目标(亿元)": 50, "累计完成产值(亿元)": 36, "截至月份": 9},
    new={"链代码": "youganlan", "产业链": "油橄榄产业链", "链长": "李四", "牵头部门": "市工信局", "年度": 2021,
         "年度产值目标(亿元)": 20},
    user="gongxin",
))

_MEMBER = ("链代码", "企业名称", "统一社会信用代码", "环节", "链主企业", "主要产品")
ledger(Ledger(
    "chain-members", "链上企业", _MEMBER,
    seed=({"链代码": "huajiao", "企业名称": "武都水泥", "统一社会信用代码": ENT_A, "环节": "上游", "链主企业": "否"},),
    update={"链代码": "huajiao", "企业名称": "武都水泥", "统一社会信用代码": ENT_A, "环节": "中游", "链主企业": "是",
            "主要产品": "包装"},
    new={"链代码": "huajiao", "企业名称": "某花椒合作社", "环节": "上游", "主要产品": "干椒"},
    needs=("enterprises", "chains"),
    user="gongxin",
))

_PARK = ("园区代码", "园区名称", "类型", "规划状态", "牵头部门", "属地县区", "规划编制期限", "产值目标(亿元)")
ledger(Ledger(
    "parks", "百亿产业园区", _PARK,
    seed=({"园区代码": "YQ-1", "园区名称": "武都工业园", "类型": "园区", "规划状态": "成熟", "属地县区": "武都区",
           "产值目标(亿元)": 100},),
    update={"园区代码": "YQ-1", "园区名称": "武都工业园", "类型": "园区", "规划状态": "待完善", "属地县区": "武都区",
            "规划编制期限": "2021-12-31", "产值目标(亿元)": 100},
    new={"园区代码": "YQ-2", "园区名称": "武都花椒产业带", "类型": "产业带", "规划状态": "新增", "属地县区": "武都区",
         "规划编制期限": "2022-06-30"},
))

_RESERVE = ("储备编号", "项目名称", "所属县区", "行业领域", "阶段", "计划实施年度", "估算总投资（亿元）", "争取资金渠道",
            "拟争取资金（亿元）", "争取状态", "列入上报清单")
ledger(Ledger(
    "reserve-projects", "储备项目", _RESERVE,
    seed=({"储备编号": "CB-WD-1", "项目名称": "武都城区污水管网改造", "所属县区": "武都区", "行业领域": "其他", "阶段": "谋划",
           "计划实施年度": 2022, "估算总投资（亿元）": 2.5, "争取资金渠道": "国省预算内投资", "拟争取资金（亿元）": 1,
           "争取状态": "谋划中", "列入上报清单": "否"},),
    update={"储备编号": "CB-WD-1", "项目名称": "武都城区污水管网改造", "所属县区": "武都区", "行业领域": "其他", "阶段": "前期",
            "计划实施年度": 2022, "估算总投资（亿元）": 2.5, "争取资金渠道": "国省预算内投资", "拟争取资金（亿元）": 1.2,
            "争取状态": "已申报", "列入上报清单": "是"},
    new={"储备编号": "CB-KX-1", "项目名称": "康县茶园道路", "所属县区": "康县", "行业领域": "其他", "阶段": "谋划",
         "计划实施年度": 2022, "估算总投资（亿元）": 0.8, "争取资金渠道": "地方政府专项债券", "拟争取资金（亿元）": 0.5,
         "争取状态": "谋划中"},
))

_INFRA = ("编号", "项目名称", "类型", "所属县区", "估算总投资（亿元）", "当前前期工作", "争取开工时间")
ledger(Ledger(
    "infra-projects", "重大基础设施前期项目", _INFRA,
    seed=({"编号": "JC-1", "项目名称": "武都至九寨沟高速", "类型": "高速公路", "所属县区": "武都区", "估算总投资（亿元）": 180,
           "当前前期工作": "工可编制"},),
    update={"编号": "JC-1", "项目名称": "武都至九寨沟高速", "类型": "高速公路", "所属县区": "武都区", "估算总投资（亿元）": 185,
            "当前前期工作": "工可评审", "争取开工时间": "2022-06-30"},
    new={"编号": "JC-2", "项目名称": "康县水库", "类型": "水利", "所属县区": "康县", "估算总投资（亿元）": 12},
))

_MILESTONE = ("项目编号", "节点", "计划完成", "实际完成")
ledger(Ledger(
    "infra-milestones", "前期工作节点", _MILESTONE,
    seed=({"项目编号": "JC-1", "节点": "工可批复", "计划完成": "2021-09-30"},),
    update={"项目编号": "JC-1", "节点": "工可批复", "计划完成": "2021-09-30", "实际完成": "2021-10-12"},
    new={"项目编号": "JC-1", "节点": "环评批复", "计划完成": "2021-12-31"},
    needs=("infra-projects",),
))

_SCORE = ("评价方案", "评价项", "被评单位", "年度", "月份", "得分或次数", "说明")
ledger(Ledger(
    "manual-scores", "人工评分", _SCORE,
    seed=({"评价方案": "county_keywork_2021", "评价项": "key_projects", "被评单位": "武都区", "年度": 2021, "月份": 9,
           "得分或次数": 4},),
    update={"评价方案": "county_keywork_2021", "评价项": "key_projects", "被评单位": "武都区", "年度": 2021, "月份": 9,
            "得分或次数": 4.5, "说明": "复核后加分"},
    new={"评价方案": "county_keywork_2021", "评价项": "project_delay", "被评单位": "康县", "年度": 2021, "月份": 9,
         "得分或次数": 2},
))


# --- files -------------------------------------------------------------------

def seed_file(tmp: Path, spec: Ledger) -> Path:
    return write_xlsx(tmp / f"seed_{spec.kind}.xlsx", [list(spec.header), *map(spec.row, spec.seed)], title=spec.sheet)


def ledger_file(tmp: Path, spec: Ledger, name: str, *rows: dict, header: list | None = None,
                merges: tuple[str, ...] = ()) -> Path:
    header = list(spec.header) if header is None else header
    body = [[cells.get(label) for label in header] for cells in rows]
    return write_xlsx(tmp / f"{spec.kind}_{name}.xlsx", [header, *body], title=spec.sheet, merges=merges)


@dataclass(frozen=True)
class LedgerCase:
    kind: str
    name: str
    build: Callable[[Path], Case]
    doc: str = field(default="", compare=False)

    @property
    def id(self) -> str:
        return f"{self.kind}-{self.name}"


CASES: list[LedgerCase] = []


def bad_row(kind: str, name: str, says: str, column: str | None, doc: str, *, user: str | None = None,
            base: str = "new", **changes) -> None:
    """A file of the two valid rows then a bad one (row 4): ``base`` (new/update)
    with ``changes`` (by Chinese header; ``None`` clears a cell)."""
    spec = LEDGERS[kind]

    def build(tmp: Path) -> Case:
        bad = {**(spec.new if base == "new" else spec.update), **changes}
        path = ledger_file(tmp, spec, name, spec.update, spec.new, bad)
        return Case(path, sheet=spec.sheet, row=4, column=spec.column(column) if column else None, says=says,
                    user=user or spec.user)

    build.__name__ = f"{kind}_{name}"
    CASES.append(LedgerCase(kind, name, build, doc))


def custom(kind: str, name: str, doc: str):
    def register(build: Callable[[Path], Case]):
        CASES.append(LedgerCase(kind, name, build, doc))
        return build
    return register


# --- structural cases, for every ledger ------------------------------------

def _structural(kind: str) -> None:
    spec = LEDGERS[kind]
    kind_arg = ("--kind", kind)

    @custom(kind, "duplicate_key", "the same record twice")
    def duplicate(tmp: Path) -> Case:
        path = ledger_file(tmp, spec, "duplicate", spec.update, spec.new, spec.new)
        return Case(path, sheet=spec.sheet, row=4, says="重复", user=spec.user)

    @custom(kind, "missing_required_column", "a required column is left out")
    def missing(tmp: Path) -> Case:
        label = {"targets": "指标代码", "budget-lines": "科目", "fiscal-gap": "年度",
                 "responsibilities": "责任领导"}.get(kind, spec.header[0])  # 区划代码 may give way to 单位名称
        header = [h for h in spec.header if h != label]
        path = ledger_file(tmp, spec, "missing_column", spec.update, spec.new, header=header)
        return Case(path, sheet=spec.sheet, row=1, says=f"缺少必需的列“{label}”", user=spec.user, args=kind_arg)

    @custom(kind, "unknown_column", "an extra column nobody knows")
    def unknown(tmp: Path) -> Case:
        header = [*spec.header, "联系电话"]
        path = ledger_file(tmp, spec, "unknown_column", spec.update, spec.new, header=header)
        return Case(path, sheet=spec.sheet, row=1, column=column_letter(len(spec.header)), says="无法识别的列名“联系电话”",
                    user=spec.user)

    @custom(kind, "header_only", "the header and no rows")
    def header_only(tmp: Path) -> Case:
        path = ledger_file(tmp, spec, "header_only")
        return Case(path, sheet=spec.sheet, says="只有表头", user=spec.user)

    @custom(kind, "empty_sheet", "a workbook whose only sheet is empty")
    def empty(tmp: Path) -> Case:
        path = write_xlsx(tmp / f"{kind}_empty.xlsx", [], title=spec.sheet)
        return Case(path, sheet=spec.sheet, says="没有任何数据", user=spec.user, args=kind_arg)

    @custom(kind, "merged_header_cells", "two header cells merged into one")
    def merged(tmp: Path) -> Case:
        path = ledger_file(tmp, spec, "merged", spec.update, spec.new, merges=("A1:B1",))
        return Case(path, sheet=spec.sheet, row=1, column="A", says="合并单元格", user=spec.user, args=kind_arg)


for _kind in LEDGERS:
    _structural(_kind)


# --- cell values, ledger by ledger -----------------------------------------

# targets (the foundation corpus has one targets case: an invalid 来源)
bad_row("targets", "unknown_region", "区划代码", "区划代码", "a county code that does not exist",
        **{"区划代码": "629999", "单位名称": ""})
bad_row("targets", "non_number_growth", "不是数字", "目标增速(%)", "words in 目标增速", **{"目标增速(%)": "百分之十"})
bad_row("targets", "county_clerk_sets_target", "无权", None, "a county clerk may not set targets", user="wudu")

# 目标责任书
bad_row("responsibilities", "unknown_lead_unit", "未知的单位“市发展局”", "牵头单位", "a lead unit not in the catalogue",
        牵头单位="市发展局")
bad_row("responsibilities", "unknown_co_unit", "未知的单位“县发改局”", "配合单位", "a county department as co-unit",
        配合单位="市统计局、县发改局")
bad_row("responsibilities", "no_leader", "责任领导为空", "责任领导", "the leader left empty", 责任领导=None)
bad_row("responsibilities", "impossible_date", "不是有效日期", "签订日期", "2月30日", 签订日期="2021-02-30")
bad_row("responsibilities", "county_clerk", "无权", None, "a county clerk may not set the city's pledges", user="wudu")

# projects
bad_row("projects", "unknown_county", "未知的县区", "所属县区", "a county not of this city", 所属县区="天水区")
bad_row("projects", "unknown_department", "未知的部门", "责任部门", "a department that does not exist", 责任部门="市宇航局")
bad_row("projects", "money_not_a_number", "不是数字", "计划总投资（亿元）", "words in a money column",
        **{"计划总投资（亿元）": "约两亿"})
bad_row("projects", "negative_amount", "小于 0", "本年计划投资（亿元）", "a negative amount", **{"本年计划投资（亿元）": -1})
bad_row("projects", "bad_date", "格式不对", "计划开工日期", "a date that is not one", 计划开工日期="2021-13-45")
bad_row("projects", "stage_not_in_list", "建设阶段", "建设阶段", "a stage not in the list", 建设阶段="在建中")
bad_row("projects", "started_without_start_date", "实际开工日期", "实际开工日期", "a continuing project with no start date",
        建设阶段="续建")
bad_row("projects", "row_outside_scope", "无权修改", "所属县区", "a 武都 clerk's file with a 康县 project",
        user="wudu", 统一项目代码="P-KX-2", 所属县区="康县")
bad_row("projects", "update_outside_scope", "无权修改", "所属县区",
        "a 武都 clerk's file moving the existing 康县 project into 武都", user="wudu", 统一项目代码="P-KX-1",
        项目名称="康县茶叶加工", 项目类别="县列", **{"计划总投资（亿元）": 30})

# project progress
bad_row("projects-progress", "unknown_project", "没有统一项目代码", "统一项目代码", "progress of a project not in the ledger",
        统一项目代码="P-NONE-9")
bad_row("projects-progress", "month_13", "1 到 12", "月份", "a month out of range", 月份=13)
bad_row("projects-progress", "month_words", "应为整数", "月份", "a month with a fraction", 月份=9.5)
bad_row("projects-progress", "negative_amount", "小于 0", "本月完成投资（亿元）", "a negative amount",
        **{"本月完成投资（亿元）": -0.2})
bad_row("projects-progress", "ytd_below_month", "不能小于本月", "本年累计完成投资（亿元）", "year-to-date below the month",
        **{"本月完成投资（亿元）": 5.0, "本年累计完成投资（亿元）": 1.0})
bad_row("projects-progress", "row_outside_scope", "无权修改", "统一项目代码", "a 武都 clerk reporting a 康县 project",
        user="wudu", 统一项目代码="P-KX-1")

# investment deals
bad_row("deals", "unknown_county", "未知的县区", "所属县区", "a county not of this city", 所属县区="秦州区")
bad_row("deals", "stage_not_in_list", "进展阶段", "进展阶段", "a stage not in the list", 进展阶段="洽谈中")
bad_row("deals", "bad_date", "格式不对", "签约日期", "a date that is not one", 进展阶段="签约", 签约日期="三月中旬")
bad_row("deals", "negative_amount", "小于 0", "签约金额（亿元）", "a negative amount", **{"签约金额（亿元）": -3})
bad_row("deals", "channel_not_in_list", "招商渠道", "招商渠道", "a channel not in the list", 招商渠道="朋友介绍")
bad_row("deals", "row_outside_scope", "无权修改", "所属县区", "a 武都 clerk's file with a 康县 deal", user="wudu",
        项目编号="ZS-KX-2", 所属县区="康县")

# funds arrived
bad_row("deal-arrivals", "unknown_deal", "招商引资台账中没有", "项目编号", "funds of a deal not in the ledger",
        项目编号="ZS-NONE")
bad_row("deal-arrivals", "month_0", "1 到 12", "月份", "a month out of range", 月份=0)
bad_row("deal-arrivals", "money_not_a_number", "不是数字", "到位资金（亿元）", "words in a money column",
        **{"到位资金（亿元）": "三千万"})
bad_row("deal-arrivals", "year_out_of_range", "小于 2000", "年度", "a year before records", 年度=1921)
bad_row("deal-arrivals", "row_outside_scope", "无权修改", "项目编号", "a 武都 clerk's file with 康县 funds",
        user="wudu", 项目编号="ZS-KX-1")

# enterprises
bad_row("enterprises", "bad_credit_code_check", "校验位错误", "统一社会信用代码", "a credit code with a wrong check character",
        统一社会信用代码=ENT_BAD_CHECK)
bad_row("enterprises", "credit_code_too_short", "应为18位", "统一社会信用代码", "a credit code of 17 characters",
        统一社会信用代码=ENT_C[:17])
bad_row("enterprises", "credit_code_bad_char", "非法字符", "统一社会信用代码", "a credit code with a letter O",
        统一社会信用代码="O" + ENT_C[1:])
bad_row("enterprises", "unknown_county", "未知的县区", "所属县区", "a county not of this city", 所属县区="麦积区")
bad_row("enterprises", "status_not_in_list", "生产状态", "生产状态", "a status not in the list", 生产状态="歇业")
bad_row("enterprises", "bool_not_yes_no", "是 或 否", "是否规上", "是否规上 neither yes nor no", 是否规上="也许")
bad_row("enterprises", "scale_year_without_scale", "入规年份", "入规年份", "入规年份 for an enterprise not above scale",
        入规年份=2019)
bad_row("enterprises", "bad_industry_code", "行业代码", "行业代码", "an industry code not of GB/T 4754", 行业代码="水泥")
bad_row("enterprises", "row_outside_scope", "无权修改", "所属县区", "a 武都 clerk's file with a 康县 enterprise",
        user="wudu", 统一社会信用代码=make_credit_code("621224", "MA000004"), 所属县区="康县")

# enterprise months
bad_row("enterprise-months", "month_13", "大于 12", "月份", "a month out of range", 月份=13)
bad_row("enterprise-months", "unknown_enterprise", "企业台账中没有", "统一社会信用代码", "an enterprise not in the ledger",
        统一社会信用代码=ENT_UNKNOWN)
bad_row("enterprise-months", "name_disagrees", "企业名称与台账不符", "企业名称", "the name of another enterprise",
        企业名称="康县茶业")
bad_row("enterprise-months", "negative_revenue", "小于 0", "当月主营业务收入(万元)", "a negative amount",
        **{"当月主营业务收入(万元)": -5})
bad_row("enterprise-months", "row_outside_scope", "无权修改", "统一社会信用代码", "a 武都 clerk's file with 康县 figures",
        user="wudu", 统一社会信用代码=ENT_B, 企业名称="康县茶业")

# fiscal: budget execution
bad_row("budget-lines", "unknown_unit", "未知的县区", "单位", "a unit that does not exist", 单位="某某县")
bad_row("budget-lines", "unit_of_another_city", "不是市级或本市县区", "单位", "a city of another city", 单位="兰州市")
bad_row("budget-lines", "item_not_in_list", "科目", "科目", "a budget item not in the list", 科目="其他收入")
bad_row("budget-lines", "month_13", "大于 12", "月份", "a month out of range", 月份=13)
bad_row("budget-lines", "money_not_a_number", "不是数字", "累计完成(亿元)", "words in a money column", **{"累计完成(亿元)": "六个亿"})
bad_row("budget-lines", "row_outside_scope", "无权修改", "单位", "a 武都 clerk's file with 康县 figures", user="wudu", 单位="康县")

# land parcels
bad_row("land-parcels", "negative_fee", "小于 0", "应缴出让金(万元)", "a negative amount", **{"应缴出让金(万元)": -100})
bad_row("land-parcels", "paid_beyond_due", "已缴金额不能大于应缴出让金", "已缴(万元)", "more paid than due",
        **{"已缴(万元)": 5000})
bad_row("land-parcels", "bad_date", "格式不对", "成交日期", "a date that is not one", 成交日期="2021-02-30")
bad_row("land-parcels", "row_outside_scope", "无权修改", "单位", "a 武都 clerk's file with a 康县 parcel", user="wudu",
        单位="康县")

# special bonds
bad_row("special-bonds", "money_not_a_number", "不是数字", "分配额度(万元)", "words in a money column",
        **{"分配额度(万元)": "三千"})
bad_row("special-bonds", "spent_beyond_allocated", "已支出不能大于分配额度", "已支出(万元)", "more spent than allocated",
        **{"已支出(万元)": 9000})
bad_row("special-bonds", "year_out_of_range", "大于 2100", "年度", "a year far in the future", 年度=2221)
bad_row("special-bonds", "row_outside_scope", "无权修改", "单位", "a 武都 clerk's file with a 康县 bond",
        user="wudu", 债券项目编号="ZX-2021-03", 单位="康县")

# fiscal gap parameters
bad_row("fiscal-gap", "share_beyond_one", "大于 1", "土地出让收入计入比例", "a share above 1", 土地出让收入计入比例=1.5)
bad_row("fiscal-gap", "projection_not_in_list", "一般公共预算收入推算", "一般公共预算收入推算", "a method not in the list",
        一般公共预算收入推算="拍脑袋")
bad_row("fiscal-gap", "empty_required_cell", "不能为空", "上级补助(亿元)", "a required amount left blank",
        **{"上级补助(亿元)": None})
bad_row("fiscal-gap", "row_outside_scope", "无权修改", "单位", "a 武都 clerk's file with 康县 parameters", user="wudu",
        单位="康县")

# chains
bad_row("chains", "as_of_month_13", "大于 12", "截至月份", "a month out of range", 截至月份=13)
bad_row("chains", "negative_target", "小于 0", "年度产值目标(亿元)", "a negative amount", **{"年度产值目标(亿元)": -20})
bad_row("chains", "unknown_department", "未知的部门", "牵头部门", "a department that does not exist", 牵头部门="市造船局")
bad_row("chains", "actual_without_month", "截至月份", "截至月份", "an output actual with no month",
        **{"累计完成产值(亿元)": 5})
bad_row("chains", "empty_chief", "不能为空", "链长", "a required cell left blank", 链长=None)
bad_row("chains", "row_outside_scope", "无权修改", "链代码", "the 工信局's file changing the 农业农村局's chain",
        user="gongxin", 链代码="chaye", 产业链="茶产业链", 牵头部门="市农业农村局")

# chain members
bad_row("chain-members", "unknown_chain", "没有链代码", "链代码", "a member of a chain not in the ledger", 链代码="nochain")
bad_row("chain-members", "segment_not_in_list", "环节", "环节", "a segment not in the list", 环节="旁游")
bad_row("chain-members", "unknown_credit_code", "企业台账中没有", "统一社会信用代码", "an enterprise not in the ledger",
        统一社会信用代码=ENT_UNKNOWN)
bad_row("chain-members", "row_outside_scope", "无权修改", "链代码", "the 工信局 adding to the 农业农村局's chain",
        user="gongxin", 链代码="chaye")

# parks
bad_row("parks", "plan_status_not_in_list", "规划状态", "规划状态", "a status not in the list", 规划状态="搁置")
bad_row("parks", "bad_date", "格式不对", "规划编制期限", "a date that is not one", 规划编制期限="明年")
bad_row("parks", "unknown_county", "未知的县区", "属地县区", "a county not of this city", 属地县区="成都市")
bad_row("parks", "new_plan_without_deadline", "编制期限", "规划编制期限", "a new plan with no deadline",
        规划编制期限=None)
bad_row("parks", "row_outside_scope", "无权修改", "属地县区", "a 武都 clerk's file with a 康县 park", user="wudu",
        园区代码="YQ-3", 属地县区="康县")

# 人工评分 (set from above: approvers and 管理员, never a county for itself)
bad_row("manual-scores", "unknown_scheme", "找不到评价方案", "评价方案", "a scheme that does not exist",
        评价方案="county_2099")
bad_row("manual-scores", "item_not_manual", "没有人工评分项“gdp”", "评价项", "an item the scheme computes, not hand-scored",
        评价项="gdp")
bad_row("manual-scores", "points_above_weight", "0 到 5 之间", "得分或次数", "more points than the item's weight",
        评价项="key_projects", 得分或次数=6)
bad_row("manual-scores", "negative_count", "不能为负数", "得分或次数", "a negative count of a penalty clause", 得分或次数=-1)
bad_row("manual-scores", "score_not_a_number", "不是数字", "得分或次数", "words for points", 得分或次数="优秀")
bad_row("manual-scores", "county_scores_itself", "无权", "被评单位", "a 武都 clerk scoring 武都", user="wudu",
        被评单位="武都区")

# 储备项目, 重大基础设施前期项目 and their 前期工作节点
bad_row("reserve-projects", "year_words", "不是数字", "计划实施年度", "a year in words", 计划实施年度="明年")
bad_row("reserve-projects", "status_not_in_list", "争取状态", "争取状态", "a status not in the list", 争取状态="等待")
bad_row("reserve-projects", "row_outside_scope", "无权修改", "所属县区", "a 武都 clerk's file with a 康县 project",
        user="wudu")
bad_row("infra-projects", "kind_not_in_list", "类型", "类型", "a kind not in the list", 类型="机场")
bad_row("infra-projects", "bad_date", "格式不对", "争取开工时间", "a date that is not one", 争取开工时间="明年春")
bad_row("infra-milestones", "unknown_project", "没有编号“JC-9”", "项目编号", "a node of a project not in the ledger",
        项目编号="JC-9")
bad_row("infra-milestones", "no_planned_date", "不能为空", "计划完成", "a node without its planned date", 计划完成=None)
bad_row("infra-milestones", "row_outside_scope", "无权修改", None, "a 康县 clerk's file with 武都's node", user="kangxian")
