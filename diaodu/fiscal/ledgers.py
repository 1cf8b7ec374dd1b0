"""The fiscal app's ledgers: 预算执行, 出让宗地, 专项债券 and the 财力缺口 parameters."""

from diaodu.core.ledgers import LedgerSpec, register
from diaodu.fiscal import importers
from diaodu.fiscal.models import BudgetExecution, GapParameters, LandParcel, SpecialBond

register(LedgerSpec(
    "budget-lines", "预算执行", BudgetExecution, importers.BudgetImporter,
    key_fields=importers.BudgetImporter.key_fields, page="fiscal:index", api=True,
    filters=("year", "month", "item"), list_columns=("owner", "year", "month", "item", "budget", "actual"),
), aliases=("fiscal",))
register(LedgerSpec(
    "land-parcels", "出让宗地", LandParcel, importers.LandParcelImporter, key_fields=("code",), page="fiscal:parcels",
    list_columns=("code", "location", "owner", "fee_due", "fee_paid", "due_date"),
), aliases=("land_parcels",))
register(LedgerSpec(
    "special-bonds", "专项债券", SpecialBond, importers.SpecialBondImporter, key_fields=("code",), page="fiscal:bonds",
    filters=("year",), list_columns=("code", "name", "owner", "year", "allocated", "spent"),
), aliases=("special_bonds",))
register(LedgerSpec(
    "fiscal-gap", "财力缺口参数", GapParameters, importers.GapParametersImporter,
    key_fields=importers.GapParametersImporter.key_fields, page="fiscal:gap",
    list_columns=("owner", "year", "transfers", "carryover", "rigid_need"),
), aliases=("fiscal_gap",))
