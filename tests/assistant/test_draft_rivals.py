"""A draft's figure needs the question to fit its clause better than the other award clauses of
its document (assistant/draft_trust.fits_better), on real clauses of corpus-extra."""
from __future__ import annotations

from pathlib import Path

import pytest

from assistant.draft_trust import fits_better
from ingest.clauses import parse_clauses

EXTRA = Path(__file__).resolve().parents[3] / "shared" / "corpus-extra"
pytestmark = pytest.mark.skipif(not EXTRA.is_dir(), reason=f"{EXTRA} is absent")


def _clauses(name: str) -> dict[str, str]:
    parsed = parse_clauses(name, (EXTRA / name).read_text("utf-8"))
    return {c.label: c.text for c in parsed.clauses}


def test_the_clause_the_question_names_fits_and_its_neighbour_does_not():
    c = _clauses("005_ganjingzi_talent_10_measures.txt")
    shortage, skilled = c["四、"], c["五、"]
    asked = "今年全职引进了4名列入《大连市重点产业紧缺人才开发目录》的工程师，已拿到紧缺人才薪酬补贴，企业能拿多少引才资助"
    assert fits_better(shortage, skilled, asked)
    assert not fits_better(skilled, shortage, asked)


def test_a_denied_phrase_counts_against_the_clause_that_has_it():
    c = _clauses("001_ganjingzi_listing_subsidy.txt")
    neeq, regional = c["第四条"], c["第七条"]
    said = "2018年在新三板挂牌成功，审核下来挂牌票据实际发生额186万元，区里能补多少"
    assert not fits_better(neeq, regional, said)           # on its words alone, the question cannot tell
    assert fits_better(neeq, regional, said, denied="之前没在四板挂过")
    assert not fits_better(regional, neeq, said, denied="之前没在四板挂过")


def test_amounts_are_not_what_a_clause_is_for():
    assert not fits_better("对A类企业给予50万元奖励", "对A类企业给予80万元奖励", "A类企业，营收8000万，50万")


def test_the_count_that_chooses_a_band_is_part_of_whom_a_draft_is_for():
    """013 三、12: 50万 for a new foreign R&D centre; 200万 when its researchers exceed 100."""
    from decimal import Decimal

    from assistant.draft_trust import names_its_subject
    from calculators.models import Rule
    common = {"doc_id": "d", "clause": "三、12", "title": "t", "region": "辽宁省大连市", "keywords": ["研发中心"],
              "status": "draft"}
    base = Rule(id="base", kind="fixed", quote="对经认定的新设外资研发中心，给予50万元开办补助；", fixed_yuan=Decimal(500_000),
                conditions=[{"fact": "base_ok", "label": "经认定的新设外资研发中心"}],
                examples=[{"amount_yuan": 500_000}], **common)
    big = Rule(id="big", kind="bands", quote="对经认定的研发人员超过100人的新设外资研发中心，给予200万元开办补助。",
               conditions=[{"fact": "big_ok", "label": "新设外资研发中心"}],
               inputs=[{"name": "people", "label": "经认定的研发人员（人）", "unit": "人"}], base="people",
               bands=[{"min_yuan": 100, "include_min": False, "amount_yuan": 2_000_000}],
               examples=[{"inputs": {"people": 101}, "amount_yuan": 2_000_000}], **common)
    asked = "外商在大连新设立的研发中心已经通过认定，研发人员有120人，开办补助是多少"
    assert names_its_subject(big, [base, big], asked)


def test_when_the_wording_ties_the_clause_counting_the_users_amount_fits():
    c = _clauses("002_ganjingzi_financial_leasing.txt")
    financing, loans = c["第六条"], c["第五条"]
    asked = "我们融资租赁公司给区里的企业一共放了2个亿的融资能补贴多少钱"
    assert not fits_better(financing, loans, asked)
    assert fits_better(financing, loans, asked, counts_said=True)
    other = "利用商业贷款买的大型设备，今年贷款利息付了30万，补贴多少"      # the other clause's wording wins
    assert not fits_better(financing, loans, other, counts_said=True)


def test_a_list_items_heading_is_part_of_what_its_clause_is_for():
    parsed = parse_clauses("002", (EXTRA / "002_ganjingzi_financial_leasing.txt").read_text("utf-8"))
    by = {c.label: c for c in parsed.clauses}
    capital, managers = by["第四条（二）"], by["第七条（二）"]
    asked = "刚入驻融资租赁服务园区的融资租赁企业，注册资本到位2.7亿，奖励多少"
    lead = "".join(capital.headings)
    assert not fits_better(capital.text, managers.text, asked)      # the item alone names no 融资租赁企业
    assert fits_better(lead + capital.text, "".join(managers.headings) + managers.text, asked)


def test_punctuation_and_the_drafts_own_base_tell_no_subject_apart():
    """006 第十条 (受让…在区内转化, 主导产业方向) against 第九条 (高校院所…科技成果在区内转化)."""
    from decimal import Decimal

    from assistant.draft_trust import names_its_subject
    from calculators.models import Rule
    common = {"doc_id": "d", "title": "t", "region": "辽宁省大连市甘井子区", "keywords": ["成果转化"],
              "status": "draft", "kind": "rate", "rate": Decimal("0.05"), "cap_yuan": Decimal(500_000),
              "inputs": [{"name": "contract_yuan", "label": "实际支付的技术成果转让合同交易金额"}], "base": "contract_yuan",
              "examples": [{"inputs": {"contract_yuan": 1_000_000}, "amount_yuan": 50_000}]}
    mine = Rule(id="a", clause="第十条", quote="对于符合本区主导产业方向、在区内转化的技术转让额超过50万元的项目，每个项目按实际支付的"
                "技术成果转让合同交易金额给予企业5%、不超过50万元的资助", conditions=[
                    {"fact": "a_ok", "label": "符合本区主导产业方向、在区内转化的技术转让额超过50万元的项目"}], **common)
    theirs = Rule(id="b", clause="第九条", quote="高校院所通过自主研发形成的科技成果在区内转化，技术转让额超过50万元以上的，每个项目按实际"
                  "支付的技术成果转让合同交易金额给予企业5%、每项不超过50万元的资助", conditions=[
                      {"fact": "b_ok", "label": "高校院所通过自主研发形成的科技成果在区内转化，技术转让额超过50万元以上的"}], **common)
    asked = "我们通过受让一项科技成果在区内转化，方向符合区里主导产业，技术成果转让合同付了300万，资助多少"
    assert names_its_subject(mine, [mine, theirs], asked)
    assert not names_its_subject(theirs, [mine, theirs], asked)


def test_a_value_ties_to_a_threshold_by_the_noun_said_after_it():
    from assistant.stated_thresholds import stated_values
    words = [w for w, _ in stated_values("贷款买了一套600万的大型设备，利息付了45万", "元")]
    assert "大型设备" in words[0] and "大型设备" not in words[1]


def test_a_drafted_label_is_filled_by_the_noun_after_the_amount_and_by_cost_words():
    from assistant.label_match import fit
    assert fit("融资总额", "一共放了融资") is not None
    assert fit("实际发生费用", "实际花了") is not None
    assert fit("购房价", "花了") is not None
    assert fit("融资总额", "贷款利息") is None
