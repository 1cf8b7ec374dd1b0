"""Admin of the enterprise ledger (its base, ``LedgerAdmin``, is in ``diaodu.core.admin``)."""

from __future__ import annotations

from django.contrib import admin

from diaodu.core.admin import REGION_FILTER, ChildAdminInline, LedgerAdmin
from diaodu.enterprises.models import Enterprise, EnterpriseMonth


class MonthInline(ChildAdminInline):
    model = EnterpriseMonth
    fields = ("year", "month", "revenue", "output")
    readonly_fields = fields


@admin.register(Enterprise)
class EnterpriseAdmin(LedgerAdmin):
    list_display = ("name", "credit_code", "region", "industry_code", "above_scale", "status", "cause",
                    "responsible")
    list_filter = (REGION_FILTER, "status", "above_scale", "cause")
    search_fields = ("name", "credit_code")
    inlines = [MonthInline]
