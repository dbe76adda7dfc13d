"""Which per-unit rule of a clause a count said by category goes to (assistant/count_match.py via gather)."""
from __future__ import annotations

from decimal import Decimal

from assistant.case import Counted, Item
from assistant.inputs import gather
from assistant.lexicon import load_lexicon
from calculators.models import Rule

LEX = load_lexicon()


def _per_unit(rid: str, label: str, unit_yuan: int, unit: str = "件", quote: str = "") -> Rule:
    quote = quote or f"{label}每{unit}给予{unit_yuan}元。"
    return Rule(id=rid, doc_id="d", clause="c", quote=quote, title=label, region="某省某市", keywords=[label],
                kind="per_unit", status="draft", base="n", unit_yuan=Decimal(unit_yuan),
                conditions=[{"fact": f"{rid}_ok", "label": label}],
                inputs=[{"name": "n", "label": f"数量（{unit}）", "unit": unit}],
                examples=[{"inputs": {"n": 10}, "amount_yuan": unit_yuan * 10}])


PATENT = _per_unit("a", "获得新品种权授权的", 5000)
SOFTWARE = _per_unit("b", "获得软件著作权登记的", 800)
ABROAD = _per_unit("c", "获得境外商标注册的", 3000)
CLAUSE = [PATENT, SOFTWARE, ABROAD]


def _item(*counts: tuple[int, str]) -> Item:
    return Item(counts=[Counted(unit="件", value=Decimal(v), words=w) for v, w in counts])


def test_counts_of_one_unit_go_each_to_the_rule_naming_their_category():
    item = _item((2, "新品种权授权"), (5, "软件著作权登记"))
    assert gather(PATENT, item, LEX, siblings=CLAUSE).sets == [{"n": Decimal(2)}]
    assert gather(SOFTWARE, item, LEX, siblings=CLAUSE).sets == [{"n": Decimal(5)}]
    assert gather(ABROAD, item, LEX, siblings=CLAUSE).sets == []


def test_counts_of_one_category_said_twice_are_added():
    item = _item((2, "软件著作权登记"), (3, "软件著作权"))
    assert gather(SOFTWARE, item, LEX, siblings=CLAUSE).sets == [{"n": Decimal(5)}]


def test_a_count_fitting_two_rules_as_well_is_asked_back_not_guessed():
    before = _per_unit("x", "2020年以前获得软件著作权登记的", 800)
    after = _per_unit("y", "2020年以后获得软件著作权登记的", 1000)
    item = _item((3, "软件著作权登记"), (1, "新品种权授权"))
    got = gather(before, item, LEX, siblings=[before, after, PATENT])
    assert got.sets == [] and got.ask == ["3件软件著作权登记"]


def test_a_single_count_of_another_rules_category_is_not_taken():
    item = Item(quantities={"件": Decimal(4)}, counts=[Counted(unit="件", value=Decimal(4), words="境外商标注册")])
    assert gather(PATENT, item, LEX, siblings=CLAUSE).sets == []
    assert gather(ABROAD, item, LEX, siblings=CLAUSE).sets == [{"n": Decimal(4)}]


def test_a_subject_outside_a_region_does_not_take_what_names_that_region():
    inside = _per_unit("i", "展会举办地为欧洲地区的", 6000, unit="个")
    outside = _per_unit("o", "欧洲地区以外的", 9000, unit="个")
    item = Item(counts=[Counted(unit="个", value=Decimal(2), words="欧洲"),
                        Counted(unit="个", value=Decimal(1), words="欧洲以外")])
    assert gather(inside, item, LEX, siblings=[inside, outside]).sets == [{"n": Decimal(2)}]
    assert gather(outside, item, LEX, siblings=[inside, outside]).sets == [{"n": Decimal(1)}]


def test_people_said_in_either_unit_are_counted_for_a_rule_per_person():
    rule = _per_unit("p", "引进博士的", 20000, unit="人")
    item = Item(quantities={"名": Decimal(3)}, counts=[Counted(unit="名", value=Decimal(3), words="博士")])
    assert gather(rule, item, LEX).sets == [{"n": Decimal(3)}]


def test_a_draft_whose_quote_limits_the_count_with_an_unread_number_takes_no_count():
    rule = _per_unit("t", "购买秸秆饲料的", 200, unit="吨", quote="购买秸秆饲料的每吨给予200元，每户不超过80吨。")
    item = Item(quantities={"吨": Decimal(100)}, counts=[Counted(unit="吨", value=Decimal(100), words="秸秆饲料")])
    assert gather(rule, item, LEX).sets == []
    plain = _per_unit("u", "购买秸秆饲料的", 200, unit="吨")
    assert gather(plain, item, LEX).sets == [{"n": Decimal(100)}]
