from django import forms

from diaodu.investment.models import Deal
from diaodu.org.models import Region

DEAL_FIELDS = ["code", "name", "region", "department", "responsible", "counterparty", "industry", "channel", "stage",
               "contract_amount", "signed_date", "expected_sign_date", "expected_start_date", "start_date",
               "expected_operation_date", "note"]
DATES = ("signed_date", "expected_sign_date", "expected_start_date", "start_date", "expected_operation_date")


class DealForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    reason = forms.CharField(label="修改原因", max_length=200, required=False)

    class Meta:
        model = Deal
        fields = DEAL_FIELDS
        widgets = {f: forms.DateInput(attrs={"type": "date"}) for f in DATES}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.home_units()  # not the country's 2,800 县区
        if self.instance.pk:
            self.fields["code"].disabled = True
            self.fields["version"].initial = self.instance.version

    def validate_unique(self):
        pass  # validated once by the write path, under the scope check


class ArrivalForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    month = forms.IntegerField(label="月份", min_value=1, max_value=12)
    amount = forms.DecimalField(label="到位资金（亿元）", min_value=0, max_digits=14, decimal_places=4)
    note = forms.CharField(label="备注", max_length=200, required=False)
