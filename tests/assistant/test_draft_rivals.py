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
