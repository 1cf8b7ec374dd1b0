"""Ledger endpoints: one generic pair of views per ledger whose LedgerSpec has ``api`` set
(``diaodu.core.ledgers.api_ledgers()``: projects, deals, enterprises, budget lines, chains, parks),
at ``/api/ledgers/<slug>`` (NetBox's generic views habit).

Reads: ``scopes.restrict_ledger``. Writes: the spec's ``create``/``update`` (the ledger app's own
actions where it has them, else ``diaodu.core.write_path``) — with ``version`` for optimistic
concurrency (409 on a stale version).
"""

from __future__ import annotations

from django.db import models
from django.http import HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.urls import path
from django.views.generic import RedirectView
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response

from diaodu.api.errors import Invalid
from diaodu.core.ledgers import LedgerSpec, aliases_of
from diaodu.org import scopes
from diaodu.org.models import Department, Region


class CodeField(serializers.SlugRelatedField):
    """A related record by its code; text no code can be (NUL, too long) is refused before
    the query (PostgreSQL rejects NUL in a string parameter)."""

    def to_internal_value(self, data):
        if not isinstance(data, str) or "\x00" in data or len(data) > 40:
            self.fail("does_not_exist", slug_name=self.slug_field, value=str(data)[:40].replace("\x00", ""))
        return super().to_internal_value(data)


class LedgerSerializer(serializers.ModelSerializer):
    """Shared by every ledger: owner by region code and department code, the version read-only."""

    region = CodeField(slug_field="code", queryset=Region.objects.all(), required=False,
                                          allow_null=True, help_text="所属县区（区划代码）")
    department = CodeField(slug_field="code", queryset=Department.objects.all(),
                                              required=False, allow_null=True, help_text="责任部门（部门代码）")
    version = serializers.IntegerField(read_only=True)


def serializer_for(ledger: LedgerSpec) -> type[serializers.ModelSerializer]:
    model = ledger.model
    editable = [f.name for f in model._meta.concrete_fields
                if f.editable and not f.primary_key and f.name not in ("region", "department")]
    meta = type("Meta", (), {
        "model": model,
        "fields": ["id", *editable, "region", "department", "version", "created_at", "updated_at"],
        "read_only_fields": ["created_at", "updated_at"],
        "ref_name": model.__name__,
    })
    name = f"{model.__name__}Serializer"
    return type(name, (LedgerSerializer,), {"Meta": meta, "__doc__": f"{ledger.label}（台账记录）"})


def patch_serializer_for(ledger: LedgerSpec, base) -> type[serializers.Serializer]:
    """The PATCH body: any fields of the record, plus the version edited (required)."""
    version = serializers.IntegerField(min_value=1, write_only=True, help_text="所修改记录的版本；不一致时返回 409")
    reason = serializers.CharField(required=False, allow_blank=True, max_length=200, write_only=True, default="")
    meta = type("Meta", (base.Meta,), {"ref_name": f"Patched{ledger.model.__name__}",
                                       "fields": [*base.Meta.fields, "reason"]})
    return type(f"Patched{ledger.model.__name__}Serializer", (base,),
                {"version": version, "reason": reason, "Meta": meta})


def default_owner(user, data: dict) -> None:
    """A record created without an owner belongs to the user's unit."""
    if data.get("region") is not None or data.get("department") is not None:
        return
    scope = scopes.scope_for(user)
    if scope.department_id is not None:
        data["department"] = Department.objects.get(pk=scope.department_id)
    elif scope.unit_region and scope.regions is not None and len(scope.regions) == 1:
        data["region"] = Region.objects.get(pk=scope.unit_region)


def make_views(ledger: LedgerSpec):
    Serializer = serializer_for(ledger)
    Patch = patch_serializer_for(ledger, Serializer)
    tag = f"台账：{ledger.label}"
    query_fields = {}
    for name in ledger.filters:
        field = ledger.model._meta.get_field(name)
        if isinstance(field, models.BooleanField):
            query_fields[name] = serializers.BooleanField(required=False, allow_null=True, default=None)
        elif isinstance(field, (models.IntegerField,)):
            query_fields[name] = serializers.IntegerField(required=False, min_value=0, max_value=9999)
        elif field.choices:
            query_fields[name] = serializers.ChoiceField(choices=field.choices, required=False)
        else:
            query_fields[name] = serializers.CharField(required=False, max_length=60)
    query_fields["region"] = serializers.CharField(required=False, max_length=6, help_text="所属县区代码")
    Query = type(f"{ledger.model.__name__}Query", (serializers.Serializer,), query_fields)

    def base_queryset(user):
        return scopes.restrict_ledger(user, ledger.model.objects.select_related("region", "department"))

    class ListView(generics.GenericAPIView):
        serializer_class = Serializer

        @extend_schema(parameters=[Query], responses=Serializer(many=True), tags=[tag],
                       operation_id=f"{ledger.slug}_list", summary=f"{ledger.label}列表")
        def get(self, request):
            params = Query(data=request.query_params)
            params.is_valid(raise_exception=True)
            qs = base_queryset(request.user).order_by("pk")
            for key, value in params.validated_data.items():
                if value is None:
                    continue
                qs = qs.filter(region_id=value) if key == "region" else qs.filter(**{key: value})
            page = self.paginate_queryset(qs)
            return self.get_paginated_response(Serializer(page, many=True).data)

        @extend_schema(request=Serializer, responses={201: Serializer}, tags=[tag],
                       operation_id=f"{ledger.slug}_create", summary=f"新增{ledger.label}")
        def post(self, request):
            if not isinstance(request.data, dict):
                raise Invalid("请求体应为 JSON 对象。")
            serializer = Serializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            data = dict(serializer.validated_data)
            default_owner(request.user, data)
            obj = ledger.model(**data)
            ledger.create(request.user, obj, source="api")
            return Response(Serializer(obj).data, status=201)

    class DetailView(generics.GenericAPIView):
        serializer_class = Serializer

        @extend_schema(responses=Serializer, tags=[tag], operation_id=f"{ledger.slug}_read",
                       summary=f"{ledger.label}详情")
        def get(self, request, pk: int):
            return Response(Serializer(get_object_or_404(base_queryset(request.user), pk=pk)).data)

        @extend_schema(request=Patch, responses=Serializer, tags=[tag], operation_id=f"{ledger.slug}_update",
                       summary=f"修改{ledger.label}（须带 version）")
        def patch(self, request, pk: int):
            obj = get_object_or_404(base_queryset(request.user), pk=pk)
            if not isinstance(request.data, dict):
                raise Invalid("请求体应为 JSON 对象。")
            # Scope first: a unit outside the record's owner learns nothing from validation.
            scopes.check_write_record(request.user, obj)
            serializer = Patch(obj, data=request.data, partial=True)
            serializer.is_valid(raise_exception=True)
            changes = dict(serializer.validated_data)
            if "version" not in changes:
                raise Invalid("修改须带 version（所修改记录的版本）。", {"version": ["该字段是必填项。"]})
            expected, reason = changes.pop("version"), changes.pop("reason", "")
            ledger.update(request.user, obj, changes, expected_version=expected, reason=reason, source="api")
            obj = base_queryset(request.user).get(pk=pk)
            return Response(Serializer(obj).data)

    ListView.__name__ = f"{ledger.model.__name__}List"
    DetailView.__name__ = f"{ledger.model.__name__}Detail"
    return ListView, DetailView


class AliasRedirect(RedirectView):
    """A ledger's earlier name (``/api/ledgers/investment``) answers 308 to its slug's route: the
    method and body are kept, and the schema lists only the slug."""

    permanent = True
    query_string = True

    def get(self, request, *args, **kwargs):
        url = self.get_redirect_url(*args, **kwargs)
        return HttpResponsePermanentRedirect(url, status=308)

    post = patch = put = delete = head = options = get


def alias_urls(ledger: LedgerSpec) -> list:
    """The routes of a ledger's earlier names, each redirecting to the slug's."""
    out = []
    for alias in aliases_of(ledger.slug):
        out += [
            path(f"ledgers/{alias}", AliasRedirect.as_view(pattern_name=f"api:{ledger.slug}")),
            path(f"ledgers/{alias}/<int:pk>", AliasRedirect.as_view(pattern_name=f"api:{ledger.slug}_detail")),
        ]
    return out
