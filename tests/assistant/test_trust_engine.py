"""Drafted figures over two policies written here (ingested with the real embedder and index):
a rival clause of another document with the qualifier the question names, an exclusion sentence a
stated fact defeats, a duration threshold the stated duration misses, one phase of a trial asked
with another's Roman numeral."""
from __future__ import annotations

import pytest

from assistant.service import PolicyService
from ingest.store import IngestItem, add_policies
from settings import load_settings

_OUTSIDE = """关于支持企业承接京津技术成果的若干措施
一、企业承接京津技术成果。本省企业以受让方式承接京津高校科技成果，单项合同额在30万元以上的，按合同实际成交额的8%给予补助，每项最高80万元。
二、揭榜攻关。通过验收的揭榜攻关牵头单位，按其研发投入的15%给予奖补，最高不超过150万元。对已获得省级科技计划立项的项目，不再重复支持。
三、基金投资。各类股权投资基金投资本省科技型企业的金额达到2000万元、投资期限满三年（含）以上的，按实际投资额的1%给予一次性奖励，最高不超过500万元。
"""
_RESIDENT = """支持驻冀院所成果就地转化的措施
一、对驻冀院所以转让方式向省内企业转移科技成果的，按技术合同额的4%给予奖励。同时，按技术合同额的3%给予科技成果承接方奖励。奖励资金最高40万元。
二、对进入Ⅰ期、Ⅱ期临床试验研究的新药，分别给予100万元、200万元奖励。
"""


@pytest.fixture(scope="module")
def service(tmp_path_factory) -> PolicyService:
    src, data = tmp_path_factory.mktemp("texts"), tmp_path_factory.mktemp("data")
    items = []
    for name, text in (("outside_results", _OUTSIDE), ("resident_results", _RESIDENT)):
        (src / f"{name}.txt").write_text(text, encoding="utf-8")
        items.append(IngestItem(src / f"{name}.txt", {"region": "河北省", "title": text.splitlines()[0], "year": "2023"}))
    add_policies(data, items, progress=False)
    svc = PolicyService(load_settings(data))
    svc.warm_up()
    return svc


def _amounts(service, text: str) -> list[int]:
    answer = service.answer([{"role": "user", "content": text}])
    return [c.amount_yuan for c in answer.calculations if c.eligible and c.amount_yuan]


def test_the_qualifier_the_question_names_is_not_paid_by_the_other_documents_award(service):
    amounts = _amounts(service, "我们公司以受让方式承接了驻冀院所的一项科技成果，合同额300万元，能有多少补助")
    assert 240_000 not in amounts           # 8% of the 京津 award


def test_an_excluded_case_stated_gets_no_figure_and_unstated_is_a_condition(service):
    asked = "我们作为揭榜攻关牵头单位通过了验收，研发投入800万元，{}能拿多少奖补"
    assert _amounts(service, asked.format("这个项目已经获得省级科技计划立项了，")) == []
    answer = service.answer([{"role": "user", "content": asked.format("")}])
    for calc in answer.calculations:
        assert calc.amount_yuan != 1_200_000 or any("不再重复支持" in c for c in calc.conditions)


def test_a_duration_short_of_the_threshold_gets_no_figure(service):
    asked = "我们的股权投资基金投资本省科技型企业3000万元，投资期限{}，能拿多少一次性奖励"
    assert 300_000 not in _amounts(service, asked.format("到现在刚满两年"))
    assert 300_000 not in _amounts(service, asked.format("才二十个月"))


def test_one_phase_is_not_paid_for_another(service):
    assert 1_000_000 not in _amounts(service, "我们的新药进入II期临床试验研究了，能拿多少奖励")
    assert 2_000_000 not in _amounts(service, "我们的新药进入Ⅰ期临床试验研究了，能拿多少奖励")
