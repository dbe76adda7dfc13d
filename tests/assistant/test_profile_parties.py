"""Whose facts a description states (assistant/parties.py) and run-on descriptions
(assistant/run_on.py): a related company's title or project is not the enterprise's; several
projects told in one unpunctuated or comma-only sentence are several."""
from __future__ import annotations

import pytest

from assistant.lexicon import load_lexicon
from assistant.parties import Parties
from tests.assistant.conftest import project_amounts as _amounts


def _facts(d) -> dict:
    out = {k: v.value for k, v in d.facts.items()}
    for p in d.projects:
        out |= p.facts
    return out


def test_a_sister_companys_title_said_with_a_pronoun_is_not_the_enterprises(reader):
    d = reader.read("驻马店一家农机企业。我们有一家兄弟公司叫华丰重工，它是国家级专精特新“小巨人”企业，还在有效期内。"
                    "我们的烘干线改造，设备和软件投资3000万元。最多能拿多少？")
    assert "xiaojuren_national" not in _facts(d)
    assert any(_amounts(p) == {"equipment_software_investment": [30000000]} for p in d.projects)


def test_a_subsidiarys_project_is_its_own_unless_the_enterprise_applies_for_it(reader):
    told = "我们是衡阳一家电缆企业。我们旗下的子公司做了一个工控安全试点示范应用项目，投资400万，{who}。能拿多少？"
    d = reader.read(told.format(who="子公司自己报"))
    assert "ics_security_pilot_project" not in _facts(d) and not d.projects
    d = reader.read(told.format(who="由我们公司统一申报"))
    assert _facts(d).get("ics_security_pilot_project") is True


def test_the_company_asked_for_is_the_applicant_and_the_groups_facts_are_not_its(reader):
    d = reader.read("替我们的全资子公司问一下：子公司的项目入选了市级工业互联网标杆示范项目，已投入500万。"
                    "集团本部首次入选了佛山市工业互联网产业生态供给资源池。子公司能拿多少？")
    facts = _facts(d)
    assert facts.get("benchmark_project") is True and "resource_pool_first_entry" not in facts


def test_a_branch_the_enterprise_set_up_applies_with_the_groups_recognitions():
    parties = Parties(load_lexicon())
    text = "我们的平台是双跨平台。2024年我们在佛山南海设立了控股子公司，子公司首次入选了资源池。母公司也在省资源池。"
    assert parties.own(text) == text
    assert parties.applicant("我们子公司能拿多少？") == {"subsidiary"}


@pytest.mark.parametrize("clause, kind", [
    ("我们控股的子公司做了一个项目", "subsidiary"), ("另外，母公司去年入选了", "parent"),
    ("2023年底我们同一个集团的另一家公司入选了", "sibling"), ("它是小巨人", "pronoun"),
    ("我们是集团的全资子公司", "self"), ("我们在长沙注册成立了全资子公司", "self"), ("信阳子公司的装配线", "subsidiary"),
    ("证书还在有效期内", None),
])
def test_the_subject_of_a_clause(clause, kind):
    assert Parties(load_lexicon()).subject(clause) == kind


def test_an_unpunctuated_run_on_is_read_as_several_projects(reader):
    d = reader.read("我们是岳阳一家化工企业我们的工业大数据应用示范项目投资五百万另外还有一个工控安全试点示范应用项目投资二百万"
                    "请问一共能拿多少")
    kinds = [set(p.facts) for p in d.projects]
    assert {"big_data_demo_project"} in kinds and {"ics_security_pilot_project"} in kinds
    assert sorted(v for p in d.projects for vs in _amounts(p).values() for v in vs) == [2000000, 5000000]


def test_a_qualifier_in_the_next_clause_of_a_long_sentence_stays_with_its_project(reader):
    d = reader.read("我们是顺德一家家电行业的服务商，佛山本地企业，去年我们作为牵头单位入选了国家级产业集群工业互联数字化转型试点，"
                    "到现在一年多，我们累计服务了20家佛山集群企业拿到了产业集群服务券，另外我们还作为成员参加了一个省级工业互联网产业"
                    "示范基地，牵头单位是别的企业，想问一共能拿多少")
    lead = next(p for p in d.projects if p.facts.get("cluster_pilot_lead"))
    assert lead.facts.get("served_15_cluster_enterprises") is True
    base = next(p for p in d.projects if p.facts.get("demo_base_selected"))
    assert base.facts.get("project_lead") is False
