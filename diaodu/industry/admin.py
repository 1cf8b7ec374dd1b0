from django.contrib import admin

from diaodu.core.admin import ChildAdminInline, LedgerAdmin
from diaodu.industry.models import ChainEnterprise, IndustryChain


class MemberInline(ChildAdminInline):
    model = ChainEnterprise
    fields = ("name", "segment", "is_leader", "product", "supplies_to", "project_codes")
    readonly_fields = fields


@admin.register(IndustryChain)
class IndustryChainAdmin(LedgerAdmin):
    list_display = ("name", "code", "chief", "department", "year", "output_target", "output_actual")
    search_fields = ("name", "code", "chief")
    inlines = [MemberInline]
