"""The offline answer engine: no model server, answers from clauses and exact calculators.

understand (region, facts, amounts, intent) -> retrieve clauses -> match rules -> compute ->
compose the answer from prompts/ templates, citing clauses. Questions outside the knowledge
base are declined; text that tries to override the rules changes nothing.
"""
from __future__ import annotations

import re

from assistant.answer import Answer, Calculation, Citation
from assistant.calculations import to_calculation
from assistant.compose import Composer, wan
from assistant.inputs import assign_inputs
from assistant.regions import RegionIndex
from assistant.retrieval import Hit
from assistant.rule_match import RuleMatch, RuleMatcher
from assistant.understand import FOLLOW_UP, Understanding, understand
from calculators.engine import calculate
from calculators.models import Rule

# A question about money or support, as opposed to one that only names an award's subject
# ("智能工厂验收达标了，还要参加错峰生产吗" names 智能工厂 but asks about something else).
_ASKS_SUPPORT = re.compile(r"钱|补|奖|资金|支持|扶持|多少|给多少|能拿|能获")
MIN_RULE_SCORE = 3.0
# Words without which a question is not about enterprise support policy at all ("今天天气怎么样",
# "写一首诗"); any of them, or a rule's keyword, lets the question through to retrieval.
_DOMAIN = re.compile(
    r"政策|文件|条款|规定|办法|措施|意见|通知|补|奖|资金|支持|扶持|优惠|减免|申报|申请|认定|企业|公司|"
    r"项目|平台|工业|制造|产业|投资|投入|园区|基地|试点|示范|上云|技改|改造|数字化|智能|互联网|信息化|"
    r"设备|软件|装备|机器|首台|首版|专精特新|小巨人|头雁|贯标|两化|标识|服务券|资源池|创新中心|保费|"
    r"保险|融资|担保|租赁|用地|零增地|人才|工厂|车间|大数据|安全|服务商|采购|集群|节点|总部|并购|钱"
)


# Requests that are not policy questions even when they use policy words (翻译“工业互联网平台”).
_NOT_POLICY = re.compile(
    r"翻译|写(?:一首|首|个|段|篇|一段|一个)?(?:诗|代码|程序|脚本|文章|小说|作文)|编程|python|excel|笑话|天气|菜谱|"
    r"社保|公积金|个税|个人所得税|专项附加扣除|医保|缴费基数|劳动合同|工资条|户口|签证|驾照",
    re.IGNORECASE,
)
# "还没验收，现在先能拿多少": the first instalment is what is due now.
# "河南的技改政策还有效吗": a question about a document's validity, answered from its metadata.
_VALIDITY = re.compile(r"还有效|有效期|是否有效|有效吗|过期了吗|过期没|失效|废止|还能用|还执行|还在执行|到期了吗")
_FIRST_STAGE = re.compile(r"第一笔|首笔|首期|第一期|先(?:能)?(?:拿|给|拨)|现在(?:先)?能拿|目前能拿|"
                          r"(?:还没|没有|未|尚未)(?:通过)?验收|验收前")


class OfflineEngine:
    def __init__(self, kb, rulebook, retriever, regions: RegionIndex,
                 fact_phrases: dict[str, dict]):
        self.kb = kb
        self.rulebook = rulebook
        self.retriever = retriever
        self.regions = regions
        self.fact_phrases = fact_phrases
        self.matcher = RuleMatcher(rulebook.rules)
        self.compose = Composer(kb, regions)
        self._topic_cache: dict[str, bool] = {}

    # -- entry point ---------------------------------------------------------------------------
    def answer(self, messages: list[dict]) -> Answer:
        """Answer validated messages (see assistant.messages.validate_messages)."""
        u = understand(messages, self.regions, self.fact_phrases)
        refusal = self._out_of_scope(u)
        if refusal:
            return refusal
        regions = self._region_filter(u)
        if u.compare and len(self._distinct_regions(u.regions.covered)) > 1:
            return self._compare(u)
        hits = self._search(self._query(u), regions, u)
        if not hits or self._off_topic(u):
            return self.compose.refuse("")
        if _VALIDITY.search(u.question) and not u.amounts:
            return self.compose.validity(hits[:3])
        if not self._continues(u):
            u.earlier_amounts = []   # a new question of its own: earlier figures belong to another topic
        matches = self._rule_matches(u, regions, hits)
        if matches and self._wants_calculation(u, matches[0]):
            return self._calculate(u, matches)
        return self.compose.lookup(u, hits[:8], self._awards_for(hits, u.question))

    # -- steps ---------------------------------------------------------------------------------
    def _out_of_scope(self, u: Understanding) -> Answer | None:
        named = u.regions
        if named.uncovered and not named.covered:
            return self.compose.refuse(f"您询问的是{'、'.join(named.uncovered)}的政策，")
        return None

    def _region_filter(self, u: Understanding) -> set[str] | None:
        names = u.regions.covered or u.context_regions
        if not names:
            return None
        out: set[str] = set()
        for name in names:
            out |= self.regions.expand(name)
        return out

    def _query(self, u: Understanding) -> str:
        """The latest question, with the earlier turns when it has no topic of its own."""
        if u.earlier and not self._has_topic_text(u.question):
            return f"{u.earlier}\n{u.question}"
        return u.question

    def _search(self, query: str, regions: set[str] | None, u: Understanding, k: int = 8) -> list[Hit]:
        want = bool(u.asks_amount or u.amounts)
        return self.retriever.search(query, k=k, doc_ids=self._doc_ids(regions), want_amount=want)

    def _doc_ids(self, regions: set[str] | None) -> list[str] | None:
        if not regions:
            return None
        return [d for d, doc in self.kb.documents.items()
                if set(doc.meta.regions) & regions] or None

    def _continues(self, u: Understanding) -> bool:
        """The latest turn continues the earlier one ("那如果是2000万呢？", "能拿多少？")."""
        return bool(FOLLOW_UP.search(u.question)) or not self._has_topic_text(u.question)

    def _off_topic(self, u: Understanding) -> bool:
        if _NOT_POLICY.search(u.question):
            return True
        return not _DOMAIN.search(u.all_text) and not self._has_topic_text(u.all_text)

    def _has_topic_text(self, text: str) -> bool:
        """Whether the text names an award of its own (asked up to three times per answer)."""
        if text not in self._topic_cache:
            best = self.matcher.match(text, limit=1)
            if len(self._topic_cache) > 512:
                self._topic_cache.clear()
            self._topic_cache[text] = bool(best and best[0].score >= MIN_RULE_SCORE)
        return self._topic_cache[text]

    def _rule_matches(self, u: Understanding, regions, hits: list[Hit]) -> list[RuleMatch]:
        ranks = {(h.clause.doc_id, h.clause.label): i for i, h in enumerate(hits)}
        matches = self.matcher.match(u.question, u.earlier, regions, ranks,
                                     amount_windows=u.amount_windows)
        return [m for m in matches if m.score >= MIN_RULE_SCORE
                and (m.keyword_hits or ranks.get((m.rule.doc_id, m.rule.clause), 99) <= 1)]

    def _wants_calculation(self, u: Understanding, match: RuleMatch) -> bool:
        """Compute when the user gave figures or asks for one; a fixed award also when the
        question names it ("拿到…的牌子，有奖励吗")."""
        if u.amounts or u.earlier_amounts and match.rule.inputs:
            return True
        if self._below_threshold(match.rule, u):
            return True
        if u.asks_amount:
            return True
        if u.asks_count:
            return False
        return match.rule.kind != "rate" and bool(match.keyword_hits) and bool(_ASKS_SUPPORT.search(u.question))

    def _calculate(self, u: Understanding, matches: list[RuleMatch]) -> Answer:
        chosen = self._ambiguous_siblings(matches)
        calcs: list[Calculation] = []
        missing: list[tuple[Rule, list[str]]] = []
        facts = self._facts(u)
        for i, m in enumerate(chosen):
            if i and m.rule.inputs and u.amount_windows and not self.matcher.names_inputs(m.rule, u.amount_windows):
                continue   # a sibling award whose inputs the user's amounts do not name
            amounts = u.amounts or u.earlier_amounts
            text = u.question if u.amounts else u.earlier
            inputs = assign_inputs(m.rule, text, amounts)
            result = calculate(m.rule, inputs, facts)
            if result.amount_yuan is None and self._below_threshold(m.rule, u):
                calcs.append(self._ineligible_below(m.rule, u, facts))
                continue
            if result.amount_yuan is None:
                needed = [x.label for x in result.missing
                          if x.required and (x.kind == "input" or x.name == m.rule.tier_fact)]
                missing.append((m.rule, needed))
                continue
            calcs.append(to_calculation(result, m.rule, self.kb))
        if not calcs:
            rule, labels = missing[0]
            return self.compose.follow_up(rule, labels, u)
        if _FIRST_STAGE.search(u.question):
            calcs = [_due_now(c) for c in calcs]
        return self.compose.calculation(u, calcs)

    def _facts(self, u: Understanding) -> dict:
        """Stated facts; "我们是江苏的企业" makes the in-region facts false unless stated."""
        facts = dict(u.facts)
        if u.home.uncovered and not u.home.covered:
            facts["regions"] = list(u.home.uncovered)   # the rule's region must be the enterprise's
            for fact, spec in self.fact_phrases.items():
                if spec.get("local") and fact not in facts:
                    facts[fact] = False
        return facts

    @staticmethod
    def _below_threshold(rule: Rule, u: Understanding) -> bool:
        """"投资不到1000万" against a rule that needs at least 1000万: ineligible without a figure."""
        return bool(rule.min_base_yuan and u.below and u.below[0].value <= rule.min_base_yuan)

    def _ineligible_below(self, rule: Rule, u: Understanding, facts: dict) -> Calculation:
        bound = u.below[0]
        at_minimum = calculate(rule, {rule.base: rule.min_base_yuan}, facts)
        calc = to_calculation(at_minimum, rule, self.kb)
        label = rule.input(rule.base).label
        return calc.model_copy(update={
            "eligible": False, "amount_yuan": 0, "instalments": [], "inputs": {},
            "formula": f"{label}不到{bound.text} < {wan(rule.min_base_yuan)}万元（最低要求），不符合申报条件",
            "reason": f"{label}不低于{wan(rule.min_base_yuan)}万元方可申报（您的{label}不到{bound.text}）",
        })

    @staticmethod
    def _ambiguous_siblings(matches: list[RuleMatch]) -> list[RuleMatch]:
        """The best rule, plus rules of the same clause that fit the question as well."""
        top = matches[0]
        same = [m for m in matches[1:3] if m.rule.doc_id == top.rule.doc_id
                and m.rule.clause == top.rule.clause and m.score >= 0.92 * top.score]
        return [top, *same]

    def _awards_for(self, hits: list[Hit], question: str = "") -> dict[str, list[Rule]]:
        """Rules each hit carries, the ones that fit the question best first."""
        out: dict[str, list[Rule]] = {}
        for h in hits:
            rules = self.rulebook.for_clause(h.clause.doc_id, h.clause.label)
            if rules:
                out[h.clause.id] = sorted(rules, key=lambda r: -self.matcher.fit(r, question))
        return out

    def _distinct_regions(self, names: tuple[str, ...]) -> list[str]:
        """Named regions, a region dropped when another named one contains it (广东 ⊃ 佛山)."""
        return [r for r in names
                if not any(o != r and r in self.regions.expand(o) for o in names)]

    def _compare(self, u: Understanding) -> Answer:
        sections = []
        for region in self._distinct_regions(u.regions.covered):
            scope = self.regions.expand(region)
            hits = self._search(u.question, scope, u)
            hits = [h for h in hits if set(h.meta.regions) & scope]
            ranks = {(h.clause.doc_id, h.clause.label): i for i, h in enumerate(hits)}
            matches = [m for m in self.matcher.match(u.question, "", scope, ranks)
                       if m.score >= MIN_RULE_SCORE]
            sections.append((region, hits[:3], matches[:3]))
        return self.compose.compare(u, sections)

    def citation(self, doc_id: str, label: str) -> Citation:
        return self.compose.citation(doc_id, label)


def _due_now(calc: Calculation) -> Calculation:
    """Before acceptance only the first instalment is paid: that is the figure asked for."""
    if not calc.eligible or not calc.instalments:
        return calc
    first, rest = calc.instalments[0], calc.instalments[1:]
    later = "；".join(f"{s.stage}再拨付{s.share}（{wan(s.amount_yuan)}万元）" for s in rest)
    return calc.model_copy(update={
        "amount_yuan": first.amount_yuan, "is_maximum": False,
        "formula": f"{wan(calc.amount_yuan)}万元 × {first.share} = {wan(first.amount_yuan)}万元（{first.stage}先拨付）",
        "notes": [f"奖补总额{wan(calc.amount_yuan)}万元；{later}。", *calc.notes],
    })
