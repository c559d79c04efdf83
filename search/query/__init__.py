"""The search core every engine shares, engine-neutral: the query plan (concepts, required and
optional words, phrase boosts), snippets and matched rows, spelling, requests and results.

An engine only translates a plan into its own query language and reads its own storage; the
rules live here and in search/policy.py (ADR 0005).
"""

from .plan import QueryPlan, plan_query  # noqa: F401
