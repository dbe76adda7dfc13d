"""A profile file (YAML or JSON; docs/profile_example.yaml), an API body or the tab's form -> Profile.

Facts are ids of knowledge/facts.yaml; a title's stated level other than the one the fact needs,
or ``valid: false``, makes it false. A description (the enterprise's or a project's) is read like
a user's words. Amounts are by role (knowledge/lexicon.yaml ``roles``): 2000万, 1.2亿 or yuan.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from assistant.case import Item
from assistant.profile import (
    Profile,
    ProfileIn,
    Project,
    ProjectIn,
    amounts_of,
    fact_years,
    parse_profile_data,
)
from assistant.profile_text import ProfileReader
from errors import PolicyError

MAX_PROFILE_BYTES = 200_000
LEVEL_WORDS = {"国家级": "national", "省级": "provincial", "市级": "municipal"}


def read_profile_file(path: str | Path) -> Any:
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError:
        raise PolicyError("bad_profile", f"无法读取企业画像文件：{p}") from None
    if len(raw) > MAX_PROFILE_BYTES:
        raise PolicyError("bad_profile", f"企业画像文件过大（上限{MAX_PROFILE_BYTES // 1000}KB）")
    try:
        text = raw.decode("utf-8")
        return json.loads(text) if p.suffix.lower() == ".json" else yaml.safe_load(text)
    except (UnicodeDecodeError, json.JSONDecodeError, yaml.YAMLError) as exc:
        raise PolicyError("bad_profile", f"企业画像文件格式有误（应为 UTF-8 的 YAML 或 JSON）：{str(exc).splitlines()[0]}") from None


class ProfileBuilder:
    def __init__(self, reader, specs, regions, roles: set[str]):
        self.reader = ProfileReader(reader, specs)
        self.specs = specs
        self.regions = regions
        self.roles = roles

    def build(self, data: Any) -> Profile:
        p = parse_profile_data(data)
        profile = Profile(location=self._location(p.location), declaration_year=p.declaration_year)
        profile.facts.update(self._facts(p.facts, "facts"))
        for title in p.titles:
            self._known(title.fact, "titles")
            need = self.specs[title.fact].levels
            level = LEVEL_WORDS.get(title.level or "", title.level)
            profile.facts[title.fact] = title.valid and not (need and level and level not in need)
            if title.year:
                profile.years[title.fact] = title.year
        self._description(p, profile)
        for i, project in enumerate(p.projects, 1):
            profile.projects.append(self._project(project, f"projects 第{i}项"))
        return profile

    def _location(self, location: str | list[str]) -> list[str]:
        if isinstance(location, list):
            return [str(x) for x in location]
        if not location.strip():
            return []
        places = [m.place for m in self.regions.table.find(location) if m.place is not None]
        if not places:
            raise PolicyError("bad_profile", f"无法识别企业所在地：“{location}”（示例：广东省佛山市顺德区、郑州）")
        return list(max(places, key=lambda x: len(x.chain)).chain)

    def _known(self, fact: str, where: str) -> None:
        if fact not in self.specs:
            raise PolicyError("bad_profile", f"{where}：未知的事实“{fact}”（可用的事实见 knowledge/facts.yaml）")

    def _facts(self, facts: dict, where: str) -> dict:
        for name in facts:
            self._known(name, where)
        return dict(facts)

    def _description(self, p: ProfileIn, profile: Profile) -> None:
        if not p.description.strip():
            return
        described = self.reader.read(p.description)
        profile.facts.update({k: v.value for k, v in described.facts.items()})
        profile.years.update(fact_years(described.facts))
        profile.projects += described.projects
        if profile.declaration_year is None:
            profile.declaration_year = described.declaration_year

    def _project(self, project: ProjectIn, where: str) -> Project:
        facts = {k: True for k in project.kind}
        self._facts(facts, where)
        item = Item(topic=project.description or project.name)
        years: dict[str, int] = {}
        if project.description.strip():
            read = self.reader.read(project.description)
            for p in read.projects:
                facts.update(p.facts)
                years.update(p.years)
                for role, values in p.item.amounts.items():
                    item.amounts.setdefault(role, []).extend(values)
        facts.update(self._facts(project.facts, where))
        item.amounts.update(amounts_of(project.amounts, self.roles, where))
        if project.upper_subsidy is not None:
            item.amounts["upper_subsidy"] = amounts_of({"upper_subsidy": project.upper_subsidy}, self.roles, where)["upper_subsidy"]
        if project.stage:
            item.stage = project.stage
        if not facts and item.empty:
            raise PolicyError("bad_profile", f"{where}：项目需写明类别（kind）、事实（facts）、金额或描述")
        return Project(name=project.name or project.description[:24] or where, facts=facts, item=item,
                       text=project.description, years=years)

