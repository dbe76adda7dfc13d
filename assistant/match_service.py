"""Policy matching for the front ends (CLI, HTTP API, the tab): a profile's data -> MatchResult.

Needs no index: the knowledge base, the rules, the vocabulary and the region table."""
from __future__ import annotations

from typing import Any

from assistant.lexicon import load_facts, load_lexicon
from assistant.match_answer import match_text
from assistant.match_model import MatchResult
from assistant.matching import PolicyMatcher
from assistant.profile import Profile
from assistant.profile_file import ProfileBuilder
from assistant.reading import TurnReader


class MatchService:
    def __init__(self, rules, kb, regions, data_dir=None):
        lex, specs = load_lexicon(), load_facts(data_dir=data_dir)
        self.matcher = PolicyMatcher(rules, kb, lex, specs, regions)
        roles = set(lex.roles)
        self.builder = ProfileBuilder(TurnReader(lex, specs), specs, regions, roles)

    def profile(self, data: Any) -> Profile:
        return self.builder.build(data)

    def match(self, data: Any) -> MatchResult:
        profile = self.profile(data)
        result = self.matcher.match(profile)
        result.profile = profile_summary(profile, self.matcher)
        return result


def match_service(service) -> MatchService:
    """The service's matcher, built once (PolicyService or anything with kb, rulebook, regions)."""
    found = service.__dict__.get("_match_service")
    if found is None:
        settings = getattr(service, "settings", None)
        found = MatchService(service.rulebook.rules, service.kb, service.regions,
                             getattr(settings, "data_dir", None))
        service.__dict__["_match_service"] = found
    return found


def profile_summary(profile: Profile, matcher: PolicyMatcher) -> dict[str, Any]:
    """What was matched, in words: the report and the tab show it."""
    def label(name: str) -> str:
        spec = matcher.specs.get(name)
        found = next((c.label for r in matcher.rules for c in r.conditions if c.fact == name), None)
        return (spec.label if spec and spec.label else None) or found or name

    def said(facts: dict) -> list[str]:
        return [label(k) if v is True else f"非：{label(k)}" if v is False else f"{label(k)}：{v}"
                for k, v in facts.items()]

    return {
        "location": " ".join(profile.location), "declaration_year": profile.declaration_year,
        "facts": said(profile.facts),
        "projects": [{"name": p.name, "facts": said(p.facts),
                      "amounts": {k: [float(v) for v in vs] for k, vs in p.item.amounts.items()}}
                     for p in profile.projects],
    }


__all__ = ["MatchService", "match_service", "match_text", "profile_summary"]
