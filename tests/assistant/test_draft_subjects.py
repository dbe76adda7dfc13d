"""Whom a draft is for, as the trust check reads it (assistant/draft_trust.names_its_subject): the
wording of real clauses of corpus-extra and of 鹿城区 policies, written out as drafts here so the
check is tested apart from what the drafter happens to produce today."""
from __future__ import annotations

from decimal import Decimal

from assistant.draft_trust import asks_one_stage, names_its_subject, own_sentence, trusted
from calculators.models import Rule

_COMMON = {"doc_id": "d", "title": "t", "keywords": ["奖励"], "status": "draft"}


def _rate(rid: str, clause: str, subject: str, quote: str, base: str, rate: str, cap: int,
          region: str = "辽宁省大连市甘井子区", **extra) -> Rule:
    return Rule(id=rid, kind="rate", clause=clause, region=region, quote=quote, rate=Decimal(rate),
                cap_yuan=Decimal(cap), inputs=[{"name": "base_yuan", "label": base, "unit": "元"}], base="base_yuan",
                conditions=[{"fact": f"{rid}_eligible", "label": subject}],
                examples=[{"inputs": {"base_yuan": 100_000_000},
                           "amount_yuan": min(cap, int(100_000_000 * Decimal(rate)))}],
                **_COMMON, **extra)


def _fixed(rid: str, clause: str, subject: str, quote: str, amount: int, region: str = "浙江省温州市鹿城区") -> Rule:
    return Rule(id=rid, kind="fixed", clause=clause, region=region, quote=quote, fixed_yuan=Decimal(amount),
                conditions=[{"fact": f"{rid}_eligible", "label": subject}], examples=[{"amount_yuan": amount}],
                **_COMMON)


# 004_ganjingzi_hq_economy 第三章第五条第1段: two awards in one paragraph, the first with no subject read
_SETTLE = "总部企业实缴注册资本超过5000万元的，按1%给予落户扶持，最高不超过300万元，从下一年度开始，按40%、30%、30%的比例分三年发放。"
_TOPUP = "已获得落户扶持的总部企业，因业务发展四年内增加实缴资本金的，按照增资金额1%的标准给予不高于250万元的扶持"
_SPLIT = [{"stage": f"第{n}年", "share": s} for n, s in (("一", "0.4"), ("二", "0.3"), ("三", "0.3"))]


def _hq_pair() -> tuple[Rule, Rule]:
    settle = _rate("settle", "第三章第五条第1段", "符合第三章第五条第1段规定的条件", _SETTLE, "总部企业实缴注册资本",
                   "0.01", 3_000_000, instalments=_SPLIT, min_base_yuan=Decimal(50_000_000))
    topup = _rate("topup", "第三章第五条第1段", "已获得落户扶持的总部企业，因业务发展四年内增加实缴资本金", _TOPUP,
                  "增资金额", "0.01", 2_500_000)
    return settle, topup


def test_a_draft_whose_subject_names_nobody_is_read_from_its_own_sentence():
    settle, topup = _hq_pair()
    asked = "我们2020年在甘井子区被认定为总部企业，实缴注册资本2.4亿元，落户扶持一共能拿多少"
    assert names_its_subject(settle, [settle, topup], asked)
    assert not names_its_subject(topup, [settle, topup], asked)
    # the top-up is still the one for a question about an increase of capital
    more = "我们是已获得落户扶持的总部企业，四年内增加实缴资本金6000万元，能拿多少"
    assert names_its_subject(topup, [settle, topup], more)
    assert not names_its_subject(settle, [settle, topup], more)


def test_own_sentence_drops_the_clause_number_and_keeps_the_first_fragment():
    assert own_sentence("1.对新设立的外资企业给予50万元奖励；……（二）其他") == "对新设立的外资企业给予50万元奖励；"


def test_a_word_or_two_of_subject_is_no_subject():
    """015 第二章第七条: the drafter kept only 企业 of 对具备进出口经营权、跨境电子商务年进出口额…的企业."""
    quote = "对具备进出口经营权、跨境电子商务年进出口额200万美元以上的企业，给予10万元扶持资金；"
    bands = _fixed("trade", "第二章第七条（一）", "企业", quote, 100_000, region="辽宁省大连市")
    platform = _fixed("platform", "第二章第七条（二）", "利用第三方跨境电子商务平台开展电子商务，每年",
                      "利用第三方跨境电子商务平台开展电子商务，每年给予2万元补助", 20_000, region="辽宁省大连市")
    asked = "大连一家有进出口经营权的外贸企业，去年通过跨境电商实现的进出口额是680万美元，扶持资金能拿多少"
    assert names_its_subject(bands, [bands, platform], asked)
    assert not names_its_subject(platform, [bands, platform], asked)


def test_numbers_are_not_whom_an_award_is_for():
    """"实缴外资5000万元" shares the digits of a neighbour's "营业收入5000万元以上", not its subject."""
    first = _fixed("first", "一、1", "新设立的外资制造业企业", "对新设立的外资制造业企业，给予600万元奖励。", 6_000_000,
                   region="辽宁省大连市")
    bare = "年营业收入5000万元以上的企业，给予高级管理人员奖励。"
    assert names_its_subject(first, [first], "新设一家外资制造厂，实缴外资5000万元", [bare])
    assert not names_its_subject(first, [first], "新设一家外资制造厂，年营业收入5000万元", [bare])


def test_the_policys_own_place_tells_no_award_from_another():
    """Every 鹿城区 policy applies in 鹿城区: naming it does not make a software firm's rent a factory's."""
    factory = _fixed("factory", "四、1", "在鹿城区范围内没有工业用地", "对在鹿城区范围内没有工业用地，租赁厂房的，给予5万元补助", 50_000)
    service = _fixed("service", "四、5", "同一企业申领服务券", "同一企业申领服务券的，给予3万元", 30_000)
    asked = "我们是鹿城区的软件公司，租了800平方米办公室，申领房租补助能拿多少"
    assert not names_its_subject(factory, [factory, service], asked)
    assert names_its_subject(factory, [factory, service], "鹿城区一家企业，没有工业用地，租赁厂房生产，能补多少")


def test_a_clause_that_only_introduces_a_list_is_no_rival_subject():
    """021 第十六条 stands beside "专项资金的支持范围：" and "申请专项资金的企业应符合以下条件："."""
    rule = _rate("tech", "第十六条", "引进技术项目", "第十六条 对引进技术项目按核定后引进技术支付金额的20%给予补助，单项补助金额不超过1000万元。",
                 "核定后引进技术支付金额", "0.2", 10_000_000, region="辽宁省")
    asked = "我们花了2600万元，能补多少"          # names no one: only a rival subject could refuse it
    assert names_its_subject(rule, [rule], asked, ["专项资金的支持范围：", "申请专项资金的企业应符合以下条件："])
    # a bare clause that states a subject of its own still is one
    assert not names_its_subject(rule, [rule], asked, ["并购省外非科技型企业的项目不在支持范围"])


def test_one_years_payment_of_an_instalment_award_is_not_the_award():
    settle, topup = _hq_pair()
    assert asks_one_stage(settle, "实缴注册资本1.8亿元，落户扶持第一年能发下来多少")
    assert not asks_one_stage(settle, "落户扶持一共能拿多少？分几年发、第一年发多少")
    assert not asks_one_stage(topup, "增资部分第一年能发多少")          # paid at once: the figure is the payment
    question = "2022年认定的总部企业，实缴注册资本1.8亿元，落户扶持第一年能发下来多少"
    assert not trusted(settle, 0, _SETTLE + _TOPUP, [settle, topup], question)
    assert trusted(settle, 0, _SETTLE + _TOPUP, [settle, topup], question.replace("第一年能发下来", "一共能拿"))
