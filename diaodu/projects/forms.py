from django import forms

from diaodu.org.models import Department, Region
from diaodu.projects.models import Project, ProjectList

PROJECT_FIELDS = [
    "code", "name", "region", "department", "responsible", "category", "industry", "leader",
    "total_investment", "annual_plan", "fund_central", "fund_provincial", "bond_amount", "bond_spent",
    "fund_self", "fund_loan", "stage", "planned_start", "actual_start", "batch", "obstacle", "obstacle_note",
    "help_requested", "stats_status", "stats_deadline", "note",
]


class ProjectForm(forms.ModelForm):
    """A project's fields, its lists, the version it was loaded at and why it changes."""

    lists = forms.ModelMultipleChoiceField(ProjectList.objects.all(), label="所属清单", required=False,
                                           widget=forms.CheckboxSelectMultiple)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    reason = forms.CharField(label="修改原因", max_length=200, required=False)

    class Meta:
        model = Project
        fields = PROJECT_FIELDS
        widgets = {f: forms.DateInput(attrs={"type": "date"}) for f in ("planned_start", "actual_start",
                                                                         "stats_deadline")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.home_units()  # not the country's 2,800 县区
        self.fields["department"].queryset = Department.objects.all()
        if self.instance.pk:
            self.fields["code"].disabled = True
            self.fields["lists"].initial = list(self.instance.lists.values_list("pk", flat=True))
            self.fields["version"].initial = self.instance.version

    def validate_unique(self):
        # The write path validates the whole record (constraints included) once, under the scope check.
        pass


class ProgressForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    month = forms.IntegerField(label="月份", min_value=1, max_value=12)
    completed_month = forms.DecimalField(label="本月完成投资（亿元）", min_value=0, max_digits=14, decimal_places=4)
    physical_progress = forms.CharField(label="实物工程量", max_length=300, required=False)
    photo = forms.FileField(label="现场照片", required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
