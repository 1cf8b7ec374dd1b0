"""The tidy tables the engine reads, built from the database (published figures only)."""

from __future__ import annotations

import pandas as pd
from django.db.models import Count, Max, Sum

from diaodu.evaluation.models import ManualScore
from diaodu.indicators.models import Indicator, Observation, PeriodRelease, Target, TargetResponsibility
from diaodu.org.models import PeerGroup, Region


def observations() -> pd.DataFrame:
    rows = Observation.objects.filter(published_revision__isnull=False).values_list(
        "region_id", "indicator__code", "year", "month", "published_value", "published_growth"
    )
    frame = pd.DataFrame.from_records(list(rows), columns=["region", "indicator", "year", "month", "value", "growth"])
    for column in ("value", "growth"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    return frame


def regions() -> pd.DataFrame:
    rows = Region.objects.values_list("code", "name", "short_name", "level", "parent_id")
    return pd.DataFrame.from_records(list(rows), columns=["code", "name", "short_name", "level", "parent"])


def peer_groups(code: str | None = None) -> pd.DataFrame:
    """The named peer groups (比较组, edited in the admin) as the engine reads them: one row per
    member, ``group`` (the code), ``group_name``, ``region``; only group ``code`` when given."""
    rows = PeerGroup.members.through.objects.order_by("peergroup__code", "region_id")
    if code is not None:
        rows = rows.filter(peergroup__code=code)
    rows = rows.values_list("peergroup__code", "peergroup__name", "region_id")
    return pd.DataFrame.from_records(list(rows), columns=["group", "group_name", "region"])


def indicators() -> pd.DataFrame:
    rows = Indicator.objects.values_list("code", "name", "unit", "frequency", "kind", "price_basis", "polarity",
                                         "additive", "first_month")
    return pd.DataFrame.from_records(
        list(rows),
        columns=["code", "name", "unit", "frequency", "kind", "price_basis", "polarity", "additive", "first_month"],
    )


def targets() -> pd.DataFrame:
    rows = Target.objects.values_list("region_id", "indicator__code", "year", "total", "growth", "source")
    frame = pd.DataFrame.from_records(list(rows), columns=["region", "indicator", "year", "total", "growth", "source"])
    for column in ("total", "growth"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    return frame


def manual_scores(scheme: str) -> pd.DataFrame:
    rows = ManualScore.objects.filter(scheme=scheme).values_list("region_id", "item", "value", "year", "month")
    return pd.DataFrame.from_records(list(rows), columns=["region", "item", "value", "year", "month"])


def fingerprint() -> str:
    """Changes whenever a figure is published or a target or manual score changes."""
    obs = Observation.objects.filter(published_revision__isnull=False).aggregate(
        n=Count("id"), at=Max("published_at"), rev=Max("published_revision"))
    tg = Target.objects.aggregate(n=Count("id"), at=Max("updated_at"), v=Max("version"))
    ms = ManualScore.objects.aggregate(n=Count("id"), v=Sum("version"), mid=Max("id"))  # any edit adds a version
    rs = TargetResponsibility.objects.aggregate(n=Count("id"), at=Max("updated_at"))  # shown beside targets
    # Releases move the default period and the 初步数据 labels, so a page cached before one is stale.
    rel = PeriodRelease.objects.aggregate(n=Count("id"), mid=Max("id"))
    parts = [obs["n"], obs["at"], obs["rev"], tg["n"], tg["at"], tg["v"], ms["n"], ms["v"], ms["mid"], rs["n"], rs["at"],
             rel["n"], rel["mid"]]
    import hashlib

    return hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()[:32]
