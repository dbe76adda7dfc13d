"""The offline engine over two policies written here and ingested (real drafter, embedder, index):
an office guide that states its award in one section and its conditions in another, and a policy
that pays leased and bought premises by different sentences."""
from __future__ import annotations

import pytest

from assistant.service import PolicyService
from ingest.store import add_policies, read_manifest
from settings import load_settings

_GUIDE = """关于申报本年度规上企业迁入奖励的办事指南
一、 政策依据
《顺德区促进企业发展扶持办法》第三条。
二、 申报条件
1.申报单位工商注册地、税务征管关系及统计关系在佛山市顺德区范围内，具有独立法人资格。
2.申报单位工商注册地址由佛山市以外地区直接变更至顺德区，且迁入时间在本年度内。
3.申报单位上年度营业收入不超过3亿元。
三、 奖励标准
对符合条件的申报单位，一次性给予30万元迁入奖励。
四、 申请材料
1.迁入奖励申请表（原件）。
"""

_PREMISES = """顺德区促进研发机构发展扶持办法
第一条 为支持研发机构在我区发展，制定本办法。
第二条 研发机构在区内租用科研场地的，按每平方米每月最高30元给予租金补贴，时间最长不超过3年。
第三条 研发机构在区内新建成或购置自用科研用房的，按每平方米600元的标准给予一次性补贴，补贴金额不超过800万元。
"""


@pytest.fixture(scope="module")
def service(tmp_path_factory) -> PolicyService:
    src = tmp_path_factory.mktemp("src")
    (src / "guide.txt").write_text(_GUIDE, encoding="utf-8")
    (src / "premises.txt").write_text(_PREMISES, encoding="utf-8")
    (src / "SOURCES.tsv").write_text("file\ttitle\tregion\tyear\n"
                                     "guide.txt\t关于申报本年度规上企业迁入奖励的办事指南\t广东省佛山市顺德区\t2024\n"
                                     "premises.txt\t顺德区促进研发机构发展扶持办法\t广东省佛山市顺德区\t2024\n",
                                     encoding="utf-8")
    data = tmp_path_factory.mktemp("data")
    add_policies(data, read_manifest(src / "SOURCES.tsv"), progress=False)
    svc = PolicyService(load_settings(data))
    svc.warm_up()
    return svc


def _ask(service, text: str):
    return service.answer([{"role": "user", "content": text}])


def _figures(answer) -> list[int]:
    return [c.amount_yuan for c in answer.calculations if c.eligible and c.amount_yuan]


def test_the_award_is_given_with_the_deferred_conditions_listed(service):
    answer = _ask(service, "顺德区规上企业迁入奖励能拿多少？")
    assert _figures(answer) == [300_000]
    conditions = answer.calculations[0].conditions
    assert any("由佛山市以外地区直接变更至顺德区" in c and "二、2" in c for c in conditions)
    assert any(c.clause == "二、3" for c in answer.citations)


def test_a_move_from_inside_the_excluded_area_gets_no_figure(service):
    answer = _ask(service, "我们公司今年从佛山南海区迁到顺德区，规上企业迁入奖励能拿多少？")
    assert _figures(answer) == []


@pytest.mark.xfail(strict=True, reason="beside the built-in 佛山 policy, another document's clause is a rival "
                                       "and the draft is quoted rather than judged ineligible with its reason")
def test_a_move_from_inside_the_excluded_area_is_ineligible_with_the_condition_quoted(service):
    answer = _ask(service, "我们公司今年从佛山南海区迁到顺德区，规上企业迁入奖励能拿多少？")
    assert any(not c.eligible and "佛山市以外地区" in (c.reason or "") for c in answer.calculations)


def test_a_revenue_above_the_deferred_ceiling_gets_no_figure(service):
    answer = _ask(service, "我们去年营收4.2亿，从东莞迁来顺德区，规上企业迁入奖励能拿多少？")
    assert _figures(answer) == []


def test_leased_premises_are_not_paid_by_the_bought_premises_sentence(service):
    answer = _ask(service, "顺德的研发机构，在区内租了2000平方米科研场地，能补贴多少？")
    assert 2000 * 600 not in _figures(answer)
    bought = _ask(service, "顺德的研发机构，在区内购置了2000平方米自用科研用房，能补贴多少？")
    assert _figures(bought) == [2000 * 600]
