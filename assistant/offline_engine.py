"""The offline answer engine: no model server, answers from clauses and exact calculators.

understand (intent + the enterprise's case) -> dispatch on the intent -> retrieve clauses ->
match rules -> gather inputs from the case -> compute -> compose from prompts/ templates.
A figure only when every input has a clear role and no stated fact defeats a condition.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from assistant import deferred_conditions as deferred
from assistant.answer import Answer, Calculation, Citation
from assistant.calculations import to_calculation
from assistant.case import Case
from assistant.compose import Composer, wan
from assistant.count_match import other_owners, unread_limit
from assistant.doc_names import DocumentNames
from assistant.draft_trust import states_award, trusted, unexplained
from assistant.exclusions import Stated
from assistant.exclusions import applied as with_exclusions
from assistant.inputs import Gathered, gather
from assistant.label_match import fit
from assistant.lexicon import load_facts, load_lexicon
from assistant.places import OUTSIDE_MAINLAND, is_national
from assistant.qualifiers import loses_to_rival, ordinal_conflict
from assistant.regions import RegionIndex
from assistant.retrieval import Hit
from assistant.rule_match import RuleMatch, RuleMatcher
from assistant.stated_thresholds import verdict
from assistant.understand import Understander, Understanding
from assistant.units import load_units
from assistant.wording import char_pairs
from calculators.engine import calculate
from calculators.items import calculate_many
from calculators.models import Rule
from ingest.clauses import Clause
from ingest.draft_text import load_lexicon as draft_lexicon
from ingest.normalize import for_matching

MIN_RULE_SCORE = 3.0
NATIONAL_SHARE = 0.45  # how much of a question national clauses must contain to answer for an uncovered place
RIVAL_RANK = 2          # a draft must fit the question better than its document's other award clauses this high


class OfflineEngine:
    def __init__(self, kb, rulebook, retriever, regions: RegionIndex, fact_phrases=None, lexicon=None,
                 draft_figures: bool = True):
        self.kb = kb
        self.rulebook = rulebook
        self.retriever = retriever
        self.regions = regions
        self.lexicon = lexicon or load_lexicon()
        self.facts = fact_phrases if fact_phrases is not None else load_facts()
        self.draft_figures = draft_figures
        self.matcher = RuleMatcher([r for r in rulebook.rules if draft_figures or r.status != "draft"])
        self.compose = Composer(kb, regions)
        self.doc_names = DocumentNames({d: doc.meta.title for d, doc in kb.documents.items()})
        labels = {c.fact: c.label for r in rulebook.rules for c in r.conditions}
        labels |= {e.fact: e.label for r in rulebook.rules for e in r.extras}
        self.understander = Understander(self.lexicon, self.facts, regions, self._award_of, labels)
        self.role_labels = {name: role.label for name, role in
                            {**self.lexicon.roles, **self.lexicon.percent_roles}.items()}
        self._topic_cache: dict[str, str | None] = {}
        self._said_cache: dict[tuple, tuple[str, str]] = {}
        self._denials = [w for w in (*self.lexicon.negations, *self.lexicon.far_negations)
                         if len(w) > 1 or w in "没未"]
        self._handlers = {
            "greeting": lambda u: self.compose.greeting(),
            "out_of_scope": lambda u: self.compose.refuse(""),
            "uncovered_region": self._uncovered,
            "validity": self._validity,
            "compare": self._compare,
            "match": self._match,
            "calculate": self._retrieved,
            "lookup": self._retrieved,
        }

    # -- entry point ---------------------------------------------------------------------------
    def answer(self, messages: list[dict], case: Case | None = None) -> Answer:
        """Answer validated messages (see assistant.messages.validate_messages)."""
        u = self.understand(messages, case)
        result = self._handlers[u.intent](u)
        result.case = u.case.to_json(self.role_labels)
        return result

    def understand(self, messages: list[dict], case: Case | None = None) -> Understanding:
        return self.understander.understand(messages, case)

    # -- handlers ------------------------------------------------------------------------------
    def _uncovered(self, u: Understanding) -> Answer:
        """A place the knowledge base holds no documents of: national policies answer what they
        address (a 襄阳 enterprise asking about 融资担保 fees), unless the question asks the place's
        own government ("区里奖多少"); otherwise a refusal naming the place."""
        national = {d.meta.region for d in self.kb.documents.values() if is_national(d.meta.region)}
        if national and "asks_local" not in u.reading.cues:
            question = u.question
            for place in u.regions.uncovered:
                question = question.replace(place, " ")
            hits = self._search(question, national, u)
            if hits and self.retriever.lexical.covered_share(
                    question, [h.clause.text for h in hits[:3]]) >= NATIONAL_SHARE:
                result = self._retrieved(u, national)
                if result.citations:
                    places = "、".join(u.regions.uncovered)
                    result.answer = f"知识库未收录{places}的地方政策；以下依据全国性政策作答。\n\n{result.answer}"
                    return result
        return self.compose.refuse(f"您询问的是{'、'.join(u.regions.uncovered)}的政策，")

    def _match(self, u: Understanding) -> Answer:
        """What the enterprise can get, all told (assistant/match_answer.py)."""
        from assistant.match_answer import answer_match
        return answer_match(self, u)

    def _validity(self, u: Understanding) -> Answer:
        hits = self._search(u.question, self._region_filter(u), u)
        return self.compose.validity(hits[:3]) if hits else self.compose.refuse("")

    def _retrieved(self, u: Understanding, regions: set[str] | None = None) -> Answer:
        regions = regions or self._region_filter(u)
        hits = self._search(self._query(u), regions, u)
        if not hits or self._off_topic(u):
            return self.compose.refuse("")
        ranks = {(h.clause.doc_id, h.clause.label): i for i, h in enumerate(hits)}
        matches = [m for m in self._rule_matches(u, regions, hits) if self._trusted(m.rule, ranks, u)]
        if matches and self._wants_calculation(u, matches[0]):
            combined = self._calculate_parts(u, regions, hits) if u.parts else None
            if combined is not None:
                return combined
            if not u.unsplit_sum:
                return (self._calculate(u, matches, ranks)
                        or self.compose.lookup(u, hits[:8], self._awards_for(hits, u.question)))
            # the total of several awards is asked: one award's figure alone would read as that total
        return self.compose.lookup(u, hits[:8], self._awards_for(hits, u.question))

    def _strict(self, rule: Rule) -> bool:
        """A draft in a clause of several awards takes only amounts the user's words name; alone in
        its clause, it may take the one amount the question gives."""
        if rule.status != "draft":
            return False
        same = self.rulebook.for_clause(rule.doc_id, rule.clause)
        return len(same) > 1 or bool(unexplained(self.kb.clause(rule.doc_id, rule.clause).text, same))

    def _trusted(self, rule: Rule, ranks: dict, u: Understanding) -> bool:
        """A reviewed rule, or a draft the question and its clause make safe to compute from."""
        if rule.status != "draft":
            return True
        if deferred.contrast_misfit(deferred.subject_text(rule), u.all_text):
            return False       # "租了3000平方米" against "新建成或购置自用办公房产的"
        clause = self.kb.clause(rule.doc_id, rule.clause)
        same = self.rulebook.for_clause(rule.doc_id, rule.clause)
        beside = [c for c in self.kb.documents[rule.doc_id].clauses
                  if clause.parent and c.parent == clause.parent and c.label != rule.clause]
        near = [r for c in beside for r in self.rulebook.for_clause(rule.doc_id, c.label) if r.status == "draft"]
        bare = [_strip_label(c.text) for c in beside if not self.rulebook.for_clause(rule.doc_id, c.label)]
        rivals = self._rivals(rule, ranks, beside)
        said, denied = self._affirmed(u)
        if ordinal_conflict(rule, said) or any(loses_to_rival(rule, clause.text, r.text, said)
                                               for d, r in rivals if d != rule.doc_id):
            return False
        return trusted(rule, ranks.get((rule.doc_id, rule.clause)), clause.text, same, said, near, bare,
                       [c.text for _, c in rivals], denied, first_stage=u.first_stage, lead=_headings(clause),
                       rival_leads=[_headings(c) for _, c in rivals],
                       counted_only=[self._counts_only(rule, d, c, u) for d, c in rivals])

    def _counts_only(self, rule: Rule, doc_id: str, rival: Clause, u: Understanding) -> bool:
        """Whether an amount the user said is of what `rule` counts by its words (label_match.fit)
        and of nothing a rule of the rival clause counts."""
        def counts(r: Rule) -> bool:
            return any(fit(i.label, s.words) is not None for i in r.inputs if i.unit == "元"
                       for s in u.case.item.said)
        return counts(rule) and not any(counts(r) for r in self.rulebook.for_clause(doc_id, rival.label))

    def _rivals(self, rule: Rule, ranks: dict, beside: list) -> list[tuple[str, Clause]]:
        """(document, clause) of the award clauses among the best hits, of any document, whose
        qualifiers the draft's are checked against (and, of its own document, its wording); not the clauses beside it (its siblings are checked on their own) nor
        another document's copy of the same award sentence."""
        own = for_matching(rule.quote.split("……")[0])
        clause = self.kb.clause(rule.doc_id, rule.clause)
        return [(doc_id, c) for (doc_id, label), rank in ranks.items()
                if rank <= RIVAL_RANK and (doc_id, label) != (rule.doc_id, rule.clause)
                and (c := self.kb.clause(doc_id, label)) not in beside
                and (doc_id == rule.doc_id or not _copies(own, clause.text, c.text))
                and (self.rulebook.for_clause(doc_id, label) or states_award(c.text))]

    def _affirmed(self, u: Understanding) -> tuple[str, str]:
        """The question's phrases split into what it says the enterprise is or has, and what it
        denies ("之前没在四板挂过"), for telling one award's subject from another's; a place named
        outside the enterprise's province adds the policies' word for it (德国 → 海外, 江苏 → 省外).
        Once per question: every draft the question matches is checked against the same split."""
        key = (u.all_text, tuple(u.scope), tuple(u.case.location))
        if key not in self._said_cache:
            pieces = re.split(r"[，,。；;、（）()？?！!\n]", u.all_text)
            denied = [p for p in pieces if any(w in p for w in self._denials)]
            said = [p for p in pieces if p not in denied] + self._elsewhere(u)
            if len(self._said_cache) > 512:
                self._said_cache.clear()
            self._said_cache[key] = ("，".join(said), "，".join(denied))
        return self._said_cache[key]

    def _elsewhere(self, u: Understanding) -> list[str]:
        table = self.regions.table
        home = {p.lineage[0] for name in (*u.scope, *u.case.location) if (p := table.place(name)) and p.lineage}
        words = ["海外", "境外", "国外"] if table.names_abroad(u.all_text) else []
        for m in table.find(u.all_text) if home else ():
            if m.place is not None and m.place.lineage and m.place.lineage[0] not in home:
                words += ["境外", "海外"] if m.place.lineage[0] in OUTSIDE_MAINLAND else ["省外", "外省"]
        return list(dict.fromkeys(words))

    # -- steps ---------------------------------------------------------------------------------
    def _region_filter(self, u: Understanding) -> set[str] | None:
        """Document regions a question may draw on: for each region in scope, its own documents,
        those of the regions around it, and national ones (大连 → 大连市, 辽宁省, 全国); a district's
        only when it is the one named. A region with no documents of its own (广东) takes those
        inside it (佛山市)."""
        if not u.scope:
            return None
        own = {doc.meta.region for doc in self.kb.documents.values()}
        out: set[str] = {r for r in own if is_national(r)}
        named = [p for n in (*u.regions.uncovered, *u.case.location) if (p := self.regions.place(n)) is not None]
        for name in u.scope:
            place = self.regions.place(name)
            out |= {r for r in own if r == name or (place is not None and (p := self.regions.place(r)) is not None
                                                   and place.within(p))}
            if name not in own:      # 广东 → 佛山市; not 长春 → 吉林省 → 柳河县: a named place must lie in it
                inside = [p for p in named if place is not None and p.within(place) and p != place]
                out |= {r for r in self.regions.expand(name) & own
                        if not inside or any((q := self.regions.place(r)) is not None and p.within(q) for p in inside)}
        return out

    def _query(self, u: Understanding) -> str:
        """The latest question, with the topic's words when it has no topic of its own, and the
        policies' word for a place named outside the enterprise's province (德国 → 海外)."""
        text = f"{u.topic}\n{u.question}" if u.topic and not self._has_topic_text(u.question) else u.question
        elsewhere = self._elsewhere(u)
        return f"{text}\n{' '.join(elsewhere)}" if elsewhere else text

    def _search(self, query: str, regions: set[str] | None, u: Understanding, k: int = 8) -> list[Hit]:
        want = bool(u.asks_amount or u.reading.amounts)
        doc_ids = self._doc_ids(regions)
        named = self.doc_names.find(u.question)     # "按…那个措施": the document the user points at
        if named:
            doc_ids = [d for d in (doc_ids or self.kb.documents) if d in named] or doc_ids
        return self.retriever.search(query, k=k, doc_ids=doc_ids, want_amount=want)

    def _doc_ids(self, regions: set[str] | None) -> list[str] | None:
        if not regions:
            return None
        return [d for d, doc in self.kb.documents.items() if doc.meta.region in regions] or None

    def _off_topic(self, u: Understanding) -> bool:
        return "domain" not in u.reading.cues and not self._has_topic_text(u.all_text)

    def _has_topic_text(self, text: str) -> bool:
        """Whether the text names an award of its own."""
        return self._award_of(text) is not None

    def _award_of(self, text: str) -> str | None:
        """The award a text names on its own words (the best rule's id), if any."""
        if text not in self._topic_cache:
            best = self.matcher.match(text, limit=1)
            if len(self._topic_cache) > 512:
                self._topic_cache.clear()
            self._topic_cache[text] = best[0].rule.id if best and best[0].score >= MIN_RULE_SCORE else None
        return self._topic_cache[text]

    def _rule_matches(self, u: Understanding, regions, hits: list[Hit]) -> list[RuleMatch]:
        ranks = {(h.clause.doc_id, h.clause.label): i for i, h in enumerate(hits)}
        windows = [u.question[max(0, a.start - 12):a.start] for a in u.reading.amounts]
        matches = self.matcher.match(u.question, u.topic, regions, ranks, amount_windows=windows, limit=8)
        matches = [m for m in matches if m.score >= MIN_RULE_SCORE
                   and (m.keyword_hits or ranks.get((m.rule.doc_id, m.rule.clause), 99) <= 1)]
        return sorted(matches, key=lambda m: -self._fit_case(m, u))[:5]

    @staticmethod
    def _fit_case(m: RuleMatch, u: Understanding) -> float:
        """A rule fits better when the enterprise says it meets its conditions ("我们是小巨人")
        and when the item's amounts are of the roles its inputs name ("合同额…" → 服务券), or its
        counts of the units they count ("研发人员有120人" → 研发人员超过100人的…200万元)."""
        facts, amounts = u.case.facts, u.case.item.amounts
        counted = {c.unit for c in u.case.item.counts} | set(u.case.item.quantities)
        meets = any(c.fact in facts and facts[c.fact].value == c.value for c in m.rule.conditions)
        named = any(amounts.get(spec.role) if spec.unit == "元" else counted & load_units().same_input(spec.unit)
                    for spec in m.rule.inputs)
        return m.score + 1.5 * meets + 2.0 * named

    def _wants_calculation(self, u: Understanding, match: RuleMatch) -> bool:
        """Compute when the user gave figures or asks for one; a fixed award also when the
        question names it ("拿到…的牌子，有奖励吗")."""
        if u.intent == "calculate" or (not u.case.item.empty and match.rule.inputs and u.continues):
            return True
        if u.asks_count:
            return False
        return match.rule.kind != "rate" and bool(match.keyword_hits) and "asks_support" in u.reading.cues

    def _calculate(self, u: Understanding, matches: list[RuleMatch], ranks: dict) -> Answer | None:
        """The figures of the best rules; None when the only ones found cannot count what was said
        (a draft missing a limit of the count, "每户不超过150吨"; a total asked of counts of several
        awards, one of which may not be computed): the clause is quoted instead."""
        chosen = self._ambiguous_siblings(matches, u)
        chosen = self._with_count_owners(chosen, u, ranks) if "asks_total" in u.reading.cues else chosen
        if chosen is None:
            return None
        facts = self._facts(u)
        outcomes = [self._figure(_Attempt(m.rule, i, facts), u) for i, m in enumerate(chosen)]
        calcs = [o.calc for o in outcomes if o.calc is not None]
        missing = [o.ask for o in outcomes if o.ask is not None]
        if not calcs and not missing:
            return None
        if not calcs:
            rule, labels, part = missing[0]
            return self.compose.follow_up(rule, labels, u, part=part)
        if _one_of_a_total(u, calcs):
            return None
        answer = self.compose.calculation(u, _finished(u, calcs, chosen))
        return answer.model_copy(update={"citations": [*answer.citations, *(c for o in outcomes for c in o.shown)]})

    def _figure(self, a: _Attempt, u: Understanding) -> _Outcome:
        """One rule's figure through the steps that read, withhold, ask back or relabel it (_STEPS),
        in order: the first step with an outcome ends the attempt."""
        for step in self._STEPS:
            if (outcome := step(self, a, u)) is not None:
                return outcome
        return _Outcome(calc=a.calc, shown=tuple(deferred.citations(a.later, self.citation)))

    # -- the steps of one rule's figure (_figure), each (attempt, understanding) -> outcome or None --
    def _read_inputs(self, a: _Attempt, u: Understanding) -> _Outcome | None:
        """The rule's inputs from the case; passed over when the draft cannot count what was said."""
        a.got = self._gather(a.rule, u.case.item, over_term=bool({"asks_total", "asks_over_term"} & u.reading.cues))
        return _PASSED_OVER if a.got is None else None

    def _ask_back_first(self, a: _Attempt, u: Understanding) -> _Outcome | None:
        """Counts no one award names, or each year's amount of a whole term, are asked back."""
        ask = _asked_back(a.rule, a.got)
        return None if ask is None else _Outcome(ask=(a.rule, ask, False))

    def _unnamed_sibling(self, a: _Attempt, u: Understanding) -> _Outcome | None:
        """A sibling award whose inputs the user's amounts do not name is passed over."""
        return _PASSED_OVER if a.index and a.rule.inputs and not a.got.used else None

    def _unsafe(self, a: _Attempt, u: Understanding) -> _Outcome | None:
        """A draft whose figure would not answer what is asked is passed over (see _unsafe_draft)."""
        return _PASSED_OVER if self._unsafe_draft(a.rule, u, a.facts) else None

    def _unclear_condition(self, a: _Attempt, u: Understanding) -> _Outcome | None:
        """An input whose role is unclear, or a threshold (the draft's own, or of a conditions clause
        it defers to: "对符合条件的申报单位…") the question's values cannot be tied to, is asked back."""
        stated, threshold = verdict(a.rule, u.all_text) if a.rule.status == "draft" else ("", "")
        a.later = deferred.for_rule(self.kb, a.rule, u.all_text)
        stated, a.threshold = deferred.unclear_first(a.later, stated, threshold, a.rule, a.got)
        if a.got.unclear or stated == "unclear":
            return _Outcome(ask=(a.rule, a.got.unclear or [a.threshold], bool(a.got.unclear)))
        return None

    def _compute(self, a: _Attempt, u: Understanding) -> _Outcome | None:
        """The calculator's result; the condition of a threshold the question's value fails is false."""
        failed = next((c.fact for c in a.rule.conditions if c.label == a.threshold), None)
        rule_facts = {**a.facts, failed: False} if failed else a.facts
        a.result = calculate_many(a.rule, a.got.sets or [{}], rule_facts, per_year=a.got.per_year,
                                  across_enterprises=u.case.item.across_enterprises)
        return None

    def _below_minimum(self, a: _Attempt, u: Understanding) -> _Outcome | None:
        """No figure, and an amount below the rule's minimum said ("投资不到1000万"): ineligible."""
        if a.result.amount_yuan is None and self._below_threshold(a.rule, u):
            return _Outcome(calc=self._ineligible_below(a.rule, u, a.facts))
        return None

    def _missing_inputs(self, a: _Attempt, u: Understanding) -> _Outcome | None:
        """No figure: the required inputs (and the fact that grades the award) are asked back."""
        if a.result.amount_yuan is not None:
            return None
        needed = [x.label for x in a.result.missing
                  if x.required and (x.kind == "input" or x.name == a.rule.tier_fact)]
        return _Outcome(ask=(a.rule, needed, False))

    def _calculation(self, a: _Attempt, u: Understanding) -> _Outcome | None:
        """The figure as answered, with the user's values it used and the notes of reading them."""
        calc = to_calculation(a.result, a.rule, self.kb)
        a.calc = calc.model_copy(update={"used": a.got.used, "notes": [*a.got.notes, *calc.notes]})
        return None

    def _excluded(self, a: _Attempt, u: Understanding) -> _Outcome | None:
        """Withheld, or a condition added, by the facts the user states that exclude it."""
        a.calc = self._with_exclusions(a.rule, u, a.calc)
        return None

    def _deferred(self, a: _Attempt, u: Understanding) -> _Outcome | None:
        """Relabelled by the conditions clauses the draft defers to (assistant/deferred_conditions.py)."""
        a.calc = deferred.applied(a.calc, a.later, self.citation)
        return None

    _STEPS = (_read_inputs, _ask_back_first, _unnamed_sibling, _unsafe, _unclear_condition, _compute,
              _below_minimum, _missing_inputs, _calculation, _excluded, _deferred)

    def _with_exclusions(self, rule: Rule, u: Understanding, calc: Calculation) -> Calculation:
        """The figure against the facts the user states that take it away: a kind of applicant the
        whole document excludes (房地产、贸易型企业均不享受本意见全部条款), a draft clause's exclusion
        sentence ("列入省级科技计划的，不再重复支持"; listed as a condition when the question does not
        say) (assistant/exclusions.py)."""
        said, denied = self._affirmed(u)
        stated = Stated(u.all_text, said, denied, self.lexicon.negations)
        return with_exclusions(calc, rule, self.kb.clause(rule.doc_id, rule.clause).text, stated)

    def _calculate_parts(self, u: Understanding, regions, hits: list[Hit]) -> Answer | None:
        """Several items of different awards in one question: each computed under its own rule,
        then a limit the rules share (单个企业年度奖励金额最高不超过500万元) applied to their sum.
        None when any part cannot be computed with confidence (the usual path then answers)."""
        ranks = {(h.clause.doc_id, h.clause.label): i for i, h in enumerate(hits)}
        done = []
        for part in u.parts:
            found = [m for m in self.matcher.match(part.text, "", regions, ranks, limit=1)
                     if m.score >= MIN_RULE_SCORE]
            if not found:
                return None
            rule = found[0].rule
            got = gather(rule, part.item, self.lexicon)
            if got.unclear or not got.sets:
                return None
            facts = {**self._facts(u), **part.facts}
            result = calculate_many(_without_aggregate(rule), got.sets, facts, per_year=got.per_year)
            if result.amount_yuan is None:
                return None
            done.append((rule, result, got))
        calcs = [to_calculation(r, rule, self.kb).model_copy(update={"used": g.used})
                 for rule, r, g in done]
        shared = _shared_limit([rule for rule, _, _ in done])
        if shared is None:
            return self.compose.calculation(u, calcs)
        used = u.case.item.amounts.get("awarded_this_year", [Decimal(0)])[-1]
        total = sum((Decimal(c.amount_yuan) for c in calcs if c.eligible), Decimal(0))
        amount = max(Decimal(0), min(total, shared.amount_yuan - used))
        terms = f"{wan(shared.amount_yuan)}万元" + (f" − {wan(used)}万元" if used else "")
        formula = (" + ".join(f"{wan(c.amount_yuan)}万元" for c in calcs if c.eligible)
                   + f" = {wan(total)}万元；min({wan(total)}万元, {terms}) = {wan(amount)}万元")
        first = calcs[0]
        combined = first.model_copy(update={
            "rule_id": "+".join(c.rule_id for c in calcs), "title": "、".join(c.title for c in calcs) + "（合计）",
            "amount_yuan": int(amount), "eligible": amount > 0, "formula": formula, "is_maximum": True,
            "inputs": {}, "instalments": [], "used": [x for c in calcs for x in c.used],
            "notes": [*(f"{c.title}：{c.formula}" for c in calcs), shared.label],
        })
        return self.compose.calculation(u, [combined])

    def stated_facts(self, u: Understanding) -> dict:
        return self._facts(u)

    def _facts(self, u: Understanding) -> dict:
        """Stated facts; an enterprise located outside the covered regions fails in-region facts
        and every rule whose region is not its own."""
        facts = u.case.fact_values()
        for fact, spec in self.facts.items():     # "没进工信部的名单": national recognitions fail
            if spec.level_denied(u.case.denied_levels) and fact not in facts:
                facts[fact] = False
        if u.case.location:
            facts["regions"] = self._location_chain(u.case)
        if u.case.covered is False:
            for fact, spec in self.facts.items():
                if spec.local and fact not in facts:
                    facts[fact] = False
        return facts

    def _location_chain(self, case: Case) -> list[str]:
        chain = list(case.location)
        for name in case.location:
            for region in self.regions.covered_names:
                if name in self.regions.expand(region) or self.regions.canonical(name) == region:
                    chain.append(region)
            chain += self.regions.parents.get(name, [])
        return list(dict.fromkeys(chain))

    @staticmethod
    def _below_threshold(rule: Rule, u: Understanding) -> bool:
        """"投资不到1000万" against a rule that needs at least 1000万: ineligible without a figure."""
        below = list(u.case.item.below.values())
        return bool(rule.min_base_yuan and below and below[0] <= rule.min_base_yuan)

    @staticmethod
    def _unsafe_draft(rule: Rule, u: Understanding, facts: dict) -> bool:
        """A draft whose figure would not answer what is asked: the first year's payment
        ("第一年能到账多少") of a draft that carries no instalments (how it is paid was not drafted);
        a total ("加起来总共") of a draft graded by a fact the question does not settle (its figure would
        be the top grade's, not a sum over what was said)."""
        if rule.status != "draft":
            return False
        if u.first_stage and not rule.instalments:
            return True
        return bool(rule.tiers and rule.tier_fact and rule.tier_fact not in facts
                    and "asks_total" in u.reading.cues)

    def _ineligible_below(self, rule: Rule, u: Understanding, facts: dict) -> Calculation:
        bound = list(u.case.item.below.values())[0]
        at_minimum = calculate(rule, {rule.base: rule.min_base_yuan}, facts)
        calc = to_calculation(at_minimum, rule, self.kb)
        label = rule.input(rule.base).label
        return calc.model_copy(update={
            "eligible": False, "amount_yuan": 0, "instalments": [], "inputs": {},
            "formula": f"{label}不到{wan(bound)}万元 < {wan(rule.min_base_yuan)}万元（最低要求），不符合申报条件",
            "reason": f"{label}不低于{wan(rule.min_base_yuan)}万元方可申报（您的{label}不到{wan(bound)}万元）",
        })

    def _gather(self, rule: Rule, item, over_term: bool = False) -> Gathered | None:
        """The rule's inputs from the item; None for a draft that cannot count what was said (its
        quote limits the count with a number it does not carry: "每户不超过150吨")."""
        if unread_limit(rule) and any(x.unit != "元" for x in rule.inputs):
            return None
        return gather(rule, item, self.lexicon, strict=self._strict(rule),
                      siblings=self.rulebook.for_clause(rule.doc_id, rule.clause), over_term=over_term)

    def _with_count_owners(self, chosen: list[RuleMatch], u: Understanding, ranks: dict) -> list[RuleMatch] | None:
        """The chosen rules and the other awards of their clause that own some of the counts said
        ("2件甲类、3件乙类…一共"), when each may be computed; None when one may not."""
        have = {m.rule.id for m in chosen}
        extra: dict[str, Rule] = {}
        for m in chosen:
            siblings = self.rulebook.for_clause(m.rule.doc_id, m.rule.clause)
            extra.update({r.id: r for r in other_owners(m.rule, u.case.item, siblings) if r.id not in have})
        if not all(self._trusted(r, ranks, u) for r in extra.values()):
            return None
        return [*chosen, *(RuleMatch(r, chosen[0].score, ()) for r in extra.values())]

    @staticmethod
    def _ambiguous_siblings(matches: list[RuleMatch], u: Understanding) -> list[RuleMatch]:
        """The best rule, plus rules of the same clause that fit the question as well and whose
        conditions the enterprise is said to meet no less (省认定首台套 stated: not the 国家 one)."""
        top = matches[0]

        def met(m: RuleMatch) -> int:
            return sum(1 for c in m.rule.conditions
                       if c.fact in u.case.facts and u.case.facts[c.fact].value == c.value)

        same = [m for m in matches[1:3] if m.rule.doc_id == top.rule.doc_id
                and m.rule.clause == top.rule.clause and m.score >= 0.92 * top.score and met(m) >= met(top)]
        return [top, *same]

    def _awards_for(self, hits: list[Hit], question: str = "") -> dict[str, list[Rule]]:
        """Rules each hit carries, the ones that fit the question best first."""
        out: dict[str, list[Rule]] = {}
        for h in hits:
            rules = self.rulebook.for_clause(h.clause.doc_id, h.clause.label)
            if rules:
                out[h.clause.id] = sorted(rules, key=lambda r: -self.matcher.fit(r, question))
        return out

    def _compare(self, u: Understanding) -> Answer:
        sections = []
        for region in u.distinct_regions:
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


COPY_SHARE = 0.7     # another document's clause this alike is a copy of the same award (a later version)


def _copies(quote: str, text: str, other: str) -> bool:
    """Whether another document's clause repeats the draft's award: its quote verbatim, or most of
    its clause's character pairs."""
    if quote in for_matching(other):
        return True
    a, b = char_pairs(for_matching(text)), char_pairs(for_matching(other))
    return bool(a and b) and len(a & b) >= COPY_SHARE * min(len(a), len(b))


def _headings(clause: Clause) -> str:
    """The headings a clause is listed under, as words before its text."""
    return "".join(f"{h}\n" for h in clause.headings)


def _strip_label(text: str) -> str:
    """A clause's text without its leading number ("4.并购省外…" → "并购省外…", "第六条 鼓励…" → "鼓励…"),
    by the drafter's one pattern for clause numbering (knowledge/lexicon/draft.yaml)."""
    return draft_lexicon().numbering.sub("", text.lstrip(), count=1)


def _without_aggregate(rule: Rule) -> Rule:
    return rule.model_copy(update={"limits": [lim for lim in rule.limits if not lim.aggregate]})


def _shared_limit(rules: list[Rule]):
    """An aggregate limit every rule carries (same document, same words), if any."""
    first = rules[0]
    for lim in first.limits:
        if lim.aggregate and lim.amount_yuan and all(
                r.doc_id == first.doc_id and any(o.aggregate and o.amount_yuan == lim.amount_yuan
                                                 and o.label == lim.label for o in r.limits)
                for r in rules[1:]):
            return lim
    return None


@dataclass
class _Attempt:
    """One chosen rule on its way to a figure (OfflineEngine._figure): what its steps have read."""
    rule: Rule
    index: int                          # among the chosen rules; 0: the best match
    facts: dict                         # the facts stated
    got: Gathered | None = None         # its inputs from the case
    threshold: str = ""                 # the label of a threshold condition the question's value fails
    later: list = field(default_factory=list)      # the conditions clauses a draft defers to
    result: Any = None                  # the calculator's
    calc: Calculation | None = None     # the figure as answered


@dataclass(frozen=True)
class _Outcome:
    """How an attempt ends: a figure (with the conditions clauses it cites), a question to ask back
    (the rule, the labels asked, whether they are part of a whole), or neither: passed over."""
    calc: Calculation | None = None
    ask: tuple[Rule, list[str], bool] | None = None
    shown: tuple[Citation, ...] = ()


_PASSED_OVER = _Outcome()


def _one_of_a_total(u: Understanding, calcs: list[Calculation]) -> bool:
    """"建站奖励加进站补助一共多少" with one figure: it would read as the total asked."""
    return "asks_total" in u.reading.cues and "two_awards" in u.reading.cues and len(calcs) == 1


def _asked_back(rule: Rule, got: Gathered) -> list[str] | None:
    """What must be asked before this rule's figure: counts said by category that no one award of
    the clause names; each year's amount when the whole term is asked and one year's is said."""
    if got.ask:
        return [f"“{'”“'.join(got.ask)}”各适用本条哪一档（请写明类别）"]
    if got.yearly:
        return [f"补贴期限内各年的{rule.input(rule.base).label}（或说明每年都相同）"]
    return None


def _finished(u: Understanding, calcs: list[Calculation], chosen: list[RuleMatch]) -> list[Calculation]:
    """The figures as answered: only the first instalment when that is asked, with the total of
    per-unit awards when a total is asked."""
    if u.first_stage:
        calcs = [_due_now(c) for c in calcs]
    if "asks_total" in u.reading.cues and (total := _counted_total(calcs, chosen)) is not None:
        calcs = [*calcs, total]
    return calcs


def _counted_total(calcs: list[Calculation], chosen: list[RuleMatch]) -> Calculation | None:
    """"两类专利一共多少": per-unit awards of one clause, each counting its own category of what was
    said, added up; None unless there are several and all are eligible."""
    rules = {m.rule.id: m.rule for m in chosen}
    parts = [c for c in calcs if c.rule_id in rules and rules[c.rule_id].kind == "per_unit"]
    if len(parts) < 2 or len(parts) != len(calcs) or not all(c.eligible for c in parts) \
            or len({(rules[c.rule_id].doc_id, rules[c.rule_id].clause) for c in parts}) != 1:
        return None
    total = sum((Decimal(c.amount_yuan) for c in parts), Decimal(0))
    return parts[0].model_copy(update={
        "rule_id": "+".join(c.rule_id for c in parts), "title": "、".join(c.title for c in parts) + "（合计）",
        "amount_yuan": int(total), "formula": " + ".join(f"{wan(c.amount_yuan)}万元" for c in parts)
        + f" = {wan(total)}万元", "inputs": {}, "instalments": [], "used": [x for c in parts for x in c.used],
        "notes": [f"{c.title}：{c.formula}" for c in parts]})


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
