"""The industry app's ledgers: 产业链, their enterprises (链上企业) and 百亿产业园区."""

from diaodu.core.ledgers import LedgerSpec, register
from diaodu.industry import importers
from diaodu.industry.models import ChainEnterprise, IndustryChain, Park

register(LedgerSpec(
    "chains", "产业链", IndustryChain, importers.ChainImporter, key_fields=("code",), page="industry:index",
    api=True, filters=("year",), list_columns=("code", "name", "chief", "year", "output_target", "output_actual"),
))
register(LedgerSpec(
    "chain-members", "链上企业", ChainEnterprise, importers.ChainMemberImporter, key_fields=("chain", "name"),
    parent="chains", filters=("segment", "is_leader"), list_columns=("chain", "name", "segment", "is_leader", "product"),
), aliases=("chain_members",))
register(LedgerSpec(
    "parks", "百亿产业园区", Park, importers.ParkImporter, key_fields=("code",), page="industry:parks",
    api=True, filters=("kind", "plan_status"), list_columns=("code", "name", "owner", "kind", "plan_status", "output_target"),
))
