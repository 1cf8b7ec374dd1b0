"""limit/offset pagination with bounds (an offset beyond any table is an empty page, not an overflow)."""

from rest_framework.pagination import LimitOffsetPagination

MAX_OFFSET = 10**9


class Pagination(LimitOffsetPagination):
    default_limit = 100
    max_limit = 1000

    def get_offset(self, request):
        return min(super().get_offset(request), MAX_OFFSET)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            bounds = {"limit": (1, self.max_limit), "offset": (0, MAX_OFFSET)}[parameter["name"]]
            parameter["schema"].update({"minimum": bounds[0], "maximum": bounds[1]})
        return parameters
