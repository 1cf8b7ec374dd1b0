"""Diaodu (调度): the platform a city government runs its economic dispatch on."""

__version__ = "0.1.0"
