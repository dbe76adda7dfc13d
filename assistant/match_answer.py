"""The "match" intent answered: the conversation's case (and the latest described list of
projects) -> a Profile -> the match -> words (prompts/offline_match.md.j2) and ``Answer.match``."""
from __future__ import annotations

from assistant.answer import Answer
from assistant.compose import wan
from assistant.match_model import MatchResult
from assistant.matching import PolicyMatcher
from assistant.profile import Profile, fact_years, profile_from_case
from assistant.profile_text import ProfileReader
from prompts import render


def matcher_for(engine) -> PolicyMatcher:
    """The engine's matcher, built once."""
    found = engine.__dict__.get("_policy_matcher")
    if found is None:
        found = PolicyMatcher(engine.rulebook.rules, engine.kb, engine.lexicon, engine.facts, engine.regions)
        engine.__dict__["_policy_matcher"] = found
    return found


def profile_from_understanding(u, reader, specs) -> Profile:
    """The latest turn's described projects (with the facts of earlier turns), else the case."""
    described = ProfileReader(reader, specs).read(u.question)
    if not described.projects:
        profile = profile_from_case(u.case)
    else:
        latest = set(reader.read(u.question).facts)
        facts = {k: v.value for k, v in u.case.facts.items() if k not in latest}
        facts |= {k: v.value for k, v in described.facts.items()}
        years = fact_years({k: v for k, v in u.case.facts.items() if k not in latest}) | fact_years(described.facts)
        profile = Profile(location=list(u.case.location), facts=facts, projects=described.projects, years=years)
    profile.scope = list(u.scope)
    profile.declaration_year = described.declaration_year
    return profile


def answer_match(engine, u) -> Answer:
    profile = profile_from_understanding(u, engine.understander.reader, engine.facts)
    result = matcher_for(engine).match(profile)
    selected = result.by_status("selected")
    cites = list({(a.citation.doc_id, a.citation.clause): a.citation for a in selected}.values())
    return Answer(answer=match_text(result), citations=cites, match=result.model_dump(mode="json"))


def _award(a) -> dict:
    return {"title": a.title, "wan": wan(a.amount_yuan) if a.amount_yuan else "", "project": a.project,
            "source": f"《{a.citation.title}》{a.citation.clause}", "reason": a.reason, "formula": a.formula,
            "instalments": [{"stage": s.stage, "share": s.share, "amount_wan": wan(s.amount_yuan)}
                            for s in a.instalments],
            "reviewed": a.reviewed, "is_maximum": a.is_maximum}


def match_text(result: MatchResult) -> str:
    mentioned = [a for a in result.awards if a.mentioned]
    expired = [a for a in mentioned if a.status == "missing_facts" and a.may_be_expired]
    missing = [a for a in mentioned if a.status == "missing_facts" and not a.may_be_expired]
    regions = "、".join(dict.fromkeys(d.region for d in result.documents)) or "所在地"
    return render(
        "offline_match.md.j2", regions=regions, total_wan=wan(result.total_yuan),
        now_wan=wan(result.payable_now_yuan), later_wan=wan(result.payable_later_yuan) if result.payable_later_yuan else "",
        paid_wan=wan(result.paid_yuan) if result.paid_yuan else "", declaration_year=result.declaration_year,
        selected=[_award(a) for a in result.by_status("selected")],
        alternatives=[_award(a) for a in result.by_status("alternative")],
        expired=[_award(a) for a in expired], missing=[_award(a) for a in missing],
        ineligible=[_award(a) for a in mentioned if a.status == "ineligible"],
        unlock=[{"label": x.label, "gain_wan": wan(x.gain_yuan), "title": x.title} for x in result.unlock],
        documents=[{"title": d.title, "expired": d.may_be_expired} for d in result.documents],
    )
