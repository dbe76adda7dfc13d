"""Policy matching (政策匹配): from an enterprise's profile to every award it can get, and the best total.

Every rule of the regions around the enterprise is evaluated against each project it can fund
(a project fact among its conditions, or an enterprise fact with the project's amount of the
rule's base role): ``ineligible`` (a stated fact defeats it, or a threshold), ``missing_facts``
(a fact or amount nobody gave; the award if they hold; documents that may have expired), else a
candidate. Candidates of one rule that share a per-enterprise cap are one award. The best
non-conflicting selection (assistant/match_select.py, knowledge/stacking.yaml) is ``selected``;
the other candidates are ``alternative``. A fact that, made true, raises the best total is an unlock.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from decimal import Decimal

from assistant.answer import Calculation
from assistant.calculations import rule_citation, to_calculation, yuan_int
from assistant.case import Item
from assistant.inputs import Gathered, gather
from assistant.match_model import DocumentNote, MatchAward, MatchResult, MissingFact
from assistant.match_select import Candidate, select, value
from assistant.match_stages import forfeited, in_force, payable, stage_parts, year_misfit
from assistant.match_unlock import alternatives_reasons, unlocks
from assistant.profile import Profile, Project
from assistant.stacking import NO_STACKING, Stacking, load_stacking
from calculators.amounts import format_wan
from calculators.arithmetic import fact_value
from calculators.items import calculate_many
from calculators.models import Rule

ENTERPRISE = Project(name="企业本身")


@dataclass
class Outcome:
    rule: Rule
    status: str
    projects: tuple[int, ...]             # indices into profile.projects; (-1,) the enterprise itself
    amount: Decimal | None = None
    reason: str = ""
    calc: Calculation | None = None
    sets: list = field(default_factory=list)
    facts: dict = field(default_factory=dict)
    pending: list = field(default_factory=list)       # Missing records (facts or inputs)
    mentioned: bool = True


class PolicyMatcher:
    def __init__(self, rules: list[Rule], kb, lexicon, fact_specs, regions,
                 stacking: dict[str, Stacking] | None = None):
        self.rules = list(rules)
        self.kb = kb
        self.lex = lexicon
        self.specs = fact_specs
        self.regions = regions
        self.stacking = stacking if stacking is not None else load_stacking()
        self.local = {name for name, spec in fact_specs.items() if spec.local}
        self.qualifiers = {name for name, spec in fact_specs.items() if spec.scope == "qualifier"}

    # -- regions -----------------------------------------------------------------------------
    def region_chain(self, profile: Profile) -> list[str]:
        """The regions whose rules apply: those asked about, else those around the location."""
        return self._chain(list(profile.scope) or list(profile.location))

    def _chain(self, names: list[str]) -> list[str]:
        chain = list(names)
        for name in names:
            for region in self.regions.covered_names:
                if name in self.regions.expand(region) or self.regions.canonical(name) == region:
                    chain.append(region)
            chain += self.regions.parents.get(self.regions.canonical(name), [])
        return list(dict.fromkeys(chain))

    # -- the match ---------------------------------------------------------------------------
    def match(self, profile: Profile) -> MatchResult:
        started = time.perf_counter()
        chain = self.region_chain(profile)
        rules = [r for r in self.rules if r.region in chain]
        # where the enterprise is, when it says so, decides every rule's region: a 广州 enterprise
        # asking "按佛山的政策" is told why each Foshan clause is not its own
        home = self._chain(list(profile.location)) if profile.location else chain
        base = {"regions": home, **{f: True for f in self.local}, **profile.facts}
        outcomes = [o for rule in rules for o in self._rule_outcomes(rule, profile, base)]
        cands = [self._candidate(o, i) for i, o in enumerate(outcomes) if o.status == "candidate"]
        chosen = select(cands, self.stacking)
        total = value(chosen)
        picked = {c.key for c in chosen}
        for c in cands:
            c.payload.status = "selected" if c.key in picked else "alternative"
        alternatives_reasons(cands, chosen, self.stacking, self._title)
        result = MatchResult(
            total_yuan=yuan_int(total), regions=chain, declaration_year=profile.declaration_year,
            awards=[self._award(o, profile) for o in _ordered(outcomes)],
            missing_facts=self._missing(outcomes), documents=self._documents(rules),
        )
        due = payable(result.by_status("selected"))
        result.payable_now_yuan, result.payable_later_yuan, result.paid_yuan = due["now"], due["later"], due["paid"]
        result.unlock = unlocks(self, outcomes, cands, total)
        result.elapsed_ms = round((time.perf_counter() - started) * 1000, 2)
        return result

    def _title(self, rule_id: str) -> str:
        return next(r.title for r in self.rules if r.id == rule_id)

    # -- one rule ----------------------------------------------------------------------------
    def _rule_outcomes(self, rule: Rule, profile: Profile, base: dict) -> list[Outcome]:
        conds = {c.fact for c in rule.conditions}
        stated_ent = (set(profile.facts) & conds) - self.local - self.qualifiers
        out = []
        for i, project in enumerate(profile.projects):
            own = (conds & set(project.facts)) - self.qualifiers
            got = gather(rule, project.item, self.lex) if rule.inputs else Gathered()
            has_base = rule.base is not None and any(rule.base in s for s in got.sets)
            named = has_base and (stated_ent or (not conds and _exact_role(rule, project.item)))
            if own or named:
                out.append(self._evaluate(rule, (i,), project, {**base, **project.facts}, got))
        if not out and stated_ent:
            out.append(self._evaluate(rule, (-1,), ENTERPRISE, dict(base), Gathered()))
        for o in out:
            self._check_year(o, profile)
        if not out:
            return [Outcome(rule, "missing_facts", (), rule.ceiling_yuan, mentioned=False,
                            reason="画像未涉及：" + "；".join(c.label for c in rule.conditions or [])
                            if rule.conditions else "画像未提供本条所需的金额")]
        return [self._dated(o, profile) for o in self._merged(rule, out)]

    def _evaluate(self, rule: Rule, where: tuple, project: Project, facts: dict, got: Gathered) -> Outcome:
        o = Outcome(rule, "candidate", where, facts=facts, sets=got.sets)
        excluded = self.stacking.get(rule.doc_id, NO_STACKING).excluded_by
        failed = [c.label for c in rule.conditions
                  if c.fact in facts and fact_value(facts[c.fact]) != c.value]
        if excluded and facts.get(excluded.fact) is True:
            failed.append(excluded.label + "，原则上不再重复支持")
        if lost := forfeited(rule, project.item.stage):
            failed.append(lost)
        if failed:
            o.status, o.reason = "ineligible", "不满足：" + "；".join(failed)
            return o
        if got.unclear:
            o.status, o.amount = "missing_facts", rule.ceiling_yuan
            o.reason = "需提供：" + "、".join(got.unclear)
            return o
        return self._compute(o, project)

    def _compute(self, o: Outcome, project: Project) -> Outcome:
        rule = o.rule
        result = calculate_many(rule, o.sets or [{}], o.facts, per_year=False,
                                across_enterprises=project.item.across_enterprises)
        o.calc = to_calculation(result, rule, self.kb)
        o.pending = [m for m in result.missing if m.required]
        if result.amount_yuan is None:
            o.status, o.amount = "missing_facts", rule.ceiling_yuan
            o.reason = "需提供：" + "、".join(m.label for m in o.pending if m.kind == "input")
        elif not result.eligible:
            o.status, o.amount, o.reason = "ineligible", Decimal(0), result.reason or "不符合申报条件"
        elif [m for m in o.pending if m.kind == "fact"]:
            o.status, o.amount = "missing_facts", result.amount_yuan
            o.reason = "尚需确认：" + "；".join(m.label for m in o.pending if m.kind == "fact")
        else:
            o.amount = result.amount_yuan
        return o

    def _dated(self, o: Outcome, profile: Profile) -> Outcome:
        """A candidate of a document that may have expired is flagged, not counted, unless the
        declaration year lies within the document's own period."""
        meta = self.kb.meta(o.rule.doc_id)
        if o.status != "candidate" or not meta.may_be_expired:
            return o
        if in_force(meta, profile.declaration_year):
            o.reason = f"申报年度{profile.declaration_year}年在文件有效期（至{meta.valid_until}年）内"
        else:
            o.status = "missing_facts"
            o.reason = "文件可能已失效，未计入合计：" + (meta.validity or "")
        return o

    def _check_year(self, o: Outcome, profile: Profile) -> None:
        """A candidate whose document or recognition does not fit the declaration year is flagged."""
        if o.status != "candidate" or profile.declaration_year is None:
            return
        conds = {c.fact for c in o.rule.conditions}
        years = dict(profile.years)
        for i in o.projects:
            years |= profile.projects[i].years if i >= 0 else {}
        why = year_misfit(profile.declaration_year, self.kb.meta(o.rule.doc_id), o.facts,
                          {k: v for k, v in years.items() if k in conds}, self.specs)
        if why:
            o.status, o.reason = "missing_facts", "与申报年度不符，未计入合计：" + why

    def _merged(self, rule: Rule, out: list[Outcome]) -> list[Outcome]:
        """Candidates of a rule whose cap one enterprise's items share (单个企业奖补不超过50万元)
        become one award over all their amounts; a limit of one party's (单个服务商合计不超过300万元)
        binds each project's items on their own first."""
        shares = rule.cap_scope == "enterprise" or any(lim.aggregate for lim in rule.limits)
        cands = [o for o in out if o.status == "candidate"]
        if not shares or len(cands) < 2:
            return out
        first = cands[0]
        joined = Outcome(rule, "candidate", tuple(p for o in cands for p in o.projects), facts=first.facts,
                         sets=[s for o in cands for s in o.sets])
        if self._party_limits(rule):
            _sum_parties(joined, cands)
        else:
            self._compute(joined, Project(item=Item()))
        return [o for o in out if o.status != "candidate"] + [joined]

    def _party_limits(self, rule: Rule) -> list:
        def per_party(name: str) -> bool:
            role = self.lex.roles.get(rule.input(name).role or "")
            return bool(role and role.per_party)
        return [lim for lim in rule.limits if lim.aggregate and lim.minus_input and per_party(lim.minus_input)]

    def _candidate(self, o: Outcome, index: int) -> Candidate:
        rule = o.rule
        projects = frozenset(o.projects) if o.projects != (-1,) else frozenset({f"rule:{rule.id}"})
        shared = tuple((f"{rule.doc_id}|{lim.label}|{lim.amount_yuan}", lim.amount_yuan)
                       for lim in rule.limits if lim.aggregate and lim.amount_yuan and not lim.minus_input)
        stacking = self.stacking.get(rule.doc_id, NO_STACKING)
        return Candidate(key=f"{index}:{rule.id}", rule_id=rule.id, doc_id=rule.doc_id, kind=rule.kind,
                         projects=projects, amount=o.amount, exempt=stacking.exempt_award(rule.kind, o.facts),
                         shared=shared[:1], region=rule.region, payload=o)

    # -- the result --------------------------------------------------------------------------
    def _award(self, o: Outcome, profile: Profile) -> MatchAward:
        rule = o.rule
        cite = o.calc.citation if o.calc else rule_citation(rule, self.kb)
        names = [ENTERPRISE.name if i == -1 else profile.projects[i].name for i in o.projects]
        calc = o.calc
        stage = next((profile.projects[i].item.stage for i in o.projects if i >= 0), None)
        parts = (stage_parts(calc.instalments if calc else [], o.amount, stage, self.lex.stages.get("accepted", []))
                 if o.status == "selected" else [])
        return MatchAward(
            rule_id=rule.id, title=rule.title, status=o.status, amount_yuan=yuan_int(o.amount),
            reason=o.reason, citation=cite, project="；".join(dict.fromkeys(names)),
            formula=calc.formula if calc and o.status != "ineligible" else "",
            is_maximum=rule.is_maximum, instalments=calc.instalments if calc else [], payable=parts,
            reviewed=rule.status != "draft", may_be_expired=cite.may_be_expired, mentioned=o.mentioned)

    def _missing(self, outcomes: list[Outcome]) -> list[MissingFact]:
        out: dict[str, MissingFact] = {}
        for o in outcomes:
            if o.status != "missing_facts" or not o.mentioned:
                continue
            for m in o.pending:
                entry = out.setdefault(m.name, MissingFact(name=m.name, label=m.label, kind=m.kind))
                if o.rule.id not in entry.rule_ids:
                    entry.rule_ids.append(o.rule.id)
        return list(out.values())

    def _documents(self, rules: list[Rule]) -> list[DocumentNote]:
        docs = dict.fromkeys(r.doc_id for r in rules)
        out = []
        for doc_id in docs:
            meta = self.kb.meta(doc_id)
            out.append(DocumentNote(doc_id=doc_id, title=meta.title, region=meta.region, doc_number=meta.doc_number,
                                    validity=meta.validity, may_be_expired=meta.may_be_expired))
        return out


_ORDER = {"selected": 0, "alternative": 1, "missing_facts": 2, "ineligible": 3}


def _ordered(outcomes: list[Outcome]) -> list[Outcome]:
    return sorted(outcomes, key=lambda o: (_ORDER[o.status], not o.mentioned, -(o.amount or 0)))


def _sum_parties(joined: Outcome, cands: list[Outcome]) -> None:
    """Each project already bound by its own party's limit (and the cap); the enterprise's cap
    over their sum."""
    rule = joined.rule
    total = sum((o.amount for o in cands), Decimal(0))
    terms = [(total, format_wan(total))]
    if rule.cap_scope == "enterprise" and rule.cap_yuan is not None:
        terms.append((rule.cap_yuan, format_wan(rule.cap_yuan)))
    amount = min(t[0] for t in terms)
    parts = "；".join(f"第{i + 1}项：{o.calc.formula}" for i, o in enumerate(cands))
    formula = f"{parts}；{' + '.join(format_wan(o.amount) for o in cands)} = {format_wan(total)}"
    if len(terms) > 1:
        formula += f"；min({', '.join(t[1] for t in terms)}) = {format_wan(amount)}"
    joined.amount = amount
    joined.pending = [m for o in cands for m in o.pending]
    joined.calc = cands[0].calc.model_copy(update={"amount_yuan": yuan_int(amount), "formula": formula,
                                                   "instalments": []})


def _exact_role(rule: Rule, item: Item) -> bool:
    spec = rule.input(rule.base)
    return bool(spec.role and item.amounts.get(spec.role))
