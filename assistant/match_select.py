"""The best non-conflicting selection of awards under the documents' no-stacking rules.

Candidates conflict when one document allows one award per project and both fund the same
project (or a document's 就高原则 reaches the other documents of its region), or when a document allows N awards per declaration year (some kinds exempt) and more
would be taken. Awards whose rules share an aggregate limit (单个企业年度奖励金额最高不超过500万元)
count at most that limit together. Candidates fall into independent groups (documents with a
rule, shared limits); each group is searched exhaustively, largest first, with a bound.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from assistant.stacking import NO_STACKING, Stacking


@dataclass
class Candidate:
    key: str                              # rule id and projects: unique among candidates
    rule_id: str
    doc_id: str
    kind: str
    projects: frozenset                   # what it funds (project indices, or the rule's own key)
    amount: Decimal
    exempt: bool = False                  # does not count towards the document's per_year
    shared: tuple = ()                    # aggregate limits shared with other rules: (key, bound)
    region: str = ""                      # the document's region (就高原则 across its documents)
    payload: object = field(default=None, repr=False)


def conflicts(a: Candidate, b: Candidate, stacking: dict[str, Stacking]) -> str | None:
    """Why a and b cannot both be taken ("same_project" / "per_year"), or None."""
    if a.doc_id != b.doc_id:
        return "same_project" if across_rule(a, b, stacking) and a.projects & b.projects else None
    rules = stacking.get(a.doc_id, NO_STACKING)
    if rules.same_project == "one" and a.projects & b.projects:
        return "same_project"
    if rules.per_year == 1 and not a.exempt and not b.exempt:
        return "per_year"
    return None


def across_rule(a: Candidate, b: Candidate, stacking: dict[str, Stacking]) -> Stacking | None:
    """The no-stacking rule of a's or b's document that reaches the other document of its region."""
    if not a.region or a.region != b.region:
        return None
    return next((s for s in (stacking.get(a.doc_id), stacking.get(b.doc_id))
                 if s is not None and s.same_project_across == "region"), None)


def value(chosen: list[Candidate]) -> Decimal:
    """The total, with shared aggregate limits applied to the awards that share them."""
    total = Decimal(0)
    pooled: dict[str, tuple[Decimal, Decimal]] = {}
    for c in chosen:
        if not c.shared:
            total += c.amount
            continue
        key, bound = c.shared[0]
        got, _ = pooled.get(key, (Decimal(0), bound))
        pooled[key] = (got + c.amount, bound)
    return total + sum((min(got, bound) for got, bound in pooled.values()), Decimal(0))


def _groups(cands: list[Candidate], stacking: dict[str, Stacking]) -> list[list[Candidate]]:
    parent = list(range(len(cands)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, a in enumerate(cands):
        for j in range(i + 1, len(cands)):
            b = cands[j]
            yearly = a.doc_id == b.doc_id and stacking.get(a.doc_id, NO_STACKING).per_year
            linked = conflicts(a, b, stacking) or yearly or (a.shared and b.shared and a.shared[0][0] == b.shared[0][0])
            if linked:
                parent[find(i)] = find(j)
    out: dict[int, list[Candidate]] = {}
    for i, c in enumerate(cands):
        out.setdefault(find(i), []).append(c)
    return list(out.values())


def _per_year_ok(chosen: list[Candidate], c: Candidate, stacking: dict[str, Stacking]) -> bool:
    limit = stacking.get(c.doc_id, NO_STACKING).per_year
    if limit is None or c.exempt:
        return True
    return sum(1 for x in chosen if x.doc_id == c.doc_id and not x.exempt) < limit


def tie_order(c: Candidate) -> tuple:
    """Larger awards first; equal ones in a stable order of their rules (not of where they were told)."""
    return (-c.amount, c.rule_id, sorted(map(str, c.projects)))


def _best(group: list[Candidate], stacking: dict[str, Stacking]) -> list[Candidate]:
    order = sorted(group, key=tie_order)
    rest = [sum((c.amount for c in order[i:]), Decimal(0)) for i in range(len(order) + 1)]
    best: tuple[Decimal, list[Candidate]] = (Decimal(-1), [])

    def walk(i: int, chosen: list[Candidate]) -> None:
        nonlocal best
        current = value(chosen)
        if current > best[0]:
            best = (current, list(chosen))
        if i == len(order) or current + rest[i] <= best[0]:
            return
        c = order[i]
        if _per_year_ok(chosen, c, stacking) and not any(conflicts(c, x, stacking) for x in chosen):
            chosen.append(c)
            walk(i + 1, chosen)
            chosen.pop()
        walk(i + 1, chosen)

    walk(0, [])
    return best[1]


def select(cands: list[Candidate], stacking: dict[str, Stacking]) -> list[Candidate]:
    """The selection with the highest total (ties: the larger awards first)."""
    chosen: list[Candidate] = []
    for group in _groups(cands, stacking):
        chosen += _best(group, stacking)
    return chosen
