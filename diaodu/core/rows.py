"""One model instance by one column, with the query compiled once per process.

Every page view reads its user and the user's profile. Through the ORM each read compiles its
query again, which cost more than running it; these reads reuse the SQL and the column converters
Django's compiler produced the first time (bench/web_bench.py, first views).
"""

from __future__ import annotations

import functools

from django.db import DEFAULT_DB_ALIAS, connections


@functools.lru_cache(maxsize=32)
def _prepared(model, column: str, alias: str):
    """(sql taking the one value, attnames of the selected columns, their converters by position)."""
    names = [field.attname for field in model._meta.concrete_fields]
    query = model._default_manager.using(alias).filter(**{column: 0}).values_list(*names).query
    compiler = query.get_compiler(alias)
    sql, params = compiler.as_sql()
    if len(params) != 1:  # the one filter value is the only parameter
        raise ValueError(f"{model.__name__}.{column}: unexpected parameters {params!r}")
    converters = compiler.get_converters([expression for expression, _, _ in compiler.select])
    return sql, names, converters


def one_by(model, column: str, value, alias: str = DEFAULT_DB_ALIAS):
    """The instance of ``model`` whose ``column`` equals ``value`` (the first, by the database's
    order, when several do), or None."""
    sql, names, converters = _prepared(model, column, alias)
    connection = connections[alias]  # this thread's: converters may read its settings
    with connection.cursor() as cursor:
        cursor.execute(sql, [value])
        row = cursor.fetchone()
    if row is None:
        return None
    values = list(row)
    for position, (functions, expression) in converters.items():  # as the compiler's apply_converters
        for function in functions:
            values[position] = function(values[position], expression, connection)
    return model.from_db(alias, names, values)
