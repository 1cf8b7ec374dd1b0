"""The evaluation app's ledger: 人工评分, the hand-scored items and clauses of a scoring scheme."""

from diaodu.core.ledgers import LedgerSpec, register
from diaodu.evaluation.importers import ManualScoreImporter
from diaodu.evaluation.models import ManualScore

register(LedgerSpec(
    "manual-scores", "人工评分", ManualScore, ManualScoreImporter, key_fields=ManualScoreImporter.key_fields,
    filters=("scheme", "year", "month"), list_columns=("scheme", "item", "region", "year", "month", "value"),
    form_fields=("scheme", "item", "region", "year", "month", "value", "note"),
))
