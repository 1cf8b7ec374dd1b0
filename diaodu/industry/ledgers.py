"""The industry app's ledgers: 产业链, their enterprises (链上企业) and 百亿产业园区."""

from diaodu.core.ledgers import LedgerSpec, register
from diaodu.industry import importers
from diaodu.industry.models import ChainEnterprise, IndustryChain, Park

register(LedgerSpec("chains", "产业链", IndustryChain, importers.ChainImporter, key_fields=("code",),
                    api=True, api_filters=("year",)))
register(LedgerSpec("chain-members", "链上企业", ChainEnterprise, importers.ChainMemberImporter,
                    key_fields=("chain", "name"), parent="chains"), aliases=("chain_members",))
register(LedgerSpec("parks", "百亿产业园区", Park, importers.ParkImporter, key_fields=("code",),
                    api=True, api_filters=("kind", "plan_status")))
