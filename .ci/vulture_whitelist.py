"""Uses vulture cannot see (read by ``scripts/deadcode``).

Django's implicit uses — model Meta options, admin options, settings, form and view class
attributes, methods Django calls — are not reported by the check at all (it reports only unused
functions, imports, properties and unreachable code), and signal receivers and template filters are
skipped by their decorators. What remains to name here: functions read by their dotted names.
"""

# ruff: noqa: B018  (bare attribute reads are how vulture whitelists name a use)
from diaodu.briefings import ledger_sources
from diaodu.industry.models import Chain
from diaodu.projects.models import Project
from diaodu.supervision.queries import Row as TaskRow

# A briefing's source of a figure is stored as "diaodu.briefings.ledger_sources.<name>" and
# resolved with getattr (diaodu.briefings.facts, diaodu.briefings.ledgers).
ledger_sources.project_counties
ledger_sources.project_schedule
ledger_sources.projects_behind
ledger_sources.projects_idle
ledger_sources.projects_not_started
ledger_sources.projects_not_in_statistics
ledger_sources.investment_counties
ledger_sources.enterprises_troubled
ledger_sources.enterprises_troubled_counts
ledger_sources.enterprises_candidates
ledger_sources.fiscal_execution
ledger_sources.fiscal_schedule
ledger_sources.fiscal_gaps
ledger_sources.enterprises_new_above_scale

# Properties read only by templates (industry/chain.html, projects/detail.html, supervision/_table.html).
Chain.members_list
Project.stats_eligible
TaskRow.awaiting_review

# Django's handler400 is named by its dotted path in diaodu/urls.py.
from diaodu.core import params  # noqa: E402

params.bad_request
