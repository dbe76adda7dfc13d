"""When a figure from a drafted (unreviewed) rule may be given.

A draft is read from the clause's words by patterns; nobody has checked it. Its figure is shown
(labelled) only when the question is plainly about that clause and the draft leaves none of the
clause's conditions out: a number in the quote that the rule does not use, stated as a threshold
("年培训人数达到40人以上", "5000平方米以上", "不低于1000万元"), is a condition the draft missed, so
the clause is quoted instead of computed — unless the drafter carried it as one of the rule's
conditions, which the answer lists as conditions to meet (ingest/draft_conditions.py).
"""
from __future__ import annotations

import re
from decimal import Decimal

from assistant.wording import char_pairs
from calculators.amounts import find_amounts
from calculators.models import Rule
from ingest.draft_bands import CURRENCIES
from ingest.draft_conditions import rule_numbers, unread_thresholds
from ingest.draft_text import load_lexicon as draft_lexicon
from ingest.normalize import for_matching

TOP_RANK = 1     # the draft's clause must be among the two best clauses for the question


def missed_threshold(rule: Rule, text: str | None = None, used: set[Decimal] | None = None) -> str | None:
    """The words for a threshold the rule does not carry, if any: in its quote, or in `text`
    (its whole clause) against the numbers `used` by all the clause's rules. A threshold the
    drafter carried as a condition (单套价格达到200万元人民币及以上) is read, not missed."""
    text = rule.quote if text is None else text
    used = rule_numbers(rule) if used is None else used
    m = next(unread_thresholds(text, used), None)
    return None if m is None else text[max(0, m.start() - 4):m.end() + 6]


_CURRENCIES = frozenset({"元", *CURRENCIES.values()})
_DIGITS = re.compile(r"[\d.]+")       # amounts are not what an award is for
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s*[%％]")
_NOT_WORDING = re.compile(rf"{_NUMBER.pattern}|[^\w]|_")


def unexplained(clause_text: str, rules: list[Rule]) -> list[str]:
    """Money amounts and percentages of the clause that none of its rules uses: a sentence the
    drafter could not read, whose condition or award may change the figure."""
    used = set().union(*(rule_numbers(r) for r in rules)) if rules else set()
    out = [a.text for a in find_amounts(clause_text) if a.value.normalize() not in used]
    out += [m.group(0) for m in _PERCENT.finditer(clause_text)
            if Decimal(m.group(1)).normalize() not in used and (Decimal(m.group(1)) / 100).normalize() not in used]
    return out


def _pairs(text: str) -> set[str]:
    return char_pairs(for_matching(text))


def _word_pairs(text: str) -> set[str]:
    """Character pairs of the words, not of the numbers nor of punctuation: "3,500万美元" and
    "500万元以上" share no subject, and "方向，" says nothing "，技术" does not."""
    return char_pairs(for_matching(text), cut=_NOT_WORDING)


_PLACEHOLDER = re.compile(r"^符合.{1,40}规定的条件$")     # the drafter's stand-in when it read no subject
_FEW = 5                                               # "企业", "项目", "专项资金": nobody in particular


def _says_nobody(label: str) -> bool:
    return bool(_PLACEHOLDER.match(label)) or len(re.sub(r"\W", "", label)) < _FEW


def own_sentence(quote: str) -> str:
    """The sentence a draft's quote opens with, without its clause number: whom and what the draft
    is for when its subject says nobody ("总部企业实缴注册资本超过5000万元的，按1%给予落户扶持…")."""
    return draft_lexicon().numbering.sub("", quote.split("……")[0].lstrip(), count=1)


def _subject(rule: Rule) -> str:
    """Whom a draft is for: its conditions, and the counts that choose its band (研发人员超过100人的);
    the quote's opening words when its own subject names nobody in particular."""
    recipient = [rule.recipient] if getattr(rule, "recipient", None) else []
    counts = [i.label for i in rule.inputs if i.unit not in _CURRENCIES]      # not 年进出口额增量（美元）
    own = rule.conditions[0].label if rule.conditions else ""
    lead = [own_sentence(rule.quote)] if _says_nobody(own) else []
    return " ".join([*(c.label for c in rule.conditions), *lead, *counts, *recipient])


def _lead_in(text: str) -> bool:
    """"申请专项资金的企业应符合以下条件：": a clause that introduces a list names no one's award."""
    return text.rstrip().endswith(("：", ":"))


def names_its_subject(rule: Rule, siblings: list[Rule], question: str, others: list[str] = ()) -> bool:
    """Drafts of one clause that differ by whom they are for (并购海外科技型企业 / 并购省外科技型企业),
    and clauses beside it with no rule (`others`: "并购省外非科技型企业的项目不在支持范围"): the
    question must fit this draft's subject better than each of theirs."""
    home = _word_pairs(rule.region)          # 鹿城区 is where every policy of the region applies
    counted = _word_pairs(" ".join(i.label for i in rule.inputs))   # what this draft counts tells no other apart
    mine = _word_pairs(_subject(rule)) - home
    asked = _word_pairs(question) - home
    subjects = [_word_pairs(_subject(o)) - home for o in siblings if o.id != rule.id]
    cut = len(_subject(rule)) + 4            # as many of a bare clause's opening words as this draft's subject has
    subjects += [_word_pairs(text[:cut]) - home for text in others if not _lead_in(text)]
    for theirs in subjects:
        if theirs == mine:
            continue
        if len((mine - theirs) & asked) <= len((theirs - mine - counted) & asked):
            return False       # the question fits the other draft's subject as well or better
    return True


_AWARD = re.compile(r"(?:奖励|给予|补贴|补助|资助|扶持|奖补)[^，。；,;]{0,12}?\d+(?:\.\d+)?\s*[万亿]?元")


def states_award(text: str) -> bool:
    """Whether a clause states an award amount ("分别奖励2万元", "给予…50万元补助"), drafted or not:
    a rival for the question although no rule of it was drafted."""
    return bool(_AWARD.search(text))


# a condition a clause states in the negative ("未享受市级数字经济产业园区房租补助的")
_CLAUSE_DENIES = re.compile(r"(?:未曾|从未|尚未|不曾|没有|未|无)[^，。；,;：:（）()]{2,30}")


def _denied_by(text: str) -> set[str]:
    """Character pairs of the conditions a clause states in the negative."""
    return set().union(*(_pairs(m.group(0)) for m in _CLAUSE_DENIES.finditer(_DIGITS.sub(" ", text))))


def fits_better(mine: str, rival: str, question: str, denied: str = "", counts_said: bool = False) -> bool:
    """Whether the question shares more of this clause's own wording (character pairs the other
    lacks) than of the other's: "列入《紧缺人才开发目录》的工程师" fits 引进紧缺人才, not 引进高技能人才.
    Wording the question denies (`denied`: "之前没在四板挂过") counts against the clause that has it,
    and for a clause that itself asks it be denied ("没拿过市级…房租补助" of "未享受市级…房租补助的").
    When the wording ties, `counts_said` decides: the user's amount is what this clause's draft
    counts (放了4个亿的融资 → 融资总额) and what no draft of the other clause counts."""
    a, b, asked, no = (_pairs(_DIGITS.sub(" ", t)) for t in (mine, rival, question, denied))
    no -= asked

    def fit(own: set[str], negative: set[str]) -> int:
        return len(own & asked) + len(own & no & negative) - len(own & no - negative)
    margin = fit(a - b, _denied_by(mine)) - fit(b - a, _denied_by(rival))
    return margin > 0 or (margin == 0 and counts_said)


_STAGE = re.compile(r"第[一二三四五1-5]年|首年")
_TOTAL = re.compile(r"一共|总共|合计|累计|总额|共计")


def asks_one_stage(rule: Rule, question: str) -> bool:
    """"落户扶持第一年能发下来多少" of an award paid in instalments (按40%、30%、30%的比例分三年发放):
    the question asks for one year's payment, and the draft's figure is the whole award."""
    return bool(rule.instalments) and bool(_STAGE.search(question)) and not _TOTAL.search(question)


def _quoted_by(rule: Rule, text: str) -> bool:
    core = text.strip(" 。；;，,")
    return bool(rule.quote_clauses) and bool(core) and any(core in f or f.strip("。；; ").endswith(core)
                                                           for f in rule.quote.split("……"))


def trusted(rule: Rule, clause_rank: int | None, clause_text: str = "", siblings: list[Rule] | None = None,
            question: str = "", neighbours: list[Rule] | None = None, bare: list[str] = (),
            rivals: list[str] = (), denied: str = "", first_stage: bool = False, lead: str = "",
            rival_leads: list[str] = (), counted_only: list[bool] = ()) -> bool:
    """Whether a figure from this rule may be given for a question whose retrieval ranked the
    rule's clause at `clause_rank` (None: not among the hits). Reviewed rules always may; a draft
    only when its clause is one of the best hits, and neither it nor the other drafts of its clause
    missed a threshold, every amount and percentage of the clause is read by one of them, and the
    question names what sets this draft apart from the others of its clause and of the clauses
    beside it (`neighbours`: 第九条1 / 第九条2 / 第九条3), and fits the question better than the
    other clauses of its document among the best hits (`rivals`). One instalment asked of an award
    paid in instalments is computed only when the question was read as asking the first one
    (`first_stage`: the answer then gives that instalment). `lead` and `rival_leads`: the headings
    each clause is listed under ("第四条 对入驻…园区的融资租赁企业：" over "（二）到位注册资本超过…"), part
    of whom and what it is for when the clauses' wording is weighed; `counted_only`, for each rival,
    whether the user's amounts are of what this draft counts and of nothing the rival's drafts count."""
    if rule.status != "draft":
        return True
    if clause_rank is None or clause_rank > TOP_RANK:
        return False
    siblings = siblings or [rule]
    if any(missed_threshold(r) for r in siblings):
        return False
    if clause_text and missed_threshold(rule, clause_text, set().union(*(rule_numbers(r) for r in siblings))):
        return False        # a sentence of the clause no draft read states a threshold ("超过100人的…")
    bare = [t for t in bare if not _quoted_by(rule, t)]     # a clause the rule's own quote starts with
    if question and not names_its_subject(rule, [*siblings, *(neighbours or [])], question, bare):
        return False
    if asks_one_stage(rule, question) and not first_stage:
        return False
    leads = list(rival_leads) or [""] * len(rivals)
    only = list(counted_only) or [False] * len(rivals)
    rivals = [(lead_of + t, o) for t, lead_of, o in zip(rivals, leads, only, strict=False) if not _quoted_by(rule, t)]
    if question and clause_text and not all(fits_better(lead + clause_text, r, question, denied, o) for r, o in rivals):
        return False
    return not unexplained(rule.quote, siblings)
