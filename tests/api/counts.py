"""Case counts the API tests print, and repeat in pytest's terminal summary."""

COUNTS: dict[str, int] = {}


def record_count(name: str, count: int) -> None:
    COUNTS[name] = COUNTS.get(name, 0) + count
    print(f"\n{name}: {count}")
