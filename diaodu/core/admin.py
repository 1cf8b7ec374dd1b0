"""The admin bases every app's admin uses (配置): configuration models and ledger records.

Both write through the one write path of what they edit and record every change; who may do what
is decided in ``diaodu.org.scopes`` (``can_configure``; ``can_admin_ledger``, the one ledger rule).
"""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import models, transaction

from diaodu.audit.records import record_change
from diaodu.core import write_path
from diaodu.org import scopes
from diaodu.org.models import Region, Role

# The county a ledger list is filtered by: those its records name, not the country's 2,800 县区.
REGION_FILTER = ("region", admin.RelatedOnlyFieldListFilter)


class ConfigAdmin(admin.ModelAdmin):
    """Configuration models: 管理员 only (scopes.can_configure), every save and
    delete recorded with before and after."""

    hidden_fields: tuple[str, ...] = ("password",)  # never in a change record
    # An address typed without its scheme is https (Django 6's default, said now: no deprecation warning).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    secret_fields: tuple[str, ...] = ()  # recorded as set or not, never their value

    def snapshot(self, obj) -> dict:
        data = {k: v for k, v in write_path.snapshot(obj).items() if k not in self.hidden_fields}
        for name in self.secret_fields:
            if data.get(name):
                data[name] = "（已设置）"
        return data

    def get_autocomplete_fields(self, request):
        """A region is chosen by typing its name or code (RegionAdmin's search), never from a list of
        the country's 3,600 regions: drawing that list took a third of a second per field."""
        regions = [f.name for f in self.model._meta.get_fields()
                   if f.concrete and (f.many_to_one or f.many_to_many) and f.related_model is Region]
        return (*self.autocomplete_fields, *(name for name in regions if name not in self.autocomplete_fields))

    def has_module_permission(self, request):
        return scopes.can_configure(request.user)

    def has_view_permission(self, request, obj=None):
        return scopes.can_configure(request.user) or scopes.scope_for(request.user).has(Role.AUDITOR)

    def has_add_permission(self, request):
        return scopes.can_configure(request.user)

    def has_change_permission(self, request, obj=None):
        return scopes.can_configure(request.user)

    def has_delete_permission(self, request, obj=None):
        return scopes.can_configure(request.user)

    def save_model(self, request, obj, form, change):
        scopes.check_configure(request.user)
        before = None
        if change and obj.pk:
            old = type(obj).objects.filter(pk=obj.pk).first()
            before = self.snapshot(old) if old else None
        with transaction.atomic():
            if hasattr(obj, "version") and change:
                obj.version = (obj.version or 0) + 1
            super().save_model(request, obj, form, change)
            record_change(request.user, "update" if change else "create", obj, before=before,
                          after=self.snapshot(obj), reason="管理后台", source="admin")

    def delete_model(self, request, obj):
        scopes.check_configure(request.user)
        with transaction.atomic():
            record_change(request.user, "delete", obj, before=self.snapshot(obj), reason="管理后台", source="admin")
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


class LedgerAdmin(admin.ModelAdmin):
    """A ledger record (an ``OwnedLedger``) in the admin: permissions from ``scopes.can_admin_ledger``,
    every save and delete through ``diaodu.core.write_path`` (scope check, change record, version)."""

    readonly_fields = ("version", "created_at", "updated_at")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "region":  # a record of this city belongs to it or one of its 县区
            kwargs["queryset"] = Region.objects.home_units()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_module_permission(self, request):
        return scopes.can_admin_ledger(request.user)

    def has_view_permission(self, request, obj=None):
        return scopes.can_admin_ledger(request.user)

    def has_add_permission(self, request):
        return scopes.can_admin_ledger(request.user, action="add")

    def has_change_permission(self, request, obj=None):
        return scopes.can_admin_ledger(request.user, obj, action="change")

    def has_delete_permission(self, request, obj=None):
        return scopes.can_admin_ledger(request.user, obj, action="delete")

    def save_model(self, request, obj, form, change):
        try:
            if not change:
                write_path.create_record(request.user, obj, reason="管理后台", source="admin")
                return
            concrete = {f.name for f in obj._meta.concrete_fields}
            changes = {f: getattr(obj, f) for f in form.changed_data if f in concrete}
            if changes:
                write_path.update_record(request.user, obj, changes, reason="管理后台", source="admin")
        except scopes.ScopeError as exc:
            raise PermissionDenied(str(exc))

    def delete_model(self, request, obj):
        write_path.delete_record(request.user, obj, reason="管理后台", source="admin")

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


class ChildAdminInline(admin.TabularInline):
    """Read-only inline of a ledger's child rows (they are written by import or page)."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


def ledger_admin(spec) -> type[LedgerAdmin]:
    """The admin a ledger gets from its spec: its list columns (the owner as county and
    department), its filters and the county, search on its key and name, the parent by id."""
    from diaodu.core.ledger_views import list_columns, search_fields

    owner = ("region", "department")
    columns = tuple(dict.fromkeys(n for c in list_columns(spec) for n in (owner if c == "owner" else (c,))))
    attrs = {
        "list_display": columns,
        "list_filter": (*spec.filters, REGION_FILTER),
        "search_fields": tuple(search_fields(spec)),
        "raw_id_fields": (spec.parent_field,) if spec.parent_field else (),
        "__doc__": f"{spec.label}（由台账定义生成）",
    }
    return type(f"{spec.model.__name__}Admin", (LedgerAdmin,), attrs)


def register_ledger_admins(site=admin.site) -> None:
    """Every ledger whose records have their own owner gets an admin from its spec, unless its
    app registered one with more (inlines, a many-to-many through the app's actions)."""
    from diaodu.core.ledgers import LEDGERS

    for spec in LEDGERS.values():
        if spec.owned and not site.is_registered(spec.model):
            site.register(spec.model, ledger_admin(spec))
