"""The investment app's ledgers: 招商引资项目 (deals) and their funds arrived."""

from diaodu.core.ledgers import LedgerSpec, register
from diaodu.investment import actions, importers
from diaodu.investment.models import Deal, FundsArrival

register(LedgerSpec(
    "deals", "招商引资项目", Deal, importers.DealImporter, importers.export_deals,
    key_fields=("code",), page="investment:index", api=True,
    list_columns=("code", "name", "owner", "stage", "channel", "contract_amount"), filters=("stage", "channel"),
    create=actions.create_deal, update=actions.update_deal,
), aliases=("investment",))
register(LedgerSpec(
    "deal-arrivals", "到位资金", FundsArrival, importers.ArrivalImporter, importers.export_arrivals,
    key_fields=("deal", "year", "month"), parent="deals",
    list_columns=("deal", "year", "month", "amount"),
), aliases=("investment-arrivals",))
