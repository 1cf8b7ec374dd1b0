from __future__ import annotations

from django import forms

from diaodu.enterprises.models import ProductionStatus, StopCause


class StatusForm(forms.Form):
    """The fields a county clerk updates each month; written through update_record."""

    status = forms.ChoiceField(label="生产状态", choices=ProductionStatus.choices)
    cause = forms.ChoiceField(label="停产原因", choices=[("", "—")] + list(StopCause.choices), required=False)
    cause_note = forms.CharField(label="原因说明", max_length=200, required=False)
    measures = forms.CharField(label="帮扶措施", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    responsible = forms.CharField(label="责任人", max_length=60, required=False)
    above_scale = forms.BooleanField(label="规上企业", required=False)
    scale_year = forms.IntegerField(label="入规年份", required=False, min_value=1990, max_value=2100)
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label="修改原因", max_length=200, required=False)

    FIELDS = ("status", "cause", "cause_note", "measures", "responsible", "above_scale", "scale_year")
