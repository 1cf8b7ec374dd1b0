"""The enterprises app's ledgers: 企业台账 and the enterprises' monthly figures."""

from diaodu.core.ledgers import LedgerSpec, register
from diaodu.enterprises.importers import EnterpriseImporter, EnterpriseMonthImporter
from diaodu.enterprises.models import Enterprise, EnterpriseMonth

register(LedgerSpec(
    "enterprises", "企业", Enterprise, EnterpriseImporter,
    key_fields=("credit_code",), page="enterprises:index", api=True,
    list_columns=("credit_code", "name", "owner", "above_scale", "status"), filters=("status", "above_scale"),
))
register(LedgerSpec(
    "enterprise-months", "企业月度数据", EnterpriseMonth, EnterpriseMonthImporter,
    key_fields=("enterprise", "year", "month"), parent="enterprises",
    list_columns=("enterprise", "year", "month", "revenue", "output"),
), aliases=("enterprise_months",))
