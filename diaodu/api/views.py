"""Read and write endpoints. Every read filters through ``diaodu.org.scopes`` (or
``supervision.flow`` for tasks); every write calls the app's existing write path."""

from __future__ import annotations

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from diaodu.api import serializers as s
from diaodu.api.errors import Invalid, error_body
from diaodu.engine.peers import UnknownGroup
from diaodu.engine.periods import Period, PeriodError
from diaodu.evaluation import compute
from diaodu.indicators import actions as figure_actions
from diaodu.indicators.models import (
    Indicator,
    Observation,
    Revision,
    RevisionStatus,
    Target,
    TargetResponsibility,
)
from diaodu.indicators.releases import latest_released_period, period_status
from diaodu.ingest.figures import FiguresImporter
from diaodu.ingest.tabular import RowProblems
from diaodu.org import scopes
from diaodu.org.models import Region
from diaodu.supervision import actions as task_actions
from diaodu.supervision import flow
from diaodu.supervision.models import Feedback, State, Task, TaskUnit


def query(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def body(serializer_class, request) -> dict:
    if not isinstance(request.data, dict):
        raise Invalid("请求体应为 JSON 对象。")
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def parse_period(text: str) -> Period:
    try:
        return Period.parse(text)
    except PeriodError as exc:
        raise Invalid(str(exc), {"period": [str(exc)]})


def result_period(params: dict) -> tuple[Period, dict]:
    """The asked period, else the latest released one; with what the response says about its release."""
    period = parse_period(params["period"]) if params.get("period") else latest_released_period()
    if period is None:
        raise Invalid("还没有已发布的期别：请指定 period。", {"period": ["还没有已发布的期别，请指定期别 YYYY-MM。"]})
    status = period_status(period)
    return period, {"released": status["released"], "label": status["label"]}


# --- catalogue ------------------------------------------------------------------

class RegionList(generics.ListAPIView):
    """行政区划（本省市州、本市县区）。"""

    serializer_class = s.RegionSerializer
    queryset = Region.objects.order_by("code")


class IndicatorList(generics.ListAPIView):
    """指标目录。"""

    serializer_class = s.IndicatorSerializer
    queryset = Indicator.objects.all()


# --- figures --------------------------------------------------------------------

def figure_dict(obs: Observation, sees_draft: bool) -> dict:
    published = None
    if obs.published_revision is not None:
        published = {"value": obs.published_value, "growth": obs.published_growth,
                     "revision": obs.published_revision, "published_at": obs.published_at}
    latest = None
    if sees_draft:
        latest = {"value": obs.value, "growth": obs.growth, "note": obs.note, "status": obs.status,
                  "revision": obs.revision, "version": obs.version}
    return {
        "id": obs.pk, "region": obs.region_id, "region_name": obs.region.name,
        "indicator": obs.indicator.code, "indicator_name": obs.indicator.name, "unit": obs.indicator.unit,
        "period": f"{obs.year:04d}-{obs.month:02d}", "published": published, "latest": latest,
    }


def readable_figures(user):
    return scopes.restrict_observations(user, Observation.objects.select_related("region", "indicator"))


class FigureList(generics.GenericAPIView):
    """Figures: every published figure, plus the unpublished ones of the user's own regions."""

    serializer_class = s.FigureSerializer

    @extend_schema(parameters=[s.FigureQuery], responses=s.FigureSerializer(many=True), summary="数据列表")
    def get(self, request):
        params = query(s.FigureQuery, request)
        qs = readable_figures(request.user).order_by("indicator__order", "region_id", "year", "month")
        if "region" in params:
            qs = qs.filter(region_id=params["region"])
        if "indicator" in params:
            qs = qs.filter(indicator__code=params["indicator"])
        if "period" in params:
            period = parse_period(params["period"])
            qs = qs.filter(year=period.year, month=period.month)
        if "year" in params:
            qs = qs.filter(year=params["year"])
        if "status" in params:
            qs = qs.filter(status=params["status"])
            if params["status"] != RevisionStatus.PUBLISHED:
                # another unit's unpublished state is not the reader's to see
                qs = scopes.restrict_unpublished(request.user, qs)
        page = self.paginate_queryset(qs)
        user = request.user
        rows = [figure_dict(o, scopes.can_read_unpublished(user, o.region_id)) for o in page]
        return self.get_paginated_response(rows)

    @extend_schema(request=s.SubmitFiguresSerializer, responses={200: s.WriteSummarySerializer},
                   summary="报送数据")
    def post(self, request):
        data = body(s.SubmitFiguresSerializer, request)
        for region in {row["region"] for row in data["figures"]}:
            if Region.objects.filter(code=region).exists():
                scopes.check_enter_figure(request.user, region)
        importer = FiguresImporter(request.user, publish=data["publish"], source="api")
        rows, fields, expected = [], {}, {}
        indicator_ids = dict(Indicator.objects.values_list("code", "id"))
        for i, item in enumerate(data["figures"]):
            cells = {"region_code": item["region"], "indicator": item["indicator"], "period": item["period"],
                     "value": item.get("value"), "growth": item.get("growth"), "note": item.get("note", "")}
            try:
                row = importer.bind_row(cells)
            except RowProblems as exc:
                for key, message in exc.problems:
                    name = {"region_code": "region", "region_name": "region"}.get(key, key)
                    fields.setdefault(f"figures[{i}].{name}", []).append(message)
                continue
            rows.append(row)
            if item.get("version") is not None:
                expected[(row.region, indicator_ids[row.indicator], row.year, row.month)] = item["version"]
        if fields:
            key, messages = next(iter(fields.items()))
            raise Invalid(f"第 {int(key.split(']')[0].split('[')[1]) + 1} 条：{messages[0]}", fields)
        _require_versions(rows, indicator_ids, expected)
        summary = figure_actions.submit_figures(
            request.user, rows, publish=data["publish"], source="api", reason=data["reason"],
            expected_versions=expected or None, accept_warnings=data["accept_warnings"],
        )
        return Response(summary.as_dict())


def _require_versions(rows, indicator_ids, expected) -> None:
    """A write to an existing figure names the version it was based on; without it two
    writers would both win (the later silently replacing the earlier)."""
    missing = {(r.region, indicator_ids[r.indicator], r.year, r.month) for r in rows} - set(expected)
    if not missing:
        return
    regions = {k[0] for k in missing}
    existing = (Observation.objects.filter(region_id__in=regions, indicator_id__in={k[1] for k in missing},
                                           year__in={k[2] for k in missing})
                .values_list("region_id", "indicator_id", "year", "month", "version"))
    for region, indicator, year, month, version in existing:
        if (region, indicator, year, month) in missing:
            raise figure_actions.ConflictError(
                f"修改已有数据须提供 version（{region} {year}-{month:02d} 当前版本为 {version}）：先读取再提交，以免覆盖他人的修改。")


class FigureReview(APIView):
    @extend_schema(request=s.ReviewInputSerializer, responses={200: s.ReviewResultSerializer},
                   summary="批量审核通过、退回或发布（数据审核角色）")
    def post(self, request):
        if not scopes.scope_for(request.user).has("approve"):
            raise scopes.ScopeError("无权审核：需要“数据审核”角色。")
        data = body(s.ReviewInputSerializer, request)
        try:
            result = figure_actions.review_figures(request.user, data["ids"], data["action"], reason=data["reason"],
                                                   source="api")
        except ValueError as exc:
            raise Invalid(str(exc), {"reason": [str(exc)]})
        return Response({"batch": result.batch, "done": result.done,
                         "skipped": [{"id": pk, "reason": why} for pk, why in result.skipped]})


class FigureDetail(APIView):
    @extend_schema(responses=s.FigureDetailSerializer, summary="数据详情与修订记录")
    def get(self, request, pk: int):
        obs = get_object_or_404(readable_figures(request.user), pk=pk)
        sees_draft = scopes.can_read_unpublished(request.user, obs.region_id)
        revisions = obs.revisions.select_related("entered_by", "approved_by").order_by("number")
        if not sees_draft:
            revisions = revisions.filter(status=RevisionStatus.PUBLISHED)
        out = figure_dict(obs, sees_draft)
        out["revisions"] = [revision_dict(r) for r in revisions]
        return Response(out)


def revision_dict(r: Revision) -> dict:
    return {
        "number": r.number, "value": r.value, "growth": r.growth, "note": r.note, "vintage": r.vintage,
        "status": r.status, "reason": r.reason, "source": r.source,
        "entered_by": r.entered_by.username if r.entered_by_id else None, "entered_at": r.entered_at,
        "approved_by": r.approved_by.username if r.approved_by_id else None, "approved_at": r.approved_at,
        "published_at": r.published_at,
    }


# --- targets ----------------------------------------------------------------------

class TargetList(generics.GenericAPIView):
    serializer_class = s.TargetSerializer

    @extend_schema(parameters=[s.TargetQuery], responses=s.TargetSerializer(many=True), summary="年度目标")
    def get(self, request):
        params = query(s.TargetQuery, request)
        qs = Target.objects.select_related("indicator").order_by("year", "indicator__order", "region_id")
        qs = _by_target(qs, request, params)
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(s.TargetSerializer(page, many=True).data)


def _by_target(qs, request, params):
    """Targets and their 目标责任书 are read alike: signed-in callers, filtered by region, indicator, year."""
    if not scopes.scope_for(request.user).is_authenticated:
        return qs.none()
    if "region" in params:
        qs = qs.filter(region_id=params["region"])
    if "indicator" in params:
        qs = qs.filter(indicator__code=params["indicator"])
    if "year" in params:
        qs = qs.filter(year=params["year"])
    return qs


class ResponsibilityList(generics.GenericAPIView):
    """目标责任书 (read only; written in 数据 › 指标目录 › 目标责任书 and by import), read like the targets."""

    serializer_class = s.ResponsibilitySerializer

    @extend_schema(parameters=[s.ResponsibilityQuery], responses=s.ResponsibilitySerializer(many=True),
                   summary="目标责任书")
    def get(self, request):
        params = query(s.ResponsibilityQuery, request)
        qs = (TargetResponsibility.objects.select_related("indicator", "lead_department")
              .prefetch_related("co_departments").order_by("year", "indicator__order", "region_id", "id"))
        qs = _by_target(qs, request, params)
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(s.ResponsibilitySerializer(page, many=True).data)


# --- results --------------------------------------------------------------------------

def _indicator(code: str | None) -> str | None:
    if code and not Indicator.objects.filter(code=code).exists():
        raise Invalid(f"未知的指标“{code}”。", {"indicator": [f"未知的指标“{code}”（见指标目录）。"]})
    return code


class _Results(APIView):
    compute_name = ""

    def get(self, request):
        params = query(s.ResultQuery, request)
        period, release = result_period(params)
        level = params.get("level") or "city"
        function = getattr(compute, self.compute_name)
        rows = function(period, level=level, indicator=_indicator(params.get("indicator")))
        return Response({"period": str(period), **release, "level": level, "rows": rows})


class Ranks(_Results):
    compute_name = "ranks"

    @extend_schema(parameters=[s.RankQuery], responses=s.ResultRowsSerializer, summary="排位（已发布数据）")
    def get(self, request):
        params = query(s.RankQuery, request)
        if not params.get("group"):
            return super().get(request)
        period, release = result_period(params)
        try:
            rows = compute.ranks(period, indicator=_indicator(params.get("indicator")), group=params["group"])
        except UnknownGroup as exc:
            raise Invalid(str(exc), {"group": [str(exc)]})
        return Response({"period": str(period), **release, "group": params["group"], "rows": rows})


class Forecasts(_Results):
    compute_name = "forecasts"

    @extend_schema(parameters=[s.ResultQuery], responses=s.ResultRowsSerializer, summary="全年预测")
    def get(self, request):
        return super().get(request)


class Gaps(_Results):
    compute_name = "gaps"

    @extend_schema(parameters=[s.ResultQuery], responses=s.ResultRowsSerializer, summary="目标差距与序时进度")
    def get(self, request):
        return super().get(request)


class Evaluation(APIView):
    @extend_schema(parameters=[s.EvaluationQuery], responses=s.EvaluationSerializer, summary="评价结果")
    def get(self, request):
        from diaodu.engine.scoring import list_schemes

        params = query(s.EvaluationQuery, request)
        period, release = result_period(params)
        level = params.get("level") or "city"
        scheme = params.get("scheme")
        if scheme is not None and scheme not in list_schemes():
            raise Invalid(f"未知的评价方案“{scheme}”。", {"scheme": [f"可选：{'、'.join(list_schemes())}"]})
        result = compute.evaluation(period, scheme, level=level)
        return Response({"period": str(period), **release, "level": level, **result})


# --- tasks ---------------------------------------------------------------------------------

def readable_tasks(user):
    units = TaskUnit.objects.select_related("region", "department")
    return flow.restrict_tasks(user, Task.objects.prefetch_related(Prefetch("units", queryset=units)))


def feedback_dict(f: Feedback) -> dict:
    unit = f.department.name if f.department_id else (f.region.name if f.region_id else "")
    return {"id": f.pk, "created_at": f.created_at, "unit": unit,
            "author": f.author.username if f.author_id else None, "text": f.text,
            "quantity_done": f.quantity_done, "final": f.final}


def task_detail(task: Task) -> dict:
    feedback = task.feedback.select_related("region", "department", "author").order_by("created_at", "id")
    return s.TaskDetailSerializer(task, context={"feedback": [feedback_dict(f) for f in feedback]}).data


class TaskList(generics.GenericAPIView):
    serializer_class = s.TaskSerializer

    @extend_schema(parameters=[s.TaskQuery], responses=s.TaskSerializer(many=True), summary="督办事项")
    def get(self, request):
        params = query(s.TaskQuery, request)
        qs = readable_tasks(request.user).order_by("deadline", "id")
        if params.get("state"):
            qs = qs.filter(state=params["state"])
        if params.get("open") is True:
            qs = qs.exclude(state=State.CLOSED)
        elif params.get("open") is False:
            qs = qs.filter(state=State.CLOSED)
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(s.TaskSerializer(page, many=True).data)


class TaskDetail(APIView):
    @extend_schema(responses=s.TaskDetailSerializer, summary="督办事项详情与反馈")
    def get(self, request, pk: int):
        task = get_object_or_404(readable_tasks(request.user), pk=pk)
        return Response(task_detail(task))


class TaskFeedback(APIView):
    @extend_schema(request=s.FeedbackInputSerializer, responses={201: s.TaskDetailSerializer},
                   summary="反馈进展（牵头或配合单位）")
    def post(self, request, pk: int):
        task = get_object_or_404(readable_tasks(request.user), pk=pk)
        data = body(s.FeedbackInputSerializer, request)
        try:
            task_actions.add_feedback(request.user, task, data["text"], quantity_done=data.get("quantity_done"),
                                      final=data["final"], expected_version=data.get("version"), source="api")
        except ValueError as exc:
            raise Invalid(str(exc), {"text": [str(exc)]})
        return Response(task_detail(get_object_or_404(readable_tasks(request.user), pk=pk)), status=201)


class TaskTransition(APIView):
    @extend_schema(request=s.TransitionInputSerializer, responses={200: s.TaskDetailSerializer},
                   summary="流转（签收、办理、复核、办结、退回…）")
    def post(self, request, pk: int):
        task = get_object_or_404(readable_tasks(request.user), pk=pk)
        data = body(s.TransitionInputSerializer, request)
        try:
            task_actions.transition(request.user, task, data["name"], reason=data["reason"],
                                    unit=data.get("unit") or None, expected_version=data.get("version"),
                                    source="api")
        except ValueError as exc:
            field = "unit" if "单位" in str(exc) else "reason"
            raise Invalid(str(exc), {field: [str(exc)]})
        return Response(task_detail(get_object_or_404(readable_tasks(request.user), pk=pk)))


# --- fallbacks --------------------------------------------------------------------------------

class NotFoundView(APIView):
    """Any other /api/ path: the one error shape, not an HTML page."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    def dispatch(self, request, *args, **kwargs):
        response = Response(error_body(404, "接口不存在。"), status=404)
        self.headers = {}
        return self.finalize_response(self.initialize_request(request), response)
