"""The enterprises app's ledgers: 企业台账 and the enterprises' monthly figures."""

from diaodu.core.ledgers import LedgerSpec, register
from diaodu.enterprises.importers import EnterpriseImporter, EnterpriseMonthImporter
from diaodu.enterprises.models import Enterprise, EnterpriseMonth

register(LedgerSpec(
    "enterprises", "企业", Enterprise, EnterpriseImporter,
    key_fields=("credit_code",), api=True, api_filters=("status", "above_scale"),
))
register(LedgerSpec(
    "enterprise-months", "企业月度数据", EnterpriseMonth, EnterpriseMonthImporter,
    key_fields=("enterprise", "year", "month"), parent="enterprises",
), aliases=("enterprise_months",))
