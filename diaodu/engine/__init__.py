"""The engine: pure computation over tidy tables (numbers in, numbers out).

Nothing here imports Django. Pages, briefings, the API and the CLI read the
engine's results; they never compute figures themselves.
"""

from ._base import load_catalogue
from .contribution import region_contribution, sector_contribution
from .coverage import Coverage
from .forecast import backtest, forecast
from .pace import gap
from .panel import Panel
from .peers import peer_table, sibling_groups
from .ranking import rank, rank_change_text
from .scoring import Evaluation, evaluate, list_schemes, load_scheme, rank_share, validate_scheme
from .simulator import required_for_rank

__all__ = [
    "Coverage", "Evaluation", "Panel", "backtest", "evaluate", "forecast", "gap", "list_schemes", "load_catalogue",
    "load_scheme", "peer_table", "rank", "rank_change_text", "rank_share", "region_contribution",
    "required_for_rank", "sector_contribution", "sibling_groups", "validate_scheme",
]
