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
