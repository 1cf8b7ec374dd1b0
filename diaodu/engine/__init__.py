"""The engine: pure computation over tidy tables (numbers in, numbers out).

Nothing here imports Django. Pages, briefings, the API and the CLI read the
engine's results; they never compute figures themselves.
"""
