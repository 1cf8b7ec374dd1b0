from django.contrib import admin

from diaodu.core.admin import ChildAdminInline, LedgerAdmin
from diaodu.industry.models import ChainEnterprise, IndustryChain, Park


class MemberInline(ChildAdminInline):
    model = ChainEnterprise
    fields = ("name", "segment", "is_leader", "product", "supplies_to", "project_codes")
    readonly_fields = fields


@admin.register(IndustryChain)
class IndustryChainAdmin(LedgerAdmin):
    list_display = ("name", "code", "chief", "department", "year", "output_target", "output_actual")
    search_fields = ("name", "code", "chief")
    inlines = [MemberInline]


@admin.register(Park)
class ParkAdmin(LedgerAdmin):
    list_display = ("name", "kind", "plan_status", "department", "lead_unit", "financing_entity", "plan_deadline",
                    "plan_done_on")
    list_filter = ("plan_status", "kind")
    search_fields = ("name", "code")
