"""What a synthetic national data set contains, drawn from a seed. Pure: no ORM.

Division codes are fictional and can never be real ones: province ``k`` (0-based) is
``9PP000`` with ``9PP = 910 + k`` (910000 ... 989000; no real province code starts
with 9, and the demo's 990000 stays free), its cities ``9PPC00`` (C = 1..9) and their
counties ``9PPCNN`` (NN = 01..99). Names are invented from syllables.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

FIRST_PROVINCE = 910
MAX_PROVINCES = 80
MAX_CITIES = 9
MAX_COUNTIES_PER_CITY = 99
#: About this many institutions share a county (45,000 institutions: ~2,800 counties).
INSTITUTIONS_PER_COUNTY = 16
COUNTIES_PER_CITY = 10

#: Shares of institution kinds: 77% township health centres (of which a fifth central),
#: 23% community health service centres.
KIND_WEIGHTS = {"thc": 0.62, "central_thc": 0.15, "chc": 0.23}
#: Share of small units (fewer than 10 medical staff and 10,000 people): eligible for 合格.
SMALL_SHARE = 0.09

#: Assessment statuses across a cycle in full swing.
STATUS_WEIGHTS = {
    "draft": 0.22,
    "submitted": 0.12,
    "county_review": 0.12,
    "returned": 0.05,
    "expert_review": 0.14,
    "consolidation": 0.10,
    "decided": 0.08,
    "public_notice": 0.04,
    "recognised": 0.09,
    "not_recognised": 0.03,
    "withdrawn": 0.01,
}
#: Statuses that have been submitted at least once (grading complete, submitted_at set).
SUBMITTED_STATUSES = frozenset(STATUS_WEIGHTS) - {"draft"}
#: Statuses at which an expert panel is assigned.
PANEL_STATUSES = frozenset(
    {"expert_review", "consolidation", "decided", "public_notice", "recognised", "not_recognised"}
)

GRADES = ("none", "C", "B", "A", "NA")
NA_REASON = "本机构未开展该项服务（合成数据）"

_PLACE_FIRST = "东西南北中青白金石云松桂梅兰竹泉清安平永长明新丰和宁兴华"
_PLACE_SECOND = "岭川原江湖山河州阳海林田溪峰台源塘坪桥湾"
_TOWN = "甲乙丙丁戊己庚辛壬癸"


@dataclass(frozen=True, slots=True)
class RegionPlan:
    code: str
    name: str
    level: str
    parent_code: str | None


@dataclass(frozen=True, slots=True)
class InstitutionPlan:
    licence: str
    name: str
    kind: str
    county_code: str
    province_code: str
    medical_staff: int
    service_population: int
    beds: int
    status: str
    target: str  # "qualified", "basic" or "recommended"; the writer checks the cycle awards it
    #: 0..1: how good the institution is; shifts its grade distribution upwards.
    quality: float
    #: Share of items a draft has graded so far (1 once submitted).
    graded_share: float

    @property
    def small(self) -> bool:
        return self.medical_staff < 10 and self.service_population < 10_000


@dataclass(frozen=True, slots=True)
class NationPlan:
    seed: int
    regions: tuple[RegionPlan, ...]
    institutions: tuple[InstitutionPlan, ...]

    @property
    def provinces(self) -> tuple[RegionPlan, ...]:
        return tuple(r for r in self.regions if r.level == "province")

    @property
    def counties(self) -> tuple[RegionPlan, ...]:
        return tuple(r for r in self.regions if r.level == "county")


def province_code(k: int) -> str:
    if not 0 <= k < MAX_PROVINCES:
        raise ValueError(f"at most {MAX_PROVINCES} synthetic provinces")
    return f"{FIRST_PROVINCE + k}000"


def province_codes(count: int) -> list[str]:
    return [province_code(k) for k in range(count)]


def _place(rng: random.Random) -> str:
    return rng.choice(_PLACE_FIRST) + rng.choice(_PLACE_SECOND)


def _split(total: int, weights: list[float]) -> list[int]:
    """``total`` split in proportion to ``weights`` (largest remainder), summing exactly."""
    scale = sum(weights)
    raw = [total * w / scale for w in weights]
    parts = [int(x) for x in raw]
    by_remainder = sorted(range(len(raw)), key=lambda i: raw[i] - parts[i], reverse=True)
    for i in by_remainder[: total - sum(parts)]:
        parts[i] += 1
    return parts


def _regions(rng: random.Random, k: int, institutions: int) -> list[RegionPlan]:
    code = province_code(k)
    regions = [RegionPlan(code, _place(rng) + "省", "province", None)]
    counties = max(1, math.ceil(institutions / INSTITUTIONS_PER_COUNTY))
    counties = min(counties, MAX_CITIES * MAX_COUNTIES_PER_CITY)
    cities = min(MAX_CITIES, max(1, math.ceil(counties / COUNTIES_PER_CITY)))
    for j, n_counties in enumerate(_split(counties, [1.0] * cities), start=1):
        city = RegionPlan(f"{code[:3]}{j}00", _place(rng) + "市", "city", code)
        regions.append(city)
        for m in range(1, n_counties + 1):
            suffix = "区" if rng.random() < 0.3 else "县"
            regions.append(
                RegionPlan(f"{city.code[:4]}{m:02d}", _place(rng) + suffix, "county", city.code)
            )
    return regions


def _institution(rng: random.Random, county: RegionPlan, province: str, n: int) -> InstitutionPlan:
    kind = rng.choices(list(KIND_WEIGHTS), weights=list(KIND_WEIGHTS.values()))[0]
    small = kind != "central_thc" and rng.random() < SMALL_SHARE
    if small:
        staff, population = rng.randint(4, 9), rng.randint(2_500, 9_999)
    elif kind == "chc":
        staff = min(400, max(10, round(rng.lognormvariate(math.log(45), 0.5))))
        population = rng.randint(15_000, 120_000)
    else:
        median = 60 if kind == "central_thc" else 32
        staff = min(400, max(10, round(rng.lognormvariate(math.log(median), 0.5))))
        population = rng.randint(8_000, 90_000)
    if kind == "chc":
        beds = rng.randint(5, 40) if rng.random() < 0.3 else 0
    else:
        beds = 0 if small or rng.random() < 0.15 else rng.randint(10, 99)
    status = rng.choices(list(STATUS_WEIGHTS), weights=list(STATUS_WEIGHTS.values()))[0]
    if small and rng.random() < 0.7:
        target = "qualified"
    else:
        target = "recommended" if rng.random() < 0.25 else "basic"
    place = county.name[:-1]
    if kind == "chc":
        name = f"{place}{_place(rng)}街道社区卫生服务中心"
    elif kind == "central_thc":
        name = f"{place}{_place(rng)}镇中心卫生院"
    else:
        name = f"{place}{_place(rng)}{rng.choice(_TOWN)}镇卫生院"
    return InstitutionPlan(
        licence=f"SYN{county.code}{n:04d}",
        name=name,
        kind=kind,
        county_code=county.code,
        province_code=province,
        medical_staff=staff,
        service_population=population,
        beds=beds,
        status=status,
        target=target,
        quality=rng.betavariate(2.5, 2.0),
        graded_share=rng.random() if status == "draft" else 1.0,
    )


def nation_plan(*, provinces: int, institutions: int, seed: int) -> NationPlan:
    """Regions and institutions of ``provinces`` provinces sharing ``institutions``
    institutions unevenly, the same for the same arguments."""
    if provinces < 1 or institutions < provinces:
        raise ValueError("need at least one province and one institution per province")
    province_code(provinces - 1)  # refuses too many provinces
    rng = random.Random(seed)
    per_province = _split(institutions, [rng.uniform(0.5, 1.5) for _ in range(provinces)])
    regions: list[RegionPlan] = []
    planned: list[InstitutionPlan] = []
    for k, count in enumerate(per_province):
        province_regions = _regions(rng, k, count)
        regions.extend(province_regions)
        counties = [r for r in province_regions if r.level == "county"]
        per_county = [0] * len(counties)
        for i in range(count):
            c = i % len(counties) if i < len(counties) else rng.randrange(len(counties))
            per_county[c] += 1
            planned.append(_institution(rng, counties[c], province_code(k), per_county[c]))
    return NationPlan(seed=seed, regions=tuple(regions), institutions=tuple(planned))


def grade_weights(quality: float) -> tuple[float, ...]:
    """Probabilities of none, C, B, A, NA for an institution of this quality: mostly C
    and B, some A, some none, few N/A (about 7/31/34/24/4% on average). About half the
    institutions meet the demonstration 基本 shares, the best few 推荐."""
    return (
        0.15 - 0.14 * quality,
        0.50 - 0.35 * quality,
        0.28 + 0.10 * quality,
        0.03 + 0.39 * quality,
        0.04,
    )


def draw_grades(plan: InstitutionPlan, seed: int, items: int) -> list[str]:
    """One grade per item ("" = not graded yet), reproducible per institution and seed."""
    rng = random.Random(f"{seed}:{plan.licence}")
    grades = rng.choices(GRADES, weights=grade_weights(plan.quality), k=items)
    if plan.graded_share < 1.0:
        keep = plan.graded_share
        grades = [g if rng.random() < keep else "" for g in grades]
    return grades
