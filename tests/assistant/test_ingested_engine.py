"""The offline engine over real ingested policies of ../shared/corpus-extra (seven of them, real
embedder and Chroma index): questions written here in our own words about behaviours that only
show on documents nobody wrote the engine for."""
from __future__ import annotations

from pathlib import Path

import pytest

from assistant.service import PolicyService
from ingest.store import add_policies, read_manifest
from settings import load_settings

EXTRA = Path(__file__).resolve().parents[3] / "shared" / "corpus-extra"
SOURCES = EXTRA / "SOURCES.tsv"
pytestmark = pytest.mark.skipif(not SOURCES.is_file(), reason=f"{SOURCES} is absent")
FILES = ("002_ganjingzi_financial_leasing", "014_dalian_eco_tech_city", "024_liuhe_key_industries_2023",
         "025_liuhe_key_industries", "013_dalian_foreign_investment", "027_guowuyuan_financing_guarantee_smallbiz")


@pytest.fixture(scope="module")
def service(tmp_path_factory) -> PolicyService:
    data = tmp_path_factory.mktemp("ingested")
    items = [i for i in read_manifest(SOURCES) if Path(i.path).stem in FILES]
    add_policies(data, items, progress=False)
    svc = PolicyService(load_settings(data))
    svc.warm_up()
    return svc


def _ask(service, text: str):
    return service.answer([{"role": "user", "content": text}])


def test_the_later_policy_is_cited_before_the_one_it_repeals(service):
    answer = _ask(service, "柳河县的医药企业新建了600亩GAP中药材种植基地，县里按什么标准奖励？")
    assert answer.citations[0].doc_id == "024_liuhe_key_industries_2023"
    assert service.kb.meta("025_liuhe_key_industries").superseded_by == "024_liuhe_key_industries_2023"
    for calc in answer.calculations:
        assert calc.amount_yuan == 600 * 200 and not calc.reviewed     # 500亩以上的200元/亩, a draft


def test_a_city_of_a_province_without_its_own_policies_does_not_get_a_countys(service):
    answer = _ask(service, "长春一家医药企业新建了600亩中药材种植基地，长春市能奖励多少？")
    assert not answer.calculations
    assert not any(c.doc_id.startswith(("024", "025")) for c in answer.citations)


def test_a_stated_value_below_a_drafted_threshold_is_ineligible(service):
    answer = _ask(service, "大连生态科技创新城先期入驻的高端科技服务业机构，实际资金到位1500万元，能拿多少资金补贴？")
    assert answer.calculations and not any(c.eligible and c.amount_yuan for c in answer.calculations)


def test_a_total_of_two_awards_is_not_answered_with_one_of_them(service):
    answer = _ask(service, "甘井子区一家融资租赁公司今年同时申报两项扶持：到位注册资本2.7亿元的奖励，"
                           "以及为区内企业提供融资总额5亿元的补贴，两项加起来一共能拿多少？")
    amounts = [c.amount_yuan for c in answer.calculations if c.eligible]
    assert amounts != [3_000_000] and amounts != [2_700_000]


def test_a_place_without_documents_draws_on_national_policies_for_what_they_address(service):
    answer = _ask(service, "我们是宜昌的一家小微企业，找政府性融资担保公司担保贷款，对方额外收了一笔咨询费，这样收费允许吗？")
    assert answer.citations and answer.citations[0].doc_id.startswith("027")
    assert "宜昌" in answer.answer and not answer.calculations


def test_a_place_without_documents_asking_its_own_government_is_refused(service):
    answer = _ask(service, "宜昌的小微企业找融资担保公司贷款，宜昌市里对担保费能补贴多少？")
    assert not answer.citations and not answer.calculations
    assert "没有收录" in answer.answer


def test_a_document_named_by_its_title_is_the_one_searched(service):
    from assistant.doc_names import DocumentNames
    names = DocumentNames({d: doc.meta.title for d, doc in service.kb.documents.items()})
    title = service.kb.meta("013_dalian_foreign_investment").title
    core = names.core(title)
    assert len(core) >= 6 and core in title.replace("“", "").replace("”", "")
    answer = _ask(service, f"按{core}的那个文件，外资企业的奖励资金怎么申请？")
    assert answer.citations and all(c.doc_id.startswith("013") for c in answer.citations)


def _figures(answer) -> list[int]:
    return [c.amount_yuan for c in answer.calculations if c.eligible and c.amount_yuan]


def test_a_list_item_under_its_heading_is_computed_from_the_amount_it_counts(service):
    answer = _ask(service, "甘井子的融资租赁企业，已经入驻了大连融资租赁服务园区，注册资本到位2.7个亿，奖励一共多少？")
    assert _figures(answer) == [1_700_000 + 1_000_000]      # 170万 + one step of 1亿 over 1.7亿


def test_the_financing_said_as_a_noun_after_the_amount_fills_the_financing_total(service):
    answer = _ask(service, "在甘井子注册的融资租赁公司，今年给区内企业提供了1.5亿的融资，能补贴多少？")
    assert _figures(answer) == [1_500_000]


def test_the_equipment_said_after_its_price_meets_the_price_threshold(service):
    met = _ask(service, "甘井子注册的融资租赁企业用商业贷款买了一套800万的大型设备做租赁业务，今年贷款利息30万，补贴多少？")
    assert _figures(met) == [60_000]
    below = _ask(service, "甘井子注册的融资租赁企业用商业贷款买了一套120万的设备做租赁业务，今年贷款利息6万，补贴多少？")
    assert not _figures(below)


def test_the_growth_of_a_contribution_is_not_another_clauses_subject(service):
    answer = _ask(service, "柳河县的生产加工型企业，年纳税600多万，地方财政贡献今年300万，去年250万，增加的部分能奖多少？")
    assert _figures(answer) == [100_000]      # (300万 − 250万) × 20%
