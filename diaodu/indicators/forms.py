from django import forms

from diaodu.core.limits import NOTE_MAX, too_long


class FigureForm(forms.Form):
    value = forms.FloatField(label="累计值", required=False, min_value=0)
    growth = forms.FloatField(label="累计增速(%)", required=False, min_value=-100, max_value=1000)
    note = forms.CharField(label="备注", required=False, max_length=NOTE_MAX,
                           error_messages={"max_length": too_long("备注", NOTE_MAX)})
    reason = forms.CharField(label="修改原因", max_length=200)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        if data.get("value") is None and data.get("growth") is None:
            raise forms.ValidationError("累计值和累计增速至少填一项。")
        growth = data.get("growth")
        if growth is not None and abs(growth) > 100 and not data.get("note"):
            self.add_error("note", "增速超出 ±100%，请在备注中说明。")
        return data


class ResponsibilityForm(forms.Form):
    """One 目标责任书, as the web edits it (the write goes through actions.set_responsibilities)."""

    region = forms.ChoiceField(label="区划")
    indicator = forms.ChoiceField(label="指标")
    year = forms.IntegerField(label="年度", min_value=1990, max_value=2100)
    leader = forms.CharField(label="责任领导", max_length=40)
    leader_post = forms.CharField(label="领导职务", max_length=60, required=False)
    lead_department = forms.ChoiceField(label="牵头单位")
    co_departments = forms.MultipleChoiceField(label="配合单位", required=False,
                                               widget=forms.SelectMultiple(attrs={"size": 4}))
    document_number = forms.CharField(label="责任书文号", max_length=60, required=False)
    document_date = forms.DateField(label="签订日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label="备注", max_length=200, required=False)
    reason = forms.CharField(label="修改原因", max_length=200)

    def __init__(self, *args, regions=(), indicators=(), departments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = list(regions)
        self.fields["indicator"].choices = list(indicators)
        self.fields["lead_department"].choices = list(departments)
        self.fields["co_departments"].choices = list(departments)
