"""Deterministic demo figures (演示数据) that tell the story of the speech's first section.

Pure Python + numpy/pandas, no Django. ``generate()`` returns the monthly cumulative figures
2018-01 → 2021-10 of 甘肃省, its 14 市州 and 陇南's 9 县区 for every indicator of the catalogue,
and the 2021 targets. The same output on every run and machine: every random draw comes from a
generator seeded by (SEED, region code, indicator code), never from iteration order or time.

How the figures are built
-------------------------
* Leaf units (13 市州 other than 陇南, and 陇南's 9 县区) get an annual trend level per indicator
  (2021 magnitude from the profiles below, back-cast with a growth rate per year), spread over the
  months with a seasonal profile, the 2020 epidemic dip and a small in-year drift; the cumulative
  sum gives the 1-n月 figure. 2017 is generated internally so that 2018 has growth rates.
* GDP is the sum of its three components; its growth is real (可比价): nominal growth minus a
  deflator of about 2-3 points. 规上工业增加值 is a growth rate only.
* 陇南 = the sum of its counties (additive indicators), the population-weighted mean (survey income)
  or the industry-weighted mean (规上工业增速). 甘肃省 likewise over the 14 市州, without noise.
* Published current-price growth = value / same period last year - 1, computed from the rounded
  values, plus a same-scope (同口径) noise of at most ``SAME_SCOPE_NOISE`` points.
* The story: 陇南's growth ranks among the 14 市州 are set (``HOME_GROWTH_RANKS``) by scaling its
  counties' 2021 values; when two neighbours are too close for a clean rank, the other cities are
  nudged apart by at most a few tenths of a point. 定西's GDP is then set relative to 陇南's.
"""

from __future__ import annotations

import json
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

SEED = 20211029

# --- the story -------------------------------------------------------------------------------

PROVINCE = "620000"  # 甘肃省
HOME_CITY = "621200"  # 陇南市 (本市)

# 定西市 overtakes 陇南's GDP in 2021 for the first time in years: below 陇南 at every GDP quarter
# 2018-2020, above it at 2021-03/06/09 ("GDP近3年来首次被定西超越"). Its GDP is set as a ratio of
# 陇南's (below); its real growth is a little above 陇南's so that it really passes.
OVERTAKING_CITY = "621100"
OVERTAKE_RATIO_BEFORE = (0.955, 0.99)  # 定西 GDP / 陇南 GDP, each quarter 2017-2019
OVERTAKE_RATIO_2020 = (0.984, 0.992)
OVERTAKE_RATIO_2021 = (1.006, 1.012)
OVERTAKE_REAL_GROWTH_LEAD = 1.0  # 定西's 2021 real GDP growth = 陇南's + this (points)

# 陇南's growth rank among the 14 市州: (上半年 = months up to 6, 前三季度 = months 7 to 10).
# Better at 前三季度 than at 上半年 on most lines, so the composite key-work rank moves forward.
HOME_GROWTH_RANKS: dict[str, tuple[int, int]] = {
    "gdp": (6, 4),
    "industry_va": (11, 10),  # 工业发展有差距: the weak line of the main indicators
    "fai": (5, 3),
    "retail": (4, 3),
    "revenue_broad": (5, 4),
    "revenue_general": (4, 2),
    "income_urban": (12, 12),  # 城乡居民收入增长倒数第3位
    "income_rural": (6, 5),
    "eco_industry_va": (13, 13),  # 生态产业增加值倒数第2位
    "fai_industry": (12, 12),  # 工业固定资产投资增量及增速第12位
}

# Two cities whose 工业投资 shrinks in 2021, so that 陇南's small positive-or-flat increment ranks
# 12th among the 14 like its growth ("工业固定资产投资增量及增速第12位").
FAI_INDUSTRY_SHRINKING_CITIES = ("620200", "623000")  # 嘉峪关市, 甘南州
FAI_INDUSTRY_SHRINK_2021 = -8.0  # trend growth (%)

# Counties where 规上工业 falls in 2021: their cumulative industry_va growth at 2021-10, far below
# the city-set target. The enterprise ledger puts its stopped enterprises (停产企业) here.
INDUSTRY_FALLING_COUNTIES: dict[str, float] = {
    "621221": -0.8,  # 成县
    "621227": -2.6,  # 徽县
    "621225": -4.1,  # 西和县
    "621228": -6.7,  # 两当县
}
LARGEST_COUNTY = "621202"  # 武都区
SMALLEST_COUNTY = "621228"  # 两当县

# 陇南's 2021 GDP target (省定) is set so that 前三季度 completes this share of it (序时进度 75%).
GDP_TARGET_COMPLETION_Q3 = 0.685
# 陇南's 2021 土地出让收入 budget is set so that 1-10月 completes this share (序时进度 83%).
LAND_REVENUE_COMPLETION_OCT = 0.40
# 招商引资到位资金: 1-10月 completion of the annual target.
INVESTMENT_COMPLETION_OCT = 0.78
# Growth targets (%) the province sets for its cities in 2021 (each city within a point of these),
# and 陇南's own: ahead on most lines ("能够完成或略超年度计划目标"), behind on 规上工业 and 城镇收入.
# The city sets its counties' targets within a point of its own.
PROVINCE_GROWTH_TARGETS = {
    "gdp": 7.0, "fai": 10.0, "retail": 10.0, "revenue_general": 8.0, "revenue_broad": 8.0,
    "industry_va": 8.0, "income_urban": 8.0, "income_rural": 9.5,
}
HOME_GROWTH_TARGETS = {
    "gdp": 7.5, "fai": 10.0, "retail": 10.0, "revenue_general": 8.0, "revenue_broad": 8.0,
    "industry_va": 8.5, "income_urban": 8.0, "income_rural": 10.0,
}
# 规上工业 targets of the falling counties: far above what they reach.
FALLING_COUNTY_INDUSTRY_TARGET = 9.0

# --- statistics conventions ------------------------------------------------------------------

FIRST_YEAR, LAST_YEAR, LAST_MONTH = 2018, 2021, 10
BASE_YEAR = 2017  # generated internally only, as the base of 2018's growth
YEARS = np.arange(BASE_YEAR, LAST_YEAR + 1)
Y2020, Y2021 = 3, 4  # row indexes in the (year, month) arrays
SAME_SCOPE_NOISE = 0.3  # points; 同口径 base restatement
MIN_RANK_GAP = 0.6  # points between the two neighbours of a targeted rank

COMPONENTS = ("gdp_primary", "gdp_secondary", "gdp_tertiary")
SECTOR_DEFLATOR_OFFSET = {"gdp": 0.0, "gdp_primary": 0.4, "gdp_secondary": 0.8, "gdp_tertiary": -0.4}
GDP_DEFLATOR = (2.6, 2.8, 2.1, 1.5, 2.4)  # points, by year 2017..2021
SURVEY = ("income_urban", "income_rural")
RATE = "industry_va"
STOCK = "loans_balance"
FLOWS = (
    *COMPONENTS, "fai", "fai_industry", "retail", "revenue_broad", "revenue_general", "revenue_tax",
    "expenditure_general", "land_revenue", "eco_industry_va", "investment_arrived", *SURVEY,
)

# Trend nominal growth (%) by year 2018..2021, and the spread between units (points).
TREND_GROWTH: dict[str, tuple[tuple[float, float, float, float], float]] = {
    "gdp_primary": ((5.5, 6.0, 6.5, 8.0), 1.5),
    "gdp_secondary": ((8.0, 5.5, 4.0, 9.0), 2.5),
    "gdp_tertiary": ((9.5, 8.0, 3.5, 9.0), 1.5),
    "fai": ((-3.0, 6.5, 7.5, 10.0), 5.0),
    "fai_industry": ((-6.0, 4.0, 8.0, 12.0), 9.0),
    "retail": ((7.5, 7.0, 1.0, 10.0), 2.0),
    "revenue_broad": ((8.0, 4.0, 1.0, 9.0), 3.5),
    "revenue_general": ((7.0, 5.0, 1.5, 9.0), 3.5),
    "revenue_tax": ((8.0, 3.0, 0.0, 10.0), 4.0),
    "expenditure_general": ((10.0, 8.0, 5.0, 2.0), 3.0),
    "land_revenue": ((15.0, 10.0, 12.0, 5.0), 15.0),
    "eco_industry_va": ((10.0, 9.0, 6.0, 11.0), 3.0),
    "investment_arrived": ((12.0, 10.0, 8.0, 12.0), 7.0),
    "income_urban": ((7.5, 7.0, 4.0, 7.5), 0.8),
    "income_rural": ((9.0, 9.0, 7.5, 10.0), 0.8),
    "loans_balance": ((9.0, 8.0, 10.0, 9.0), 2.5),
}
# 规上工业增加值 growth by year 2017..2021 and the spread between cities.
INDUSTRY_GROWTH, INDUSTRY_SPREAD = (5.0, 5.0, 9.0, 6.0, 8.0), 3.0

# Monthly flow weights (January .. December): the shape of the cumulative figures.
MONTH_WEIGHTS = {
    "gdp_primary": (4, 4, 4, 6, 7, 8, 10, 12, 14, 12, 10, 9),
    "gdp_secondary": (6, 6, 8, 8, 9, 9, 8, 8, 9, 9, 9, 11),
    "gdp_tertiary": (7, 7, 8, 8, 8, 9, 8, 8, 9, 9, 9, 10),
    "fai": (2, 3, 7, 9, 10, 12, 10, 10, 11, 10, 9, 7),  # back-loaded, little in 1-2月
    "fai_industry": (2, 3, 6, 9, 10, 12, 10, 10, 11, 10, 10, 7),
    "retail": (9, 7, 8, 8, 8, 8, 8, 8, 8.5, 9, 9, 10.5),
    "revenue_broad": (13, 8, 9, 10, 9, 9, 8, 7, 7, 8, 6, 6),  # front-loaded
    "revenue_general": (13, 8, 9, 10, 9, 9, 8, 7, 7, 8, 6, 6),
    "revenue_tax": (14, 8, 9, 10, 9, 9, 8, 7, 7, 8, 5.5, 5.5),
    "expenditure_general": (5, 6, 8, 8, 8, 9, 8, 8, 9, 8, 9, 14),  # year-end spending
    "land_revenue": (3, 4, 6, 6, 7, 9, 7, 7, 9, 8, 12, 22),  # lumpy, year-end
    "eco_industry_va": (6, 6, 8, 8, 8, 9, 8, 9, 9, 9, 9, 11),
    "investment_arrived": (4, 4, 7, 8, 9, 11, 9, 9, 10, 9, 10, 10),
    "income_urban": (9, 8, 9, 8, 8, 8, 8, 8, 8, 8, 8, 10),
    "income_rural": (10, 8, 8, 6, 6, 6, 7, 8, 10, 10, 10, 11),  # harvest in Q3/Q4
    "loans_balance": (18, 6, 10, 8, 7, 9, 6, 6, 8, 5, 7, 10),  # new loans: a January rush
}
# The 2020 epidemic: share of the month's flow lost (negative = catch-up), times a strength.
COVID_DIP = np.array([0.10, 0.40, 0.15, 0.05, 0.02, 0.0, 0.0, 0.0, -0.01, -0.01, -0.01, -0.01])
COVID_STRENGTH = {
    "gdp_primary": 0.1, "gdp_secondary": 0.35, "gdp_tertiary": 0.3, "fai": 0.8, "fai_industry": 0.8,
    "retail": 0.7, "revenue_broad": 0.5, "revenue_general": 0.5, "revenue_tax": 0.5,
    "expenditure_general": 0.0, "land_revenue": 0.6, "eco_industry_va": 0.3,
    "investment_arrived": 0.7, "income_urban": 0.1, "income_rural": 0.05,
}
# 规上工业 cumulative growth: the 2020 dip and the 2021 rebound on the low base (points, Jan..Dec).
INDUSTRY_DIP_2020 = np.array([-10, -10, -5, -2.5, -1.2, -0.5, 0, 0, 0, 0, 0, 0], dtype=float)
INDUSTRY_REBOUND_2021 = np.array([12, 12, 7, 4.5, 3, 2, 1.2, 0.6, 0.3, 0, 0, 0], dtype=float)

# Magnitudes: 2021 GDP (亿元), population (万人), urban and rural income (元/人),
# primary and secondary shares of GDP. 定西's GDP is overwritten from 陇南's.
CITY_PROFILES: dict[str, tuple[float, float, float, float, float, float]] = {
    "620100": (3230, 436, 45500, 16000, 0.02, 0.33),  # 兰州市
    "620200": (340, 31, 48500, 22000, 0.02, 0.62),  # 嘉峪关市
    "620300": (420, 44, 44000, 19000, 0.07, 0.58),  # 金昌市
    "620400": (575, 151, 35000, 13000, 0.14, 0.38),  # 白银市
    "620500": (800, 298, 32500, 11000, 0.17, 0.30),  # 天水市
    "620600": (580, 146, 33500, 15000, 0.26, 0.28),  # 武威市
    "620700": (560, 113, 33000, 17500, 0.25, 0.22),  # 张掖市
    "620800": (550, 185, 33000, 12000, 0.21, 0.28),  # 平凉市
    "620900": (780, 106, 45000, 21000, 0.15, 0.35),  # 酒泉市
    "621000": (950, 218, 35000, 12500, 0.14, 0.47),  # 庆阳市
    "621100": (520, 252, 30500, 11000, 0.22, 0.20),  # 定西市
    "622900": (360, 211, 27000, 10000, 0.17, 0.17),  # 临夏回族自治州
    "623000": (230, 69, 32000, 11000, 0.20, 0.17),  # 甘南藏族自治州
}
COUNTY_PROFILES: dict[str, tuple[float, float, float, float, float, float]] = {
    "621202": (150, 56, 33000, 11000, 0.15, 0.18),  # 武都区
    "621221": (75, 24, 32000, 11500, 0.12, 0.38),  # 成县
    "621222": (45, 20, 29000, 10000, 0.22, 0.28),  # 文县
    "621223": (35, 26, 26000, 8800, 0.30, 0.14),  # 宕昌县
    "621224": (30, 17, 28000, 9500, 0.25, 0.16),  # 康县
    "621225": (50, 37, 27000, 9200, 0.25, 0.20),  # 西和县
    "621226": (50, 43, 27500, 9300, 0.30, 0.15),  # 礼县
    "621227": (60, 20, 32500, 12000, 0.13, 0.36),  # 徽县
    "621228": (15, 4.3, 30000, 10500, 0.20, 0.30),  # 两当县
}
# Other indicators as a ratio of 2021 GDP; per-unit multipliers below. expenditure_general is
# partly per head (亿元 per 万人), see _annual_level.
GDP_RATIOS = {
    "fai": 0.62, "fai_industry": 0.13, "retail": 0.38, "revenue_broad": 0.14,
    "revenue_general": 0.075, "revenue_tax": 0.052, "expenditure_general": 0.05,
    "land_revenue": 0.045, "eco_industry_va": 0.24, "investment_arrived": 0.35, "loans_balance": 1.7,
}
RATIO_MULTIPLIERS = {
    "620100": {"retail": 1.2, "land_revenue": 1.6, "loans_balance": 2.3, "investment_arrived": 0.6},
    "620200": {"fai_industry": 1.8, "revenue_general": 0.9},
    "620300": {"fai_industry": 1.8},
    "621000": {"revenue_general": 1.3, "revenue_broad": 1.4, "fai_industry": 1.6},
    "621200": {"fai": 0.85, "fai_industry": 0.55, "retail": 0.85, "eco_industry_va": 1.2, "investment_arrived": 1.1},
}
# 陇南's 2021 trend growth by county for the secondary industry: the falling counties shrink,
# so 二产对经济增长的贡献 stays small.
HOME_SECONDARY_2021 = {"621221": -1.0, "621227": -2.0, "621225": -3.0, "621228": -4.0}
HOME_SECONDARY_2021_OTHERS = 6.0
HOME_TRENDS_2021 = {"gdp_primary": 7.0, "gdp_tertiary": 10.0}
LANZHOU_GROWTH_BIAS = -1.5  # 兰州 grows a little below the province's other cities in 2021
# 2021 industry_va growth of the non-falling counties relative to each other (points).
INDUSTRY_OTHER_COUNTY_BASE = {"621202": 2.0, "621222": 0.0, "621223": 3.0, "621224": 0.5, "621226": 1.0}

_DATA = Path(__file__).resolve().parents[1]
CATALOGUE_PATH = _DATA / "indicators" / "data" / "catalogue.json"
REGIONS_PATH = _DATA / "org" / "data" / "regions_china.json.gz"


@dataclass
class DemoFigures:
    observations: pd.DataFrame  # region, indicator, year, month, value, growth
    targets: pd.DataFrame  # region, indicator, year, total, growth, source


def generate() -> DemoFigures:
    """The demo figures and 2021 targets (deterministic)."""
    builder = _Builder()
    builder.build()
    return DemoFigures(observations=builder.observations(), targets=builder.targets())


def _rng(*keys: int | str) -> np.random.Generator:
    """A generator seeded by SEED and stable keys (crc32 of strings, never Python's hash)."""
    ints = [SEED] + [k if isinstance(k, int) else zlib.crc32(k.encode()) for k in keys]
    return np.random.default_rng(ints)


def _round(indicator: str, values):
    return np.round(values, 0 if indicator in SURVEY else 2)


def load_catalogue() -> dict[str, dict]:
    with open(CATALOGUE_PATH, encoding="utf-8") as fh:
        return {item["code"]: item for item in json.load(fh)["indicators"]}


def load_regions() -> tuple[list[str], list[str]]:
    """The codes of the province's cities and the home city's counties, sorted."""
    from diaodu.org.loaders import read_regions

    regions = read_regions(REGIONS_PATH)["regions"]
    cities = sorted(r["code"] for r in regions if r["parent"] == PROVINCE)
    counties = sorted(r["code"] for r in regions if r["parent"] == HOME_CITY)
    return cities, counties


def publishing_months(spec: dict, year: int) -> list[int]:
    """The months an indicator publishes in a year (1-2月 merged; quarters; stop at 2021-10)."""
    if spec["frequency"] == "quarterly":
        months = [3, 6, 9, 12]
    else:
        months = list(range(spec.get("first_month", 2), 13))
    last = LAST_MONTH if year == LAST_YEAR else 12
    return [m for m in months if m <= last]


class _Builder:
    """Holds the (year 2017..2021) × (month 1..12) arrays while the story is put together."""

    def __init__(self) -> None:
        self.catalogue = load_catalogue()
        self.cities, self.counties = load_regions()
        self.profiles = {**CITY_PROFILES, **COUNTY_PROFILES}
        self.values: dict[tuple[str, str], np.ndarray] = {}  # leaf cumulative values
        self.rates: dict[str, np.ndarray] = {}  # industry_va growth by region (leaves and home)
        self.noise: dict[tuple[str, str], np.ndarray] = {}
        self.deflators: dict[str, np.ndarray] = {}  # leaf GDP deflators
        self.population = {code: p[1] for code, p in self.profiles.items()}
        self.population[HOME_CITY] = sum(COUNTY_PROFILES[c][1] for c in self.counties)

    # ----- building ------------------------------------------------------------------------

    def build(self) -> None:
        leaves = [c for c in self.cities if c != HOME_CITY] + self.counties
        for region in leaves:
            for indicator in FLOWS:
                self.values[region, indicator] = self._flow(region, indicator)
            self.values[region, STOCK] = self._stock(region)
            self.deflators[region] = self._deflator(region)
        for region in self.cities:
            self.rates[region] = self._industry_path(region)
            for indicator in self.catalogue:
                rng = _rng("noise", region, indicator)
                self.noise[region, indicator] = rng.uniform(-SAME_SCOPE_NOISE, SAME_SCOPE_NOISE, (5, 12))
        for region in self.counties:
            for indicator in self.catalogue:
                rng = _rng("noise", region, indicator)
                self.noise[region, indicator] = rng.uniform(-SAME_SCOPE_NOISE, SAME_SCOPE_NOISE, (5, 12))
        for indicator, ranks in HOME_GROWTH_RANKS.items():
            for month in publishing_months(self.catalogue[indicator], LAST_YEAR):
                self._place_home(indicator, month, ranks[0] if month <= 6 else ranks[1])
        self._county_industry()
        self._overtake()

    def _annual_level(self, region: str, indicator: str, rng: np.random.Generator) -> np.ndarray:
        """The trend annual level 2017..2021 (亿元; 元 per head; year-end stock)."""
        gdp, pop, urban, rural, primary, secondary = self.profiles[region]
        if indicator in SURVEY:
            level = urban if indicator == "income_urban" else rural
        elif indicator in COMPONENTS:
            share = {"gdp_primary": primary, "gdp_secondary": secondary}.get(indicator, 1 - primary - secondary)
            level = gdp * share
        else:
            parent = HOME_CITY if region in COUNTY_PROFILES else region
            ratio = GDP_RATIOS[indicator] * RATIO_MULTIPLIERS.get(parent, {}).get(indicator, 1.0)
            level = gdp * ratio * float(np.exp(rng.normal(0, 0.15)))
            if indicator == "expenditure_general":
                level += 1.0 * pop
        trend, spread = TREND_GROWTH[indicator]
        if region in COUNTY_PROFILES:
            spread *= 1.3
        growth = np.array(trend) + rng.normal(0, spread, 4)
        if region == "620100":
            growth[-1] += LANZHOU_GROWTH_BIAS
        if indicator == "fai_industry" and region in FAI_INDUSTRY_SHRINKING_CITIES:
            growth[-1] = FAI_INDUSTRY_SHRINK_2021 + rng.normal(0, 1)
        if region in COUNTY_PROFILES and indicator == "gdp_secondary":
            growth[-1] = HOME_SECONDARY_2021.get(region, HOME_SECONDARY_2021_OTHERS) + rng.normal(0, 1)
        if region in COUNTY_PROFILES and indicator in HOME_TRENDS_2021:
            growth[-1] = HOME_TRENDS_2021[indicator] + rng.normal(0, 1.5)
        growth = np.maximum(growth, -25.0)
        back = np.cumprod((1 + growth / 100)[::-1])[::-1]  # level(2021) / level(year), 2017..2020
        return level / np.append(back, 1.0)

    def _flow(self, region: str, indicator: str) -> np.ndarray:
        """Cumulative 1-n月 values of a flow (or survey per-head income) for 2017..2021."""
        rng = _rng("flow", region, indicator)
        annual = self._annual_level(region, indicator, rng)
        weights = np.array(MONTH_WEIGHTS[indicator], dtype=float) * np.exp(rng.normal(0, 0.05, 12))
        weights = weights[None, :] * np.exp(rng.normal(0, 0.02, (5, 12)))
        shares = weights / weights.sum(axis=1, keepdims=True)
        months = np.arange(1, 13)
        drift_sd = 0.01 if indicator in SURVEY else 0.03  # survey incomes move smoothly
        drift = np.exp(rng.normal(0, drift_sd, (5, 1)) * (months - 6.5) / 5.5)
        covid = np.ones((5, 12))
        covid[Y2020] -= COVID_STRENGTH[indicator] * COVID_DIP
        flows = annual[:, None] * shares * drift * covid
        return _round(indicator, np.cumsum(flows, axis=1))

    def _stock(self, region: str) -> np.ndarray:
        """Month-end loan balances: last December plus a share of the year's new loans."""
        rng = _rng("stock", region)
        annual = self._annual_level(region, STOCK, rng)
        previous = annual[0] / (1 + (TREND_GROWTH[STOCK][0][0] + rng.normal(0, 1)) / 100)
        starts = np.append(previous, annual[:-1])
        weights = np.array(MONTH_WEIGHTS[STOCK], dtype=float)[None, :] * np.exp(rng.normal(0, 0.2, (5, 12)))
        shares = np.cumsum(weights, axis=1) / weights.sum(axis=1, keepdims=True)
        return _round(STOCK, starts[:, None] + (annual - starts)[:, None] * shares)

    def _deflator(self, region: str) -> np.ndarray:
        rng = _rng("deflator", region)
        yearly = np.array(GDP_DEFLATOR) + rng.normal(0, 0.4, 5)
        return np.clip(yearly[:, None] + rng.normal(0, 0.1, (5, 12)), 0.5, 4.0)

    def _industry_path(self, region: str) -> np.ndarray:
        """Cumulative 规上工业增加值 growth (%) of a city, 2017..2021 × months."""
        rng = _rng("industry", region)
        yearly = np.array(INDUSTRY_GROWTH) + rng.normal(0, INDUSTRY_SPREAD, 5)
        if region == "620100":
            yearly[Y2021] += LANZHOU_GROWTH_BIAS
        months = np.arange(1, 13)
        path = yearly[:, None] + rng.normal(0, 1.5, (5, 1)) * (months - 7) / 5
        path[Y2020] += INDUSTRY_DIP_2020 * rng.uniform(0.6, 1.4)
        path[Y2021] += INDUSTRY_REBOUND_2021 * rng.uniform(0.6, 1.4)
        return np.round(path + rng.normal(0, 0.2, (5, 12)), 1)

    # ----- reading the current state -------------------------------------------------------

    def children(self, region: str) -> list[str]:
        return self.counties if region == HOME_CITY else self.cities

    def value(self, region: str, indicator: str) -> np.ndarray:
        """Cumulative values (5 × 12) of any unit; aggregates are computed from their children."""
        if indicator == "gdp":
            return _round("gdp", sum(self.value(region, c) for c in COMPONENTS))
        if region not in (HOME_CITY, PROVINCE):
            return self.values[region, indicator]
        children = self.children(region)
        stacked = np.stack([self.value(c, indicator) for c in children])
        if indicator in SURVEY:
            weights = np.array([self.population[c] for c in children])
            return _round(indicator, np.tensordot(weights, stacked, axes=1) / weights.sum())
        return _round(indicator, stacked.sum(axis=0))

    def deflator(self, region: str) -> np.ndarray:
        """The GDP deflator (points); an aggregate's is its children's, weighted by last year's GDP."""
        if region not in (HOME_CITY, PROVINCE):
            return self.deflators[region]
        children = self.children(region)
        previous = np.stack([self.value(c, "gdp") for c in children])[:, :-1]
        deflators = np.stack([self.deflator(c) for c in children])[:, 1:]
        out = np.full((5, 12), np.nan)
        out[1:] = (previous * deflators).sum(axis=0) / previous.sum(axis=0)
        return out

    def industry_weights(self, children: list[str]) -> np.ndarray:
        """Weights of 规上工业增速 aggregation: 2020 secondary industry value added."""
        weights = np.array([self.value(c, "gdp_secondary")[Y2020, 11] for c in children])
        return weights / weights.sum()

    def industry(self, region: str) -> np.ndarray:
        if region == PROVINCE:
            weights = self.industry_weights(self.cities)
            return np.round(np.tensordot(weights, np.stack([self.rates[c] for c in self.cities]), axes=1), 1)
        return self.rates[region]

    def growth(self, region: str, indicator: str) -> np.ndarray:
        """Published cumulative growth (%) (5 × 12; 2017 is NaN)."""
        if indicator == RATE:
            return self.industry(region)
        out = np.full((5, 12), np.nan)
        out[1:] = self._raw_growth(region, indicator)
        return np.round(out, 1)

    def _raw_growth(self, region: str, indicator: str) -> np.ndarray:
        """Unrounded published growth for 2018..2021 (4 × 12)."""
        values = self.value(region, indicator)
        with np.errstate(divide="ignore", invalid="ignore"):
            growth = 100 * (values[1:] / values[:-1] - 1)
        if indicator in SECTOR_DEFLATOR_OFFSET:
            growth = growth - self.deflator(region)[1:] - SECTOR_DEFLATOR_OFFSET[indicator]
        if region != PROVINCE:
            growth = growth + self.noise[region, indicator][1:]
        return growth

    # ----- the story -----------------------------------------------------------------------

    def _place_home(self, indicator: str, month: int, rank: int) -> None:
        """Make 陇南's 2021 growth at `month` rank `rank` among the 14 市州."""
        others = [c for c in self.cities if c != HOME_CITY]
        if indicator == "gdp":  # 定西 is placed just above 陇南 afterwards
            others.remove(OVERTAKING_CITY)
            rank -= 1
        col = month - 1
        growth = np.array([self.growth(c, indicator)[Y2021, col] for c in others])
        order = np.argsort(-growth, kind="stable")
        above, below = order[: rank - 1], order[rank - 1 :]
        if len(above) and len(below):
            gap = growth[above[-1]] - growth[below[0]]
            if gap < MIN_RANK_GAP:  # nudge the two groups apart, keeping their order
                shift = (MIN_RANK_GAP - gap) / 2 + 0.05
                for i in above:
                    self._shift_growth(others[i], indicator, col, shift)
                for i in below:
                    self._shift_growth(others[i], indicator, col, -shift)
                growth = np.array([self.growth(c, indicator)[Y2021, col] for c in others])
        high = growth[above].min() if len(above) else growth.max() + 2 * MIN_RANK_GAP
        low = growth[below].max() if len(below) else growth.min() - 2 * MIN_RANK_GAP
        self._set_home_growth(indicator, col, (high + low) / 2)

    def _shift_growth(self, region: str, indicator: str, col: int, delta: float) -> None:
        """Raise a leaf city's 2021 growth at one month by `delta` points."""
        if indicator == RATE:
            self.rates[region][Y2021, col] = np.round(self.rates[region][Y2021, col] + delta, 1)
            return
        values = self.value(region, indicator)
        factor = 1 + delta / 100 * values[Y2020, col] / values[Y2021, col]
        for part in COMPONENTS if indicator == "gdp" else (indicator,):
            array = self.values[region, part]
            array[Y2021, col] = _round(part, array[Y2021, col] * factor)

    def _set_home_growth(self, indicator: str, col: int, target: float) -> None:
        """Scale 陇南's counties at one 2021 month so that 陇南's published growth is `target`."""
        if indicator == RATE:
            self.rates[HOME_CITY][Y2021, col] = np.round(target, 1)
            return
        parts = COMPONENTS if indicator == "gdp" else (indicator,)
        values = self.value(HOME_CITY, indicator)
        adjust = self.noise[HOME_CITY, indicator][Y2021, col]
        if indicator == "gdp":
            adjust -= self.deflator(HOME_CITY)[Y2021, col]
        wanted = values[Y2020, col] * (1 + (target - adjust) / 100)
        factor = wanted / values[Y2021, col]
        for county in self.counties:
            for part in parts:
                array = self.values[county, part]
                array[Y2021, col] = _round(part, array[Y2021, col] * factor)
        # put the rounding residue on the largest county
        residue = wanted - self.value(HOME_CITY, indicator)[Y2021, col]
        if indicator in SURVEY:
            residue *= self.population[HOME_CITY] / self.population[LARGEST_COUNTY]
        part = "gdp_tertiary" if indicator == "gdp" else indicator
        array = self.values[LARGEST_COUNTY, part]
        array[Y2021, col] = _round(part, array[Y2021, col] + residue)

    def _county_industry(self) -> None:
        """Counties' 规上工业 growth around 陇南's, with the falling counties of the story."""
        home = self.rates[HOME_CITY]
        weights = self.industry_weights(self.counties)
        offsets = np.zeros((len(self.counties), 5, 1))
        for i, county in enumerate(self.counties):
            offsets[i, :, 0] = _rng("county-industry", county).normal(0, 3, 5)
        falling = np.array([c in INDUSTRY_FALLING_COUNTIES for c in self.counties])
        october = home[Y2021, LAST_MONTH - 1]
        for i, county in enumerate(self.counties):
            if falling[i]:
                offsets[i, Y2021] = INDUSTRY_FALLING_COUNTIES[county] - october
            else:
                offsets[i, Y2021] = INDUSTRY_OTHER_COUNTY_BASE.get(county, 0.0)
        # centre: earlier years on all counties, 2021 on the non-falling ones only
        offsets[:, :Y2021] -= np.tensordot(weights, offsets[:, :Y2021], axes=1)
        extra = -(weights @ offsets[:, Y2021, 0]) / weights[~falling].sum()
        offsets[~falling, Y2021] += extra
        for i, county in enumerate(self.counties):
            wobble = _rng("county-industry-month", county).normal(0, 0.3, (5, 12))
            wobble[Y2021, LAST_MONTH - 1] = 0.0
            self.rates[county] = np.round(home + offsets[i] + wobble, 1)

    def _overtake(self) -> None:
        """定西's GDP: just below 陇南's at every quarter before 2021, just above it in 2021."""
        rng = _rng("overtake")
        ratio = np.empty((5, 12))
        ratio[:Y2020] = rng.uniform(*OVERTAKE_RATIO_BEFORE, (Y2020, 12))
        ratio[Y2020] = rng.uniform(*OVERTAKE_RATIO_2020, 12)
        ratio[Y2021] = rng.uniform(*OVERTAKE_RATIO_2021, 12)
        home, own = self.value(HOME_CITY, "gdp"), self.value(OVERTAKING_CITY, "gdp")
        factor = home * ratio / own
        for part in COMPONENTS:
            self.values[OVERTAKING_CITY, part] = _round(part, self.values[OVERTAKING_CITY, part] * factor)
        # its 2021 deflator is what makes its real growth lead 陇南's by the set margin
        wanted = self.growth(HOME_CITY, "gdp")[Y2021] + OVERTAKE_REAL_GROWTH_LEAD
        current = self._raw_growth(OVERTAKING_CITY, "gdp")[Y2021 - 1]
        self.deflators[OVERTAKING_CITY][Y2021] += current - wanted

    # ----- output --------------------------------------------------------------------------

    def observations(self) -> pd.DataFrame:
        frames = []
        for region in [PROVINCE, *self.cities, *self.counties]:
            for indicator, spec in self.catalogue.items():
                growth = self.growth(region, indicator)
                values = None if indicator == RATE else self.value(region, indicator)
                for y in range(1, 5):
                    year = int(YEARS[y])
                    months = np.array(publishing_months(spec, year))
                    cols = months - 1
                    frames.append(pd.DataFrame({
                        "region": region,
                        "indicator": indicator,
                        "year": year,
                        "month": months,
                        "value": np.nan if values is None else values[y, cols],
                        "growth": growth[y, cols],
                    }))
        out = pd.concat(frames, ignore_index=True)
        out["year"] = out["year"].astype("int64")
        out["month"] = out["month"].astype("int64")
        out["value"] = out["value"].astype("float64")
        out["growth"] = out["growth"].astype("float64")
        return out

    def targets(self) -> pd.DataFrame:
        rows: list[dict] = []

        def add(region, indicator, total=np.nan, growth=np.nan, source="province"):
            rows.append({"region": region, "indicator": indicator, "year": LAST_YEAR,
                         "total": float(total), "growth": float(growth), "source": source})

        q3 = 8
        main = list(PROVINCE_GROWTH_TARGETS)
        # 陇南 (省定)
        home_gdp = self.value(HOME_CITY, "gdp")[Y2021, q3]
        gdp_target = float(np.round(home_gdp / GDP_TARGET_COMPLETION_Q3 / 5) * 5)
        for indicator in main:
            add(HOME_CITY, indicator, gdp_target if indicator == "gdp" else np.nan, HOME_GROWTH_TARGETS[indicator])
        land = self._budgets("land_revenue", LAND_REVENUE_COMPLETION_OCT, (0.2, 0.7))
        arrived = self._budgets("investment_arrived", INVESTMENT_COMPLETION_OCT, (0.6, 1.0))
        add(HOME_CITY, "land_revenue", land.sum())
        add(HOME_CITY, "investment_arrived", arrived.sum())
        # counties (市定): GDP totals share out the city's target
        county_gdp = np.array([self.value(c, "gdp")[Y2021, q3] for c in self.counties])
        jitter = np.exp(_rng("county-gdp-target").normal(0, 0.03, len(self.counties)))
        county_gdp_targets = np.round(gdp_target * county_gdp * jitter / (county_gdp * jitter).sum(), 1)
        for i, county in enumerate(self.counties):
            steps = _rng("county-targets", county).choice([-1.0, -0.5, 0.0, 0.5, 1.0], len(main))
            for indicator, step in zip(main, steps, strict=True):
                growth = HOME_GROWTH_TARGETS[indicator] + step
                if indicator == RATE and county in INDUSTRY_FALLING_COUNTIES:
                    growth = FALLING_COUNTY_INDUSTRY_TARGET
                add(county, indicator, county_gdp_targets[i] if indicator == "gdp" else np.nan, growth, "city")
            add(county, "land_revenue", land[i], source="city")
            add(county, "investment_arrived", arrived[i], source="city")
        # the other cities (省定; GDP totals from last year's figure, nominal)
        for city in self.cities:
            if city == HOME_CITY:
                continue
            steps = _rng("city-targets", city).choice([-1.0, -0.5, 0.0, 0.5, 1.0], len(main))
            for indicator, step in zip(main, steps, strict=True):
                growth = PROVINCE_GROWTH_TARGETS[indicator] + step
                total = np.nan
                if indicator == "gdp":
                    last_year = self.value(city, "gdp")[Y2020, 11]
                    total = np.round(last_year * (1 + (growth + 2.5) / 100) / 5) * 5
                add(city, indicator, total, growth)
        return pd.DataFrame(rows, columns=["region", "indicator", "year", "total", "growth", "source"])

    def _budgets(self, indicator: str, completion: float, spread: tuple[float, float]) -> np.ndarray:
        """County annual targets with varied 1-10月 completion, summing to the city's completion."""
        done = np.array([self.value(c, indicator)[Y2021, LAST_MONTH - 1] for c in self.counties])
        shares = _rng("budget", indicator).uniform(*spread, len(self.counties))
        budgets = done / shares
        budgets *= done.sum() / completion / budgets.sum()
        return np.round(budgets, 1)
