"""Applicants a document excludes as a whole (assistant/excluded.py), on notes written here."""
import re

from assistant.excluded import excluded_kind
from ingest.draft_text import load_lexicon as draft_lexicon

EXCLUSION = re.compile(draft_lexicon().document_exclusion)
NEGATIONS = ["不是", "并非", "非", "没有", "不属于"]
NOTE = "本文件另规定：娱乐业、批发型企业均不享受本办法全部条款（九、第1段）"


def rule(notes):
    return notes


def test_an_enterprise_of_an_excluded_kind_is_found():
    found = excluded_kind(rule([NOTE]), "我们是一家批发型企业，今年新认定了", EXCLUSION, NEGATIONS)
    assert found and found[0] == "批发型企业" and found[1] == NOTE


def test_a_kind_said_in_a_denial_or_a_list_of_denials_excludes_nothing():
    assert excluded_kind(rule([NOTE]), "我们是制造企业（不是娱乐业、批发型企业）", EXCLUSION, NEGATIONS) is None
    assert excluded_kind(rule([NOTE]), "我们并非批发型企业", EXCLUSION, NEGATIONS) is None


def test_without_the_documents_exclusion_note_nothing_is_excluded():
    assert excluded_kind(rule(["另有规定：按年度预算执行"]), "我们是一家批发型企业", EXCLUSION, NEGATIONS) is None
