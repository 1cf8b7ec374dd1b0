"""Typed request and response shapes (validate at the boundary)."""

from __future__ import annotations

from rest_framework import serializers

from diaodu.core.limits import NOTE_MAX, too_long
from diaodu.evaluation.compute import LEVELS
from diaodu.indicators.models import RevisionStatus

PERIOD = r"^\d{4}-(0[1-9]|1[0-2])$"


def period_field(**kwargs) -> serializers.RegexField:
    return serializers.RegexField(PERIOD, max_length=7, help_text="期别 YYYY-MM（1-2月累计为 YYYY-02）",
                                  error_messages={"invalid": "期别格式应为 YYYY-MM。"}, **kwargs)


# --- catalogue ---------------------------------------------------------------

class RegionSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    short_name = serializers.CharField()
    level = serializers.CharField()
    parent = serializers.CharField(source="parent_id", allow_null=True)


class IndicatorSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    short_name = serializers.CharField()
    unit = serializers.CharField()
    frequency = serializers.CharField()
    kind = serializers.CharField()
    is_main = serializers.BooleanField()


# --- figures -----------------------------------------------------------------

class FigureQuery(serializers.Serializer):
    region = serializers.CharField(required=False, max_length=6, help_text="区划代码")
    indicator = serializers.CharField(required=False, max_length=40, help_text="指标代码")
    period = period_field(required=False)
    year = serializers.IntegerField(required=False, min_value=1990, max_value=2100)
    status = serializers.ChoiceField(choices=RevisionStatus.choices, required=False,
                                     help_text="最新修订的状态（只含本单位可见的未发布数据）")


class PublishedSerializer(serializers.Serializer):
    value = serializers.FloatField(allow_null=True)
    growth = serializers.FloatField(allow_null=True)
    revision = serializers.IntegerField()
    published_at = serializers.DateTimeField(allow_null=True)


class LatestSerializer(serializers.Serializer):
    value = serializers.FloatField(allow_null=True)
    growth = serializers.FloatField(allow_null=True)
    note = serializers.CharField(allow_blank=True)
    status = serializers.ChoiceField(choices=RevisionStatus.choices)
    revision = serializers.IntegerField()
    version = serializers.IntegerField(help_text="提交修改时作为 version 传回，用于冲突检测")


class FigureSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    region = serializers.CharField()
    region_name = serializers.CharField()
    indicator = serializers.CharField()
    indicator_name = serializers.CharField()
    unit = serializers.CharField()
    period = serializers.CharField()
    published = PublishedSerializer(allow_null=True, help_text="最新发布版本；未发布时为 null")
    latest = LatestSerializer(allow_null=True, help_text="最新修订（含未发布）；无权查看未发布数据时为 null")


class RevisionSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    value = serializers.FloatField(allow_null=True)
    growth = serializers.FloatField(allow_null=True)
    note = serializers.CharField(allow_blank=True)
    vintage = serializers.CharField()
    status = serializers.CharField()
    reason = serializers.CharField(allow_blank=True)
    source = serializers.CharField()
    entered_by = serializers.CharField(allow_null=True)
    entered_at = serializers.DateTimeField()
    approved_by = serializers.CharField(allow_null=True)
    approved_at = serializers.DateTimeField(allow_null=True)
    published_at = serializers.DateTimeField(allow_null=True)


class FigureDetailSerializer(FigureSerializer):
    revisions = RevisionSerializer(many=True)


class FigureInputSerializer(serializers.Serializer):
    region = serializers.CharField(max_length=6, help_text="区划代码，如 621202")
    indicator = serializers.CharField(max_length=40, help_text="指标代码或名称")
    period = period_field()
    value = serializers.FloatField(required=False, allow_null=True)
    growth = serializers.FloatField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, max_length=NOTE_MAX, default="",
                                 error_messages={"max_length": too_long("备注", NOTE_MAX)})
    version = serializers.IntegerField(required=False, allow_null=True, min_value=1,
                                       help_text="所修改数据的版本（latest.version）；不一致时返回 409")


class SubmitFiguresSerializer(serializers.Serializer):
    figures = FigureInputSerializer(many=True, allow_empty=False, max_length=5000)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")
    publish = serializers.BooleanField(required=False, default=False, help_text="直接发布（需“数据审核”角色）")
    accept_warnings = serializers.BooleanField(
        required=False, default=False,
        help_text="已核实合理性审核的警告，照常写入（记入变更记录）；逻辑性审核的错误始终拒绝（400 rule_violation）")


class ReviewInputSerializer(serializers.Serializer):
    ids = serializers.ListField(child=serializers.IntegerField(min_value=1), allow_empty=False, max_length=5000,
                                help_text="数据 id（figures 列表的 id）")
    action = serializers.ChoiceField(choices=[("approve", "审核通过"), ("reject", "退回"), ("publish", "发布")])
    reason = serializers.CharField(required=False, allow_blank=True, max_length=200, default="",
                                   help_text="退回时必填")


class ReviewResultSerializer(serializers.Serializer):
    batch = serializers.CharField(help_text="批次号：每条数据各有一条变更记录，均带此批次号")
    done = serializers.ListField(child=serializers.IntegerField())
    skipped = serializers.ListField(child=serializers.DictField())


class WriteSummarySerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()


# --- targets -----------------------------------------------------------------

class TargetQuery(serializers.Serializer):
    region = serializers.CharField(required=False, max_length=6)
    indicator = serializers.CharField(required=False, max_length=40)
    year = serializers.IntegerField(required=False, min_value=1990, max_value=2100)


class TargetSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    region = serializers.CharField(source="region_id")
    indicator = serializers.CharField(source="indicator.code")
    year = serializers.IntegerField()
    total = serializers.FloatField(allow_null=True)
    growth = serializers.FloatField(allow_null=True)
    source = serializers.CharField()
    note = serializers.CharField(allow_blank=True)
    version = serializers.IntegerField()


class ResponsibilityQuery(TargetQuery):
    """The same filters as the targets."""


class DepartmentRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class ResponsibilitySerializer(serializers.Serializer):
    """A 目标责任书: who answers for one annual target (unit × indicator × year)."""

    id = serializers.IntegerField()
    region = serializers.CharField(source="region_id")
    indicator = serializers.CharField(source="indicator.code")
    year = serializers.IntegerField()
    leader = serializers.CharField(help_text="责任领导")
    leader_post = serializers.CharField(allow_blank=True, help_text="领导职务")
    lead_department = DepartmentRefSerializer(help_text="牵头单位")
    co_departments = DepartmentRefSerializer(many=True, source="co_departments.all", help_text="配合单位")
    document_number = serializers.CharField(allow_blank=True, help_text="责任书文号")
    document_date = serializers.DateField(allow_null=True, help_text="签订日期")
    note = serializers.CharField(allow_blank=True)
    version = serializers.IntegerField()


# --- results (read from diaodu.evaluation.compute) --------------------------------

class ResultQuery(serializers.Serializer):
    period = period_field(required=False)
    level = serializers.ChoiceField(choices=[(level, level) for level in LEVELS], default="city", required=False,
                                    help_text="city：全省市州；county：本市县区")
    indicator = serializers.CharField(required=False, max_length=40)


class RankQuery(ResultQuery):
    group = serializers.SlugField(required=False, max_length=40,
                                  help_text="比较组代码（管理后台“比较组”），例如 qinba：只在该组成员中排名，"
                                            "报送数按组内成员计；给出时不看 level")


class EvaluationQuery(serializers.Serializer):
    period = period_field(required=False)
    level = serializers.ChoiceField(choices=[(level, level) for level in LEVELS], default="city", required=False)
    scheme = serializers.CharField(required=False, max_length=60, help_text="评价方案代码；缺省为该层级的默认方案")


class ResultRowsSerializer(serializers.Serializer):
    period = serializers.CharField(help_text="缺省为最新发布的期别")
    released = serializers.BooleanField(help_text="该期别是否已由统计部门发布")
    label = serializers.CharField(help_text="未发布时为“初步数据（未发布）”，否则为空")
    level = serializers.CharField()
    rows = serializers.ListField(child=serializers.DictField())


class EvaluationSerializer(serializers.Serializer):
    period = serializers.CharField(help_text="缺省为最新发布的期别")
    released = serializers.BooleanField()
    label = serializers.CharField()
    level = serializers.CharField()
    scheme = serializers.DictField()
    summary = serializers.ListField(child=serializers.DictField())
    items = serializers.ListField(child=serializers.DictField())


# --- tasks -------------------------------------------------------------------

class TaskQuery(serializers.Serializer):
    state = serializers.CharField(required=False, max_length=12)
    open = serializers.BooleanField(required=False, allow_null=True, default=None)


class TaskUnitSerializer(serializers.Serializer):
    role = serializers.CharField()
    name = serializers.CharField()
    region = serializers.CharField(source="region_id", allow_null=True)
    department = serializers.CharField(source="department.code", allow_null=True, default=None)
    state = serializers.CharField(allow_blank=True, help_text="牵头单位本单位的办理状态（配合单位为空）")
    state_label = serializers.CharField(source="get_state_display", allow_blank=True)
    returned_count = serializers.IntegerField()
    closed_on = serializers.DateField(allow_null=True)


class FeedbackSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    unit = serializers.CharField()
    author = serializers.CharField(allow_null=True)
    text = serializers.CharField()
    quantity_done = serializers.FloatField(allow_null=True)
    final = serializers.BooleanField()


class TaskSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    title = serializers.CharField()
    content = serializers.CharField(allow_blank=True)
    source = serializers.CharField()
    state = serializers.CharField()
    state_label = serializers.CharField(source="get_state_display")
    leader = serializers.CharField(allow_blank=True)
    start_date = serializers.DateField(allow_null=True)
    deadline = serializers.DateField(allow_null=True)
    quantity_target = serializers.FloatField(allow_null=True)
    quantity_unit = serializers.CharField(allow_blank=True)
    quantity_done = serializers.FloatField(allow_null=True)
    meeting = serializers.IntegerField(source="meeting_id", allow_null=True)
    units = TaskUnitSerializer(many=True, source="units.all")
    leads_closed = serializers.SerializerMethodField(help_text="已办结的牵头单位数")
    leads_total = serializers.SerializerMethodField(help_text="牵头单位数；全部办结时事项办结")
    version = serializers.IntegerField()

    def get_leads_closed(self, task) -> int:
        return sum(1 for u in task.lead_units() if u.is_closed)

    def get_leads_total(self, task) -> int:
        return len(task.lead_units())


class TaskDetailSerializer(TaskSerializer):
    feedback = serializers.SerializerMethodField()

    def get_feedback(self, task) -> list[dict]:
        return FeedbackSerializer(self.context["feedback"], many=True).data


class FeedbackInputSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=5000, help_text="进展情况")
    quantity_done = serializers.FloatField(required=False, allow_null=True, min_value=0)
    final = serializers.BooleanField(required=False, default=False, help_text="办结反馈（提交复核，仅牵头单位）")
    version = serializers.IntegerField(required=False, allow_null=True, min_value=1,
                                       help_text="事项版本；不一致时返回 409")


class TransitionInputSerializer(serializers.Serializer):
    name = serializers.ChoiceField(choices=["assign", "sign", "handle", "report", "review", "close", "return"])
    unit = serializers.CharField(required=False, allow_blank=True, max_length=40, default="",
                                 help_text="复核、办结、退回时的牵头单位（县区代码或部门代码）；"
                                           "只有一个牵头单位可办理时可省略。签收、办理、反馈总是本单位的。")
    reason = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")
    version = serializers.IntegerField(required=False, allow_null=True, min_value=1)
