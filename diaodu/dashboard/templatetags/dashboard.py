"""Template helpers of the dispatch room."""

from django import template
from django.utils.html import format_html

from diaodu.core import numbers

register = template.Library()


@register.simple_tag
def num(n, extra_class: str = ""):
    """A number that opens its source drawer (htmx), or plain text when it has no source."""
    if n is None:
        return "—"
    cls = " ".join(c for c in ("num", n.cls, extra_class) if c)
    if not n.src:
        return format_html('<span class="{}" title="{}">{}</span>', cls, n.title, n.text)
    return format_html(
        '<a class="{}" href="{}" hx-get="{}" hx-target="#drawer-body" hx-swap="innerHTML" title="{}">{}</a>',
        cls, n.src, n.src, n.title or "点击查看数字来源", n.text,
    )


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def figure(value, digits_or_unit=1):
    """A bare number as pages and documents print it (:func:`diaodu.core.numbers.text`: half up;
    — for none). The argument is a number of decimals (``|figure:1``) or a unit whose rule decides
    them (``|figure:"亿元"`` two, ``|figure:"万元"`` none, ``|figure:"元"`` none with separators)."""
    if value in (None, ""):
        return numbers.NONE_TEXT
    arg = str(digits_or_unit)
    if arg.lstrip("-").isdigit():
        return numbers.text(value, int(arg))
    return numbers.text(value, unit=arg)


SOURCE_LABELS = {"web": "网页填报", "import": "文件导入", "api": "数据接口", "admin": "后台配置", "cli": "批量处理",
                 "demo": "演示数据", "sync": "数据同步", "test": "测试"}


@register.filter
def source_label(value) -> str:
    """Where a write came from, in words (a record's ``source`` is a code: web, import, api …)."""
    return SOURCE_LABELS.get(str(value or ""), str(value or "—"))


@register.filter
def person(user) -> str:
    """A person as colleagues know them: their unit and name (the login only when no name is set)."""
    if not user:
        return "—"
    name = user.get_full_name() or user.get_username()
    profile = getattr(user, "profile", None) if hasattr(user, "profile") else None
    unit = getattr(profile, "unit_name", "") if profile else ""
    return f"{unit} {name}" if unit else name


@register.filter
def task_state(code) -> str:
    """A task's state code (assigned, reported …) in words."""
    from diaodu.supervision.models import State

    return dict(State.choices).get(str(code or ""), str(code or ""))
