from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "diaodu.indicators"
    verbose_name = "指标与数据"

    def ready(self) -> None:
        from diaodu.org.setup import city_departments_ready

        city_departments_ready.connect(assign_indicator_departments, dispatch_uid="indicator-departments")


def assign_indicator_departments(sender, city, **kwargs) -> None:
    """The shipped department ↔ indicator assignment (市税务局 → 税收收入 …) for the new city's departments."""
    from diaodu.indicators import shipped
    from diaodu.indicators.models import Indicator
    from diaodu.org.models import Department

    shipped.load_indicator_departments(Indicator, Department.objects.filter(region=city))
