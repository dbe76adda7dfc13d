"""Compose offline answers from prompts/ templates: figures, formulas, conditions, cited clauses."""
from __future__ import annotations

import re
from decimal import Decimal

from assistant.answer import Answer, Calculation, Citation
from assistant.regions import RegionIndex
from assistant.rule_match import bigrams as _bigrams
from calculators.amounts import format_wan
from calculators.describe import describe
from calculators.models import Rule
from prompts import render


def wan(yuan: int | Decimal | None) -> str:
    """20000000 -> '2000'; 180000 -> '18'; 5000 -> '0.5'."""
    if yuan is None:
        return ""
    return format_wan(Decimal(yuan)).removesuffix("万元")


_NUMBER = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+[.．、])")


def _strip_number(text: str) -> str:
    return _NUMBER.sub("", text, count=1)


def _best_sentence(text: str, question: str) -> str:
    """The sentence of a clause that shares most words (character pairs) with the question;
    a short title sentence ("强化要素保障。") never wins over a provision."""
    sentences = [x for x in re.split(r"(?<=[。；;])", text) if x.strip()] or [text]
    asked = _bigrams(question)

    def score(sentence: str) -> float:
        return len(asked & _bigrams(sentence)) - (5 if len(sentence) < 12 else 0)

    return max(sentences, key=score)


def _supporting(hits, question: str, awards: dict, share: float = 0.5):
    """The best clause and those that share nearly as much of the question's wording with it
    ("机器换人有什么补贴": the two clauses on 机器换人, not the neighbours retrieval also found), and
    the award clauses of the best clause's own section (the money its measure gets)."""
    asked = _bigrams(question)
    scores = [len(asked & _bigrams(h.clause.text)) for h in hits]
    if not hits or not scores[0]:
        return hits[:3]
    section = hits[0].clause.parent
    kept = [h for h, score in zip(hits, scores, strict=True)
            if score >= share * scores[0] or (awards.get(h.clause.id) and section and h.clause.parent == section)]
    return kept[:3] or hits[:1]


class Composer:
    def __init__(self, kb, regions: RegionIndex):
        self.kb = kb
        self.regions = regions

    # -- citations -----------------------------------------------------------------------------
    def citation(self, doc_id: str, label: str) -> Citation:
        meta = self.kb.meta(doc_id)
        clause = self.kb.clause(doc_id, label)
        return Citation(doc_id=doc_id, title=meta.title, region=meta.region, clause=label,
                        text=clause.text, doc_number=meta.doc_number,
                        may_be_expired=meta.may_be_expired, validity=meta.validity)

    def _doc(self, doc_id: str) -> dict:
        meta = self.kb.meta(doc_id)
        expired = f"《{meta.title}》可能已过有效期：{meta.validity}" if meta.may_be_expired else ""
        return {"doc_title": meta.title, "doc_number": meta.doc_number, "expired": expired}

    # -- answers -------------------------------------------------------------------------------
    def refuse(self, reason: str) -> Answer:
        docs = [self.kb.meta(d) for d in self.kb.documents]
        regions = {m.region + (f"（{'、'.join(m.parent_regions)}）" if m.parent_regions else "") for m in docs}
        text = render("offline_refuse.md.j2", reason=reason or "您的问题不在本助手的政策知识库范围内，",
                      regions=sorted(regions), documents=docs)
        return Answer(answer=text)

    def greeting(self) -> Answer:
        docs = [self.kb.meta(d) for d in self.kb.documents]
        return Answer(answer=render("offline_greeting.md.j2", documents=docs))

    def follow_up(self, rule: Rule, missing: list[str], u, part: bool = False) -> Answer:
        cite = self.citation(rule.doc_id, rule.clause)
        ceiling = f"本条最高{wan(rule.ceiling_yuan)}万元。" if rule.ceiling_yuan else ""
        conditions = [c.label for c in rule.conditions if c.fact not in u.facts]
        text = render("offline_follow_up.md.j2", title=rule.title, clause=rule.clause, text=cite.text,
                      summary=ceiling, missing=missing, conditions=conditions, part=part,
                      **{k: v for k, v in self._doc(rule.doc_id).items() if k != "expired"})
        question = render("offline_follow_up_question.j2", missing=missing, example="2000万元")
        return Answer(answer=text, citations=[cite], follow_up=question)

    def calculation(self, u, calcs: list[Calculation]) -> Answer:
        items = [self._calc_item(c, u) for c in calcs]
        lead = None
        if len(calcs) > 1:
            lead = "您的问题可能对应以下几项政策，请按实际情况对照："
        text = render("offline_calc.md.j2", items=items, lead=lead, injection=u.injection)
        return Answer(answer=text, citations=[c.citation for c in calcs], calculations=calcs)

    def _calc_item(self, c: Calculation, u) -> dict:
        doc = self._doc(c.citation.doc_id)
        if doc["expired"] and any(c.citation.validity and c.citation.validity[:12] in n for n in c.notes):
            doc["expired"] = ""   # the rule's notes already carry the validity warning
        return {
            "title": c.title, "eligible": c.eligible, "amount_wan": wan(c.amount_yuan),
            "formula": c.formula, "reason": c.reason, "is_maximum": c.is_maximum,
            "instalments": [{"stage": s.stage, "share": s.share, "amount_wan": wan(s.amount_yuan)}
                            for s in c.instalments],
            "conditions": c.conditions, "notes": c.notes,
            "used": c.used, "stated": self._stated(u, c.rule_id) if c.eligible else [],
            "reviewed": c.reviewed,
            "clause": c.citation.clause, "text": c.citation.text, **doc,
        }

    @staticmethod
    def _stated(u, rule_id: str) -> list[str]:
        """The stated facts a calculation relied on ("国家级专精特新“小巨人”企业（在有效期内）")."""
        return [state.label for state in u.case.facts.values()
                if state.value is True and state.label][:4]

    def lookup(self, u, hits, awards: dict[str, list[Rule]]) -> Answer:
        chosen = _supporting(self._lookup_clauses(hits, awards), u.question, awards)
        clauses = []
        for h in chosen:
            rules = awards.get(h.clause.id, [])
            doc = self._doc(h.clause.doc_id)
            clauses.append({"clause": h.clause.label, "text": h.clause.text,
                            "awards": [self._award_line(r) for r in rules],
                            "doc_title": doc["doc_title"], "doc_number": doc["doc_number"], "expired": ""})
        lead = self._lead(chosen[0], awards.get(chosen[0].clause.id, []), u.question)
        labels = list(dict.fromkeys(i.label for r in awards.get(chosen[0].clause.id, []) for i in r.inputs))[:3]
        if labels and (u.reading.amounts or u.case.item.quantities):
            lead += (f"您提到的数额无法确定就是该条款的计算依据（{'、'.join(labels)}），或条款还有需逐项核对的条件，"
                     "为避免给出不准确的金额，这里不作计算，请以条款原文为准。")
        elif labels:
            lead += f"如需计算具体金额，请告诉我{'、'.join(labels)}。"
        notes = self._expiry_notes(h.clause.doc_id for h in chosen)
        return Answer(answer=render("offline_lookup.md.j2", lead=lead, clauses=clauses, notes=notes),
                      citations=[self.citation(h.clause.doc_id, h.clause.label) for h in chosen])

    def _lead(self, top, rules: list[Rule], question: str) -> str:
        """One plain sentence: what the most relevant clause gives, then where it says so."""
        where = f"（《{top.meta.short_title or top.meta.title}》{top.clause.label}）"
        if rules:
            quotas = [q.label for r in rules[:2] for q in r.quotas]
            extra = f"另：{'；'.join(dict.fromkeys(quotas))}。" if quotas else ""
            return "；".join(f"{r.title}：{describe(r)}" for r in rules[:2]) + f"{where}。{extra}"
        sentence = _best_sentence(_strip_number(top.clause.text), question)
        if len(sentence) > 90:
            sentence = sentence[:90] + "……"
        return f"{top.meta.region}的相关规定{where}：{sentence}"

    def _expiry_notes(self, doc_ids) -> list[str]:
        return [f"⚠️ {self._doc(d)['expired']}" for d in dict.fromkeys(doc_ids) if self._doc(d)["expired"]]

    @staticmethod
    def _lookup_clauses(hits, awards, limit: int = 3):
        """The best clauses, skipping bare headings, plus award clauses of the same section."""
        body = [h for h in hits if not h.clause.is_heading] or hits
        chosen = body[:limit]
        parents = {h.clause.parent for h in chosen[:2] if h.clause.parent}
        for h in body[limit:]:
            if h.clause.parent in parents and awards.get(h.clause.id) and len(chosen) < limit + 2:
                chosen.append(h)
        return chosen

    @staticmethod
    def _award_line(rule: Rule) -> str:
        return f"{rule.title}：{describe(rule)}"

    def validity(self, hits) -> Answer:
        """What the knowledge base records about the validity of the documents asked about."""
        docs = list(dict.fromkeys(h.clause.doc_id for h in hits))[:2]
        lines = []
        for doc_id in docs:
            meta = self.kb.meta(doc_id)
            number = f"（{meta.doc_number}）" if meta.doc_number else ""
            flag = "⚠️ " if meta.superseded_by else "⚠️ 可能已过有效期。" if meta.may_be_expired else ""
            lines.append(f"- 《{meta.title}》{number}：{flag}{meta.validity or '原文未载明有效期。'}")
        text = ("关于政策是否仍然有效，知识库记录如下（依据原文和文件信息，最终以主管部门最新通知为准）：\n\n"
                + "\n".join(lines))
        first = {d: next(h for h in hits if h.clause.doc_id == d) for d in docs}
        return Answer(answer=text, citations=[self.citation(d, first[d].clause.label) for d in docs])

    def compare(self, u, sections) -> Answer:
        clauses, citations, lines = [], [], []
        for region, hits, matches in sections:
            if not hits:
                lines.append(f"{region}：知识库中未找到相关条款。")
                continue
            rule_lines = [self._award_line(m.rule) for m in matches[:2]]
            lines.append(f"**{region}**：" + ("；".join(rule_lines) if rule_lines else "见下方条款原文"))
            for h in hits[:2]:
                clauses.append({"clause": h.clause.label, "text": h.clause.text, "awards": [],
                                **self._doc(h.clause.doc_id)})
                citations.append(self.citation(h.clause.doc_id, h.clause.label))
        lead = "各地区的相关规定对比如下：\n\n" + "\n".join(f"- {x}" for x in lines)
        text = render("offline_lookup.md.j2", lead=lead, clauses=clauses, notes=[])
        return Answer(answer=text, citations=citations)
