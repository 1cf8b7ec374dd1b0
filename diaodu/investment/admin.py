"""Admin for the 招商引资 ledger, through the same write path as the pages."""

from django.contrib import admin

from diaodu.core.admin import LedgerAdmin
from diaodu.investment.models import Deal, FundsArrival


@admin.register(Deal)
class DealAdmin(LedgerAdmin):
    list_display = ("code", "name", "region", "counterparty", "stage", "contract_amount")
    list_filter = ("region", "stage", "channel")
    search_fields = ("code", "name", "counterparty")


@admin.register(FundsArrival)
class FundsArrivalAdmin(LedgerAdmin):
    list_display = ("deal", "year", "month", "amount")
    list_filter = ("year", "region")
    raw_id_fields = ("deal",)
