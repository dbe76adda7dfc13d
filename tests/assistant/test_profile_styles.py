"""Enterprise descriptions in the styles people really write them (assistant/profile_text.py,
assistant/reading.py): a consultant's labelled table lines, a boss's run-on sentence, dates and
places said in passing."""
from __future__ import annotations

import pytest

from assistant.lexicon import load_facts, load_lexicon
from assistant.profile_text import ProfileReader
from assistant.reading import TurnReader


@pytest.fixture(scope="module")
def reader() -> ProfileReader:
    lex, specs = load_lexicon(), load_facts()
    return ProfileReader(TurnReader(lex, specs), specs)


def _amounts(project) -> dict:
    return {role: [int(v) for v in values] for role, values in project.item.amounts.items()}


def test_labelled_table_lines_are_one_project_each_with_all_their_fields(reader):
    d = reader.read("客户：湘潭某机床厂\n"
                    "项目一：车间数据平台；类别：已入选工业大数据应用示范项目；投资：0.08亿元；状态：已验收\n"
                    "项目二：数控系统APP；类别：已入选工业APP产业化示范项目；项目投资：三百万元；状态：在建\n"
                    "事项C：通过两化融合贯标认定\n"
                    "备注：以上互不重叠")
    assert len(d.projects) == 3
    first, second, third = d.projects
    assert first.facts.get("big_data_demo_project") is True and _amounts(first) == {"investment": [8_000_000]}
    assert second.facts.get("industrial_app_demo_project") is True
    assert list(_amounts(second).values()) == [[3_000_000]]
    assert third.facts.get("lianghua_guanbiao_certified") is True and not _amounts(third)


def test_a_field_named_like_a_label_inside_a_line_starts_no_project(reader):
    # "类别：" and "投资：" are fields of the line, not items: without labelled lines each
    # ；-clause stating a fact or an amount used to become a project of its own
    d = reader.read("项目A：企业级工业互联网平台；类别：入选企业级工业互联网平台示范项目；投资：900万元\n"
                    "项目B：工控安全试点示范应用项目；投资：200万元")
    assert [_amounts(p) for p in d.projects] == [{"investment": [9_000_000]}, {"investment": [2_000_000]}]


@pytest.mark.parametrize("text, role", [
    # a part word earlier in the sentence (整机 of the line's name) does not name the amount
    ("我们弄了个整机装配线的技改项目，设备加软件一共投了三千万元", "equipment_software_investment"),
    ("整机购置投了800万元", "machine_purchase_investment"),
])
def test_the_part_named_nearest_a_whole_word_names_the_amount(reader, text, role):
    amounts = reader.reader.read(text).amounts
    assert [(a.role, int(a.value)) for a in amounts][-1][0] == role
