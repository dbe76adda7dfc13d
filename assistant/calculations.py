"""CalcResult (calculators) -> Calculation (answer contract), with the clause quoted from the knowledge base.

Shared by `app.py calc`, the service facade and the answer engines, so every front end shows the
same figure, formula and citation.
"""
from __future__ import annotations

from decimal import ROUND_DOWN, Decimal

from assistant.answer import Calculation, Citation, Instalment
from calculators.amounts import format_percent
from calculators.models import Rule
from calculators.result import CalcResult


def yuan_int(value: Decimal | None) -> int | None:
    """Whole yuan, rounded down (an award is never rounded up)."""
    return None if value is None else int(value.to_integral_value(rounding=ROUND_DOWN))


def _json_number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def rule_citation(rule: Rule, kb) -> Citation:
    """The rule's clause, verbatim from the knowledge base, with the document's metadata."""
    meta = kb.meta(rule.doc_id)
    clause = kb.clause(rule.doc_id, rule.clause)
    return Citation(doc_id=rule.doc_id, title=meta.title, region=meta.region, clause=rule.clause,
                    text=clause.text, doc_number=meta.doc_number,
                    may_be_expired=meta.may_be_expired, validity=meta.validity)


def to_calculation(result: CalcResult, rule: Rule, kb) -> Calculation:
    instalments = [Instalment(stage=i.stage, share=format_percent(i.share), amount_yuan=yuan_int(i.amount_yuan))
                   for i in result.instalments]
    return Calculation(
        rule_id=result.rule_id, title=result.title,
        inputs={name: _json_number(value) for name, value in result.inputs.items()},
        eligible=result.eligible, amount_yuan=yuan_int(result.amount_yuan), formula=result.formula,
        reason=result.reason, is_maximum=result.is_maximum, instalments=instalments,
        notes=list(result.notes), citation=rule_citation(rule, kb), reviewed=rule.status != "draft",
        conditions=[m.label for m in result.missing if m.kind == "fact" and m.required] if result.eligible else [],
    )
