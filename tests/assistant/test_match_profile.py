"""Profile files, the CLI, the HTTP routes and the Word report of policy matching."""
from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from docx import Document
from fastapi.testclient import TestClient

from assistant.match_report import report_docx
from assistant.match_service import MatchService
from assistant.regions import RegionIndex
from errors import PolicyError
from ingest.corpus import load_knowledge_base
from ingest.rules import load_rulebook
from settings import load_settings
from web.app import create_app
from web.config import WebConfig
from web.store import Store, default_url

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "docs" / "profile_example.yaml"


class MatchOnly:
    """What the match needs of the service: the knowledge base, the rules, the regions."""

    def __init__(self):
        self.kb = load_knowledge_base(None)
        self.rulebook = load_rulebook()
        self.regions = RegionIndex({d.meta.region: d.meta.parent_regions for d in self.kb.documents.values()})

    def documents(self):
        return [d.meta for d in self.kb.documents.values()]


@pytest.fixture(scope="module")
def service() -> MatchOnly:
    return MatchOnly()


@pytest.fixture(scope="module")
def matcher(service) -> MatchService:
    return MatchService(service.rulebook.rules, service.kb, service.regions)


def test_the_example_profile_gets_its_hand_computed_total(matcher):
    # 标杆 min(450,300,750−0)=300；服务券 65+15=80→单个企业50；示范基地 1000×30%=300；
    # 二级节点 min(240,200,400−300)=100；跨行业平台认定已失效 → 不符合。合计750万
    result = matcher.match(yaml.safe_load(EXAMPLE.read_text(encoding="utf-8")))
    assert result.total_yuan == 7_500_000
    assert {a.rule_id for a in result.by_status("selected")} == {
        "foshan_benchmark_project", "foshan_cloud_voucher", "foshan_demo_base", "foshan_identifier_node"}
    assert [a.rule_id for a in result.by_status("ineligible") if a.mentioned] == ["foshan_cross_industry_platform"]


def test_titles_at_another_level_or_expired_are_false(matcher):
    base = {"location": "南阳", "titles": [{"fact": "xiaojuren_national", "level": "省级"}],
            "projects": [{"name": "改造", "amounts": {"equipment_software_investment": "2000万"}}]}
    assert matcher.match(base).total_yuan == 0
    base["titles"] = [{"fact": "xiaojuren_national", "level": "国家级", "valid": True}]
    assert matcher.match(base).total_yuan == 5_000_000
    base["titles"][0]["valid"] = False
    assert matcher.match(base).total_yuan == 0


def test_a_project_described_in_words(matcher):
    data = {"location": "长沙", "projects": [{"name": "工控安全", "description": "工控安全试点示范应用项目，项目投资300万元"}]}
    assert matcher.match(data).total_yuan == 600_000


@pytest.mark.parametrize("data, words", [
    ([1, 2], "应为对象"),
    ({"location": "火星"}, "无法识别企业所在地"),
    ({"location": "郑州", "facts": {"flying": True}}, "未知的事实"),
    ({"location": "郑州", "projects": [{"name": "x", "amounts": {"weight": "3吨"}}]}, "未知的金额类别"),
    ({"location": "郑州", "projects": [{"name": "x", "amounts": {"project_investment": "很多"}}]}, "金额有误"),
    ({"location": "郑州", "projects": [{"name": "x"}]}, "项目需写明"),
    ({"location": "郑州", "declaration_year": 1800}, "申报年度"),
    ({"location": "郑州", "color": "red"}, "企业画像有误"),
])
def test_bad_profiles_are_refused_in_chinese(matcher, data, words):
    with pytest.raises(PolicyError, match=words):
        matcher.match(data)


def test_the_report_holds_the_profile_awards_total_date_and_validity(matcher):
    result = matcher.match(yaml.safe_load(EXAMPLE.read_text(encoding="utf-8")))
    doc = Document(io.BytesIO(report_docx(result)))
    text = "\n".join(p.text for p in doc.paragraphs)
    cells = "\n".join(c.text for t in doc.tables for row in t.rows for c in row.cells)
    assert "750万元" in text and "生成日期" in text and "广东省 佛山市 顺德区" in text
    assert "工业互联网标杆示范项目奖补" in cells and "二、第2段" in cells and "原文未规定有效期" in cells


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "app.py", *args], cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_cli_match_json_and_report(tmp_path):
    out = tmp_path / "r.docx"
    run = _cli("match", str(EXAMPLE), "--json", "--report", str(out))
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["total_yuan"] == 7_500_000 and out.stat().st_size > 1000


def test_cli_bad_profile_is_exit_2(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"location": "火星"}', encoding="utf-8")
    run = _cli("match", str(bad), "--json")
    assert run.returncode == 2 and "无法识别企业所在地" in json.loads(run.stdout)["error"]["message"]
    broken = tmp_path / "broken.yaml"
    broken.write_text("location: [", encoding="utf-8")
    assert _cli("match", str(broken)).returncode == 2
    assert _cli("match", str(tmp_path / "none.yaml")).returncode == 2


def test_http_match_report_and_errors(tmp_path, service):
    config = WebConfig(api_keys=[], cors_origins=[], wechat_token=None)
    app = create_app(load_settings(tmp_path), service, config=config, store=Store(default_url(tmp_path / "db")), ui=False)
    with TestClient(app) as client:
        body = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
        resp = client.post("/api/match", json=body)
        assert resp.status_code == 200 and resp.json()["total_yuan"] == 7_500_000
        report = client.post("/api/match/report", json=body)
        assert report.status_code == 200 and report.headers["content-type"].startswith("application/vnd.openxml")
        assert "750万元" in "\n".join(p.text for p in Document(io.BytesIO(report.content)).paragraphs)
        bad = client.post("/api/match", json={"location": "火星"})
        assert bad.status_code == 400 and "无法识别" in bad.json()["error"]["message"]
        assert client.post("/api/match", json=[1]).status_code == 400


def test_a_profile_file_gives_title_years_and_stages(matcher):
    data = {"location": "郑州", "declaration_year": 2024, "facts": {"touyan": False},
            "titles": [{"fact": "xiaojuren_national", "level": "国家级", "year": 2019}],
            "projects": [{"name": "数字化车间", "amounts": {"equipment_software_investment": "1200万"},
                          "facts": {"provincial_fund_supported": False}},
                         {"name": "细分行业平台", "kind": ["platform_provincial_recognized"], "stage": "first_paid"}]}
    result = matcher.match(data)
    flagged = next(a for a in result.awards if a.rule_id == "henan2022_xiaojuren_equipment")
    assert flagged.status == "missing_facts" and "2019年认定" in flagged.reason
    # one project a year: the 500万 platform award, its first 40% already paid, the rest after acceptance
    assert (result.total_yuan, result.paid_yuan, result.payable_later_yuan) == (5_000_000, 2_000_000, 3_000_000)
    with pytest.raises(PolicyError, match="titles"):
        matcher.match({**data, "titles": [{"fact": "xiaojuren_national", "year": 1800}]})


def test_a_regional_centre_needs_the_platform_to_be_a_famous_cross_industry_one(matcher):
    # 3500万 × 10% = 350万 only when the platform is 著名的跨行业、跨区域 one
    project = {"name": "区域中心", "description": "在株洲建湖南区域中心，区域中心建设项目投资3500万元"}
    plain = {"location": "株洲", "projects": [project]}
    result = matcher.match(plain)
    assert result.total_yuan == 0
    assert "hunan_platform_second_hq" in {a.rule_id for a in result.by_status("missing_facts")}
    famous = {**plain, "facts": {"famous_cross_platform": True}}
    assert matcher.match(famous).total_yuan == 3_500_000
    assert matcher.match({**plain, "facts": {"famous_cross_platform": False}}).total_yuan == 0
