"""`app.py calc RULE_ID name=value ... [fact=yes] [--json]`: compute one award exactly.

Amounts are accepted as 2000万, 2000万元, 1.2亿, 20000000, 两千万. Facts (qualifications,
recognitions) are given the same way: `xiaojuren_national=是`, `sme_platform_grade=一等奖`.
A base below the rule's minimum is an ineligible result (exit 0); bad input is an error (exit 2).
"""
from __future__ import annotations

import argparse

from cli.common import print_json
from errors import PolicyError
from settings import load_settings


def register(subparsers) -> None:
    p = subparsers.add_parser("calc", help="计算一项奖补金额",
                              description="按规则精确计算奖补金额，例如："
                                          "calc henan2022_xiaojuren_equipment investment_yuan=2000万")
    p.add_argument("rule_id", help="规则编号（用 `app.py rules` 查看）")
    p.add_argument("pairs", nargs="*", metavar="name=value",
                   help="输入金额或条件，如 investment_yuan=2000万、xiaojuren_national=是")
    p.add_argument("--data-dir", default=None, help="数据目录（默认 ./data 或 POLICY_DATA_DIR）")
    p.add_argument("--json", action="store_true", help="以 JSON 输出（answer 契约中的 Calculation）")
    p.set_defaults(handler=run)


def _usage(rule) -> str:
    from calculators.describe import fact_label, fact_names

    inputs = "、".join(f"{s.name}（{s.label}）" for s in rule.inputs) or "无"
    facts = "、".join(f"{n}（{fact_label(rule, n)}）" for n in fact_names(rule)) or "无"
    return f"可用的输入项：{inputs}；可用的条件：{facts}"


def split_pairs(rule, pairs: list[str]) -> tuple[dict[str, str], dict[str, str]]:
    """name=value arguments -> (inputs, facts); PolicyError for anything the rule does not know."""
    from calculators.describe import fact_names

    facts_known = {*fact_names(rule), "region"}
    inputs, facts = {}, {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        name, value = name.strip(), value.strip()
        if not sep or not name:
            raise PolicyError("bad_arguments", f"参数“{pair}”应写成 名称=值，如 investment_yuan=2000万。{_usage(rule)}")
        if not value:
            raise PolicyError("bad_arguments", f"参数“{name}”没有给出值")
        if name in rule.input_names:
            inputs[name] = value
        elif name in facts_known:
            facts[name] = value
        else:
            raise PolicyError("unknown_input", f"规则 {rule.id} 没有输入项或条件“{name}”。{_usage(rule)}")
    return inputs, facts


def region_facts(facts: dict[str, str], kb) -> dict:
    """`region=郑州` -> regions [郑州市, 河南省]: the region and those that contain it."""
    if "region" not in facts:
        return facts
    from assistant.regions import RegionIndex
    from ingest.corpus import REGION_PARENTS

    index = RegionIndex({d.meta.region: d.meta.parent_regions for d in kb.documents.values()})
    name = index.canonical(facts.pop("region"))
    full = next((r for r in REGION_PARENTS if r.startswith(name)), name)
    regions = [name, full, *index.parents.get(name, []), *REGION_PARENTS.get(full, [])]
    return {**facts, "regions": list(dict.fromkeys(regions))}


def format_calculation(calc, result) -> str:
    cite = calc.citation
    number = f"（{cite.doc_number}）" if cite.doc_number else ""
    lines = [f"{calc.title}（{calc.rule_id}）", f"结果：{result.summary}"]
    if calc.formula:
        lines.append(f"计算：{calc.formula}")
    if calc.reason:
        lines.append(f"{'条件' if calc.eligible else '原因'}：{calc.reason}")
    lines += [f"分期：{i.stage}拨付{i.share}，{result_wan(i.amount_yuan)}" for i in calc.instalments]
    lines += [f"说明：{note}" for note in calc.notes]
    lines.append(f"依据：《{cite.title}》{number} {cite.clause}")
    lines.append(f"原文：{cite.text}")
    if cite.may_be_expired:
        lines.append(f"提示：{cite.validity}")
    return "\n".join(lines)


def result_wan(yuan: int) -> str:
    from decimal import Decimal

    from calculators.amounts import format_wan

    return format_wan(Decimal(yuan))


def run(args: argparse.Namespace) -> int:
    from assistant.calculations import to_calculation
    from calculators.engine import calculate
    from ingest.corpus import load_knowledge_base
    from ingest.rules import load_rulebook

    settings = load_settings(args.data_dir)
    rule = load_rulebook(data_dir=settings.data_dir).get(args.rule_id)
    inputs, facts = split_pairs(rule, args.pairs)
    kb = load_knowledge_base(settings.data_dir)
    result = calculate(rule, inputs, region_facts(facts, kb))
    missing = result.missing_inputs
    if missing:
        names = "、".join(f"{m.name}（{m.label}）" for m in missing)
        example = f"{missing[0].name}=2000万"
        raise PolicyError("missing_input", f"缺少输入：{names}。示例：python app.py calc {rule.id} {example}")
    calc = to_calculation(result, rule, kb)
    if args.json:
        print_json(calc.model_dump(mode="json"))
    else:
        print(format_calculation(calc, result))
    return 0
