"""The fiscal app's ledgers: 预算执行, 出让宗地, 专项债券 and the 财力缺口 parameters."""

from diaodu.core.ledgers import LedgerSpec, register
from diaodu.fiscal import importers
from diaodu.fiscal.models import BudgetExecution, GapParameters, LandParcel, SpecialBond

register(LedgerSpec(
    "budget-lines", "预算执行", BudgetExecution, importers.BudgetImporter,
    key_fields=importers.BudgetImporter.key_fields, api=True, api_filters=("year", "month", "item"),
), aliases=("fiscal",))
register(LedgerSpec("land-parcels", "出让宗地", LandParcel, importers.LandParcelImporter, key_fields=("code",)),
         aliases=("land_parcels",))
register(LedgerSpec("special-bonds", "专项债券", SpecialBond, importers.SpecialBondImporter, key_fields=("code",)),
         aliases=("special_bonds",))
register(LedgerSpec("fiscal-gap", "财力缺口参数", GapParameters, importers.GapParametersImporter,
                    key_fields=importers.GapParametersImporter.key_fields), aliases=("fiscal_gap",))
