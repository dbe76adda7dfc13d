"""The admin tab: absent without ADMIN_TOKEN, every action refused without the right token; accept
and reject write the pack, record the review and make the service serve the new rules."""
from __future__ import annotations

import yaml

from assistant.service import PolicyService
from ingest.store import IngestItem, add_policies
from settings import load_settings
from web.store import Store, default_url
from web.ui_admin import REFUSED, AdminHandlers, changed_fields

POLICY = ("某市扶持办法\n第一条 对新认定的智能工厂，给予一次性奖励100万元。\n"
          "第二条 对技术改造项目，按照设备投资的10%给予补助，最高不超过200万元。\n")
TOKEN = "admin-s3cret"


def _labels(config: dict) -> set[str]:
    return {c.get("props", {}).get("label") for c in config["components"]} - {None}


def test_the_tab_exists_only_with_an_admin_token(make_client):
    without = make_client(ui=True).get("/config").json()
    assert "规则复核" not in _labels(without) and "管理口令" not in _labels(without)
    with_token = make_client(ui=True, admin_token=TOKEN).get("/config").json()
    assert {"规则复核", "管理口令", "待复核的草稿"} <= _labels(with_token)
    assert TOKEN not in str(with_token)                               # the token never reaches the page


def _admin(tmp_path):
    policy = tmp_path / "p.txt"
    policy.write_text(POLICY, encoding="utf-8")
    data = tmp_path / "data"
    add_policies(data, [IngestItem(policy, {"region": "某省某市"})], progress=False)
    service = PolicyService(load_settings(data))
    return AdminHandlers(service, Store(default_url(data)), TOKEN), service, data


def _choice(update: dict, clause: str) -> str:
    return next(value for label, value in update["choices"] if f" {clause}｜" in label)


def test_wrong_token_is_refused_and_changes_nothing(tmp_path):
    admin, service, data = _admin(tmp_path)
    status, choices, coverage = admin.enter("wrong")
    assert status == REFUSED and choices["choices"] == [] and coverage == ""
    rule_id = _choice(admin.enter(TOKEN)[1], "第一条")
    assert admin.show("", rule_id)[0] == REFUSED
    before = (data / "packs" / "p" / "rules.yaml").read_bytes()
    assert admin.reject("wrong", "张三", rule_id, "", "")[0] == REFUSED
    assert admin.accept(None, "张三", rule_id, "", "")[0] == REFUSED
    assert admin.reload("nope") == REFUSED
    assert (data / "packs" / "p" / "rules.yaml").read_bytes() == before and admin.store.list_reviews() == []


def test_accept_with_an_edit_and_reject_then_the_service_serves_them(tmp_path):
    admin, service, data = _admin(tmp_path)
    status, choices, coverage = admin.enter(TOKEN)
    assert "2 条草稿" in status and "1/1" not in coverage and "某市扶持办法" in coverage
    rate_id, fixed_id = _choice(choices, "第二条"), _choice(choices, "第一条")
    _, clause, text = admin.show(TOKEN, rate_id)
    assert "<mark>第二条 对技术改造项目，按照设备投资的10%给予补助，最高不超过200万元。</mark>" in clause
    record = yaml.safe_load(text)
    assert {r.status for r in service.rulebook.for_document("p")} == {"draft"}     # served, labelled drafts
    record["title"] = "技术改造设备投资补助"
    status, update, *_ , coverage = admin.accept(TOKEN, "张三", rate_id, yaml.safe_dump(record, allow_unicode=True), "")
    assert status.startswith("已接受") and [v for _, v in update["choices"]] == [fixed_id]
    served = service.rulebook.get(rate_id)                                # reloaded
    assert served.title == "技术改造设备投资补助" and served.status == "reviewed"
    assert "（reviewed）" in coverage
    status, update, *_ = admin.reject(TOKEN, "李四", fixed_id, "", "重复")
    assert status.startswith("已驳回") and update["choices"] == []
    saved = yaml.safe_load((data / "packs" / "p" / "rules.yaml").read_text(encoding="utf-8"))
    assert [(r["id"], r["status"]) for r in saved] == [(rate_id, "reviewed")]
    assert [(r["decision"], r["reviewer"]) for r in admin.store.list_reviews()] == [("rejected", "李四"), ("accepted", "张三")]
    assert [r.id for r in service.rulebook.for_document("p")] == [rate_id]


def test_an_edit_that_fails_verification_is_shown_and_nothing_is_written(tmp_path):
    admin, service, data = _admin(tmp_path)
    rate_id = _choice(admin.enter(TOKEN)[1], "第二条")
    record = yaml.safe_load(admin.show(TOKEN, rate_id)[2])
    record["cap_yuan"] = 5000000
    before = (data / "packs" / "p" / "rules.yaml").read_bytes()
    status, *_ = admin.accept(TOKEN, "张三", rate_id, yaml.safe_dump(record, allow_unicode=True), "")
    assert "复核未通过" in status and "不在引文中" in status
    assert admin.accept(TOKEN, "张三", rate_id, "cap_yuan: [unclosed", "")[0].startswith("修改后的规则不是有效的 YAML")
    assert admin.accept(TOKEN, "", rate_id, "", "")[0] == "请填写复核人并选择一条草稿。"
    assert (data / "packs" / "p" / "rules.yaml").read_bytes() == before


def test_changed_fields_are_the_top_level_differences():
    assert changed_fields({"a": 1, "b": [1], "c": 3}, {"a": 1, "b": [2]}) == {"b": [2], "c": None}
