from django.contrib import admin

from diaodu.core.admin import LedgerAdmin
from diaodu.fiscal.models import BudgetExecution, GapParameters, LandParcel, SpecialBond


@admin.register(BudgetExecution)
class BudgetExecutionAdmin(LedgerAdmin):
    list_display = ("region", "year", "month", "item", "budget", "actual")
    list_filter = ("year", "month", "item", "region")


@admin.register(LandParcel)
class LandParcelAdmin(LedgerAdmin):
    list_display = ("code", "location", "region", "fee_due", "fee_paid", "unit", "due_date")
    list_filter = ("region",)
    search_fields = ("code", "location", "buyer")


@admin.register(SpecialBond)
class SpecialBondAdmin(LedgerAdmin):
    list_display = ("code", "name", "region", "year", "allocated", "spent")
    list_filter = ("year", "region")
    search_fields = ("code", "name", "project_code")


@admin.register(GapParameters)
class GapParametersAdmin(LedgerAdmin):
    list_display = ("region", "year", "transfers", "carryover", "remittance", "land_share", "rigid_need",
                    "revenue_projection", "land_projection")
    list_filter = ("year",)
