"""The LLM tools over a fake service built on the real knowledge base (and the real service)."""
from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

from assistant.answer import Calculation, Citation
from assistant.tools import ToolSession, rule_summary, select_citations, unsupported_figures
from calculators.amounts import format_wan, parse_amount
from calculators.models import Example, InputSpec, Rule
from errors import PolicyError
from ingest.corpus import load_knowledge_base

DOC = "henan_2018_smart_mfg"
RULE = Rule(
    id="henan_smart_upgrade", doc_id=DOC, clause="三、（九）", title="省级智能化改造项目软硬件投入后补助",
    quote="对省级智能化改造项目,将软硬件投入的后补助比例由8%提高至30%,最高不超过1000万元", region="河南省",
    keywords=["智能化改造"], kind="rate", inputs=[InputSpec(name="investment_yuan", label="软硬件投入")],
    base="investment_yuan", rate=Decimal("0.3"), cap_yuan=Decimal(10_000_000),
    examples=[Example(inputs={"investment_yuan": Decimal(20_000_000)}, amount_yuan=Decimal(6_000_000))])


@dataclass(frozen=True)
class FakeHit:
    clause: Any
    rule_ids: tuple[str, ...] = ()


class FakeService:
    """The ToolService methods over the packaged knowledge base; one rate rule, computed here."""

    def __init__(self, hits=(("三、（九）", (RULE.id,)), ("三、（八）", ()))):
        self.kb = load_knowledge_base(None)
        self.hits = list(hits)
        self.searches: list[tuple] = []

    def search(self, query, k=5, region=None, doc_id=None):
        self.searches.append((query, k, region))
        return [FakeHit(self.kb.clause(DOC, label), ids) for label, ids in self.hits][:k]

    def list_rules(self, region=None):
        return [RULE] if region in (None, "河南省") else []

    def citation(self, doc_id, label) -> Citation:
        meta = self.kb.meta(doc_id)
        return Citation(doc_id=doc_id, title=meta.title, region=meta.region, clause=label,
                        text=self.kb.clause(doc_id, label).text, may_be_expired=meta.may_be_expired,
                        validity=meta.validity)

    def calculate(self, rule_id, inputs, facts=None) -> Calculation:
        if rule_id != RULE.id:
            raise PolicyError("unknown_rule", f"没有编号为 {rule_id} 的规则")
        if "investment_yuan" not in inputs:
            raise PolicyError("missing_input", "缺少软硬件投入金额")
        base = parse_amount(inputs["investment_yuan"])
        amount = min(base * RULE.rate, RULE.cap_yuan)
        return Calculation(rule_id=RULE.id, title=RULE.title, inputs={"investment_yuan": int(base)},
                           eligible=True, amount_yuan=int(amount),
                           formula=f"min({format_wan(base)} × 30%, 1000万元) = {format_wan(amount)}",
                           citation=self.citation(DOC, RULE.clause))

    def documents(self):
        return [doc.meta for doc in self.kb.documents.values()]


def _call(session: ToolSession, name: str, **args):
    return session.run({"name": name, "args": args, "id": f"call_{name}", "type": "tool_call"})


def test_tools_the_model_sees():
    schemas = {t.name: t.tool_call_schema.model_json_schema() for t in ToolSession(FakeService()).tools()}
    assert set(schemas) == {"search_policies", "list_rules", "calculate_award"}
    assert schemas["search_policies"]["required"] == ["query"]
    assert schemas["calculate_award"]["required"] == ["rule_id", "inputs"]
    assert "不要自己计算" in schemas["calculate_award"]["description"]


def test_search_returns_and_records_verbatim_clauses():
    service = FakeService()
    session = ToolSession(service)
    reply = _call(session, "search_policies", query="智能化改造 补助", region="河南省", k=50)
    items = json.loads(reply.content)
    assert [i["clause"] for i in items] == ["三、（九）", "三、（八）"]
    assert items[0]["rule_ids"] == [RULE.id] and items[0]["region"] == "河南省"
    assert items[0]["text"] == service.kb.clause(DOC, "三、（九）").text
    assert "可能已到期" in items[0]["validity"]
    assert service.searches == [("智能化改造 补助", 10, "河南省")]          # k is capped
    assert list(session.returned) == [(DOC, "三、（九）"), (DOC, "三、（八）")]


def test_search_with_no_hits_says_so():
    session = ToolSession(FakeService(hits=()))
    assert "未检索到" in _call(session, "search_policies", query="海南 旅游").content
    assert session.returned == {}


def test_list_rules_filters_by_keyword_and_gives_inputs_and_facts():
    session = ToolSession(FakeService())
    rules = json.loads(_call(session, "list_rules", region="河南省", keyword="智能化").content)
    assert rules == [rule_summary(RULE)]
    assert rules[0]["rule_id"] == RULE.id and rules[0]["inputs"][0]["name"] == "investment_yuan"
    assert "没有符合条件" in _call(session, "list_rules", keyword="上云").content


def test_calculate_award_records_the_exact_calculation():
    service = FakeService()
    session = ToolSession(service)
    reply = _call(session, "calculate_award", rule_id=RULE.id, inputs={"investment_yuan": "两千万"})
    data = json.loads(reply.content)
    assert data["amount_yuan"] == 6_000_000 and data["amount_text"] == "600万元"
    assert session.calculations == [service.calculate(RULE.id, {"investment_yuan": 20_000_000})]


@pytest.mark.parametrize("args, expected", [
    ({"rule_id": "no_such_rule", "inputs": {}}, "计算失败（unknown_rule）"),
    ({"rule_id": RULE.id, "inputs": {}}, "计算失败（missing_input）"),
    ({"rule_id": RULE.id}, "参数有误"),
])
def test_bad_calculation_becomes_an_error_for_the_model(args, expected):
    session = ToolSession(FakeService())
    reply = _call(session, "calculate_award", **args)
    assert reply.status == "error" and reply.content.startswith(expected)
    assert session.calculations == []


def test_unknown_tool_is_an_error_message():
    reply = _call(ToolSession(FakeService()), "delete_everything")
    assert reply.status == "error" and "search_policies" in reply.content


def test_every_real_rule_summarises_with_the_inputs_and_facts_calculate_accepts():
    from ingest.rules import load_rulebook

    rules = load_rulebook().rules
    summaries = [rule_summary(rule) for rule in rules]
    assert len(json.loads(json.dumps(summaries, ensure_ascii=False))) == len(rules)
    for rule, summary in zip(rules, summaries, strict=True):
        assert {i["name"] for i in summary["inputs"]} == rule.input_names
        facts = {f["fact"] for f in summary["facts"]}
        assert {c.fact for c in rule.conditions} <= facts
        assert rule.tier_fact is None or rule.tier_fact in facts


# -- checking an answer against what the tools returned ----------------------------------------

CALCULATED = FakeService().calculate(RULE.id, {"investment_yuan": "2000万"})


@pytest.mark.parametrize("text, unsupported", [
    ("投资两千万元，可获得0.06亿元，即6000000元。", []),        # other spellings of backed values
    ("比例为百分之三十，分两期拨付。请拨打12345热线咨询。", []),   # a bare number is not money
    ("按２０００万元的３０％计算，另有1000万元上限。", []),       # full-width digits
    ("您可获得600万元，外加奖励200万元和35%的配套。", ["200万元", "35%"]),
])
def test_unsupported_figures(text, unsupported):
    assert unsupported_figures(text, [CALCULATED], []) == unsupported


def test_select_citations_matches_whole_labels_and_half_width_brackets():
    service = FakeService()
    nine, eight = service.citation(DOC, "三、（九）"), service.citation(DOC, "三、（八）")
    heading = nine.model_copy(update={"clause": "三、", "text": "三、支持开展试点示范"})
    assert select_citations("见三、(八)。", [nine, eight, heading], []) == [eight]
    # 十三、（八） and 三、（九）3 are other clauses' labels; only the trailing 三、 names one whole
    assert select_citations("见十三、（八）、三、（九）3及三、", [nine, eight, heading], []) == [heading]
    assert select_citations("见第十三条", [nine, eight], []) == [nine, eight]   # refers to none: all returned
    assert select_citations("见三、（八）", [nine, eight], [nine]) == [nine, eight]   # the calculation's clause stays


def test_facts_the_user_stated_override_the_models_arguments():
    """The LLM engine's tools use the case: a stated failure defeats a condition even when the
    model passes the opposite fact."""
    class Recording(FakeService):
        facts: list = []

        def calculate(self, rule_id, inputs, facts=None):
            self.facts.append(facts)
            return super().calculate(rule_id, inputs, facts)

    service = Recording()
    session = ToolSession(service, {"provincial_smart_transformation_project": False, "regions": ["湖北省"]})
    session.calculate_award(RULE.id, {"investment_yuan": 20_000_000},
                            {"provincial_smart_transformation_project": True, "other": True})
    assert service.facts == [{"provincial_smart_transformation_project": False, "other": True,
                              "regions": ["湖北省"]}]


def test_the_service_gives_the_llm_engine_the_offline_understanding(tmp_path):
    from assistant.service import PolicyService
    from settings import load_settings
    service = PolicyService(load_settings(tmp_path))
    service.retriever = None        # understanding needs no index
    stated, case = service.understood([{"role": "user", "content": "我们是武汉的企业，小巨人资格已经过期了"}])
    assert stated["xiaojuren_national"] is False and stated["regions"][:2] == ["湖北省", "武汉市"]
    assert case["location"] == ["湖北省", "武汉市"] and case["covered"] is False
