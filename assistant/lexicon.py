"""The understanding stage's vocabulary, loaded from data and validated (``knowledge/lexicon.yaml``;
the facts rules depend on: ``knowledge/facts.yaml`` for facts several policies share, each policy
pack's ``facts.yaml`` for its own, ingest/packs.py).

A broken file is refused with a Chinese error naming the entry; nothing here holds words of its own.
"""
from __future__ import annotations

import re
from functools import cache, cached_property
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from errors import PolicyError

KNOWLEDGE = Path(__file__).resolve().parent.parent / "knowledge"
LEXICON_FILE = KNOWLEDGE / "lexicon.yaml"
FACTS_FILE = KNOWLEDGE / "facts.yaml"
LEVELS = ("national", "provincial", "municipal")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _compile(patterns: list[str]) -> list[re.Pattern]:
    try:
        return [re.compile(p, re.IGNORECASE) for p in patterns]
    except re.error as exc:
        raise ValueError(f"bad regular expression: {exc}") from None


class Cue(_Model):
    """Phrases (substrings) and patterns (regular expressions) that signal one thing."""

    phrases: list[str] = Field(default_factory=list)
    patterns: list[str] = Field(default_factory=list)

    @field_validator("patterns")
    @classmethod
    def _valid(cls, value: list[str]) -> list[str]:
        _compile(value)
        return value

    @cached_property
    def _regex(self) -> re.Pattern | None:
        parts = [re.escape(p) for p in sorted(self.phrases, key=len, reverse=True)] + list(self.patterns)
        return re.compile("|".join(f"(?:{p})" for p in parts), re.IGNORECASE) if parts else None

    def search(self, text: str) -> re.Match | None:
        return self._regex.search(text) if self._regex else None

    def finditer(self, text: str):
        return self._regex.finditer(text) if self._regex else iter(())


class Role(_Model):
    """What an amount is (设备软件投资, 合同金额 …) and how users name it."""

    label: str
    phrases: list[str] = Field(min_length=1)
    patterns: list[str] = Field(default_factory=list)
    family: str | None = None
    generic: bool = False          # fills any input of its family ("投资了300万")
    part_of: str | None = None     # never filled from this whole (设备软件 ⊂ 总投资)
    accepts: list[str] = Field(default_factory=list)   # other roles that fill it (建设金额 ← 总投资)
    # one component of that role: an item's amounts of its components add up to it
    # (设备投资4800万 + 软件投资1400万 = 设备、软件投资6200万)
    sums_into: str | None = None
    # each amount of it is about one party other than the enterprise (a provider): a limit that
    # subtracts it binds each party's items on their own, not the enterprise's sum
    per_party: bool = False

    @cached_property
    def cue(self) -> Cue:
        return Cue(phrases=self.phrases, patterns=self.patterns)


class Bounds(_Model):
    below: list[str]
    describes_a_class: list[str]
    negative: list[str]
    back_reference: list[str] = Field(default_factory=list)
    list_separators: str
    each: list[str]
    per_each: Cue
    counted_items: Cue
    # words between a counted verb and its number ("累计服务了正好15家")
    count_qualifiers: list[str] = Field(default_factory=list)
    # "累计服务了16家，其中3家是东莞的企业，不是佛山集群企业": counted items said not to be of the kind
    # counted, after the count in its sentence (the number is the group named n)
    count_excluded: Cue = Field(default_factory=Cue)
    # a line opened by a labelled item ("项目A：…；类别：…", "事项D：…"): one listed point each
    item_labels: list[str] = Field(default_factory=list)


class Validity(_Model):
    expired: list[str]
    valid: list[str]
    pending: list[str] = Field(default_factory=list)
    # a recognition taken away ("资格已被取消", "被摘牌"): defeats any fact said just before it,
    # not only those whose rules need the title valid (``expires``)
    revoked: list[str] = Field(default_factory=list)
    revoked_reach: int = Field(default=24, gt=0, le=100)
    # applied for and refused, said after the title (no other title between): "申报了，但没有获批"
    refused: list[str] = Field(default_factory=list)
    # still being worked on, said in the title's own clause after it ("贯标认定正在做，还没通过")
    in_progress: list[str] = Field(default_factory=list)


class Years(_Model):
    patterns: list[str]
    per_year: list[str]
    declaration: list[str] = Field(default_factory=list)    # the declaration year (申报年度), group 1
    recognized: str = r"(?<!\d)(20\d{2})\s*年"             # a year said of a recognition, group 1

    @field_validator("declaration")
    @classmethod
    def _valid(cls, value: list[str]) -> list[str]:
        _compile(value)
        return value


class RunOn(_Model):
    """A run-on paragraph (assistant/run_on.py): a sentence longer than ``long_sentence`` characters
    is read clause by clause; a stretch of ``unpunctuated`` characters or more without punctuation
    gets a clause break before each of ``clause_starts`` (at least ``min_clause`` characters apart)."""

    long_sentence: int = Field(default=90, gt=10, le=1000)
    unpunctuated: int = Field(default=40, gt=5, le=1000)
    min_clause: int = Field(default=4, ge=1, le=20)
    clause_starts: list[str] = Field(default_factory=list)


class Parties(_Model):
    """Who a clause is about (assistant/parties.py): the enterprise's own words, related companies'
    by kind, pronouns pointing back at one, and the cues of the applicant."""

    self_words: list[str] = Field(alias="self", default_factory=list)
    related: dict[str, list[str]] = Field(default_factory=dict)
    branch_applicants: list[str] = Field(default_factory=lambda: ["self"])
    pronouns: list[str] = Field(default_factory=list)
    lead: str = "^$"
    prefix: int = Field(default=4, ge=0, le=12)
    reach: int = Field(default=10, ge=0, le=30)
    predicates: list[str] = Field(default_factory=list)
    asked_for: Cue = Field(default_factory=Cue)
    ours: Cue = Field(default_factory=Cue)

    @field_validator("lead")
    @classmethod
    def _lead(cls, value: str) -> str:
        _compile([value])
        return value

    @model_validator(mode="after")
    def _asked(self) -> Parties:
        if "self" in self.related:
            raise ValueError("parties.related: 'self' is the enterprise's own kind, not a related one")
        unknown = set(self.branch_applicants) - {"self", *self.related}
        if unknown:
            raise ValueError(f"parties.branch_applicants: unknown kinds {sorted(unknown)}")
        for pattern in self.asked_for.patterns:
            if "(?P<party>" not in pattern:
                raise ValueError(f"parties.asked_for: pattern without a group named party: {pattern}")
        return self


class Lexicon(_Model):
    negations: list[str] = Field(min_length=1)
    far_negations: list[str] = Field(default_factory=list)
    after_negation: Cue = Field(default_factory=Cue)    # "…贯标认定还没通过": denies the title before it
    # said after a title in its sentence: the listing is another party's, not the applicant's
    # ("名单上只有母公司，我们这家子公司本身不在名单里")
    not_ours: Cue = Field(default_factory=Cue)
    # said in the sentence of something the enterprise must own or run (a platform, FactSpec
    # ``owned``): it is another party's, the enterprise only uses it ("平台不是我们的，我们只是用户")
    not_owned: Cue = Field(default_factory=Cue)
    cues: dict[str, Cue]
    bounds: Bounds
    levels: dict[str, list[str]]
    validity: Validity
    stages: dict[str, list[str]]
    years: Years
    roles: dict[str, Role]
    percent_roles: dict[str, Role]
    amount_window: int = Field(gt=0, le=60)
    run_on: RunOn = Field(default_factory=RunOn)
    parties: Parties = Field(default_factory=Parties)

    @model_validator(mode="after")
    def _references(self) -> Lexicon:
        for name, role in self.roles.items():
            for other in [role.part_of, role.sums_into, *role.accepts]:
                if other and other not in self.roles:
                    raise ValueError(f"role {name!r} refers to unknown role {other!r}")
        unknown = set(self.levels) - set(LEVELS)
        if unknown:
            raise ValueError(f"unknown levels {sorted(unknown)}; allowed: {LEVELS}")
        needed = {"injection", "not_policy", "greeting", "validity", "compare", "match", "asks_amount",
                  "asks_count", "asks_money", "asks_get", "asks_kinds", "asks_support", "follow_up",
                  "correction", "addition", "first_stage", "national_scope", "domain", "home",
                  "subject_after_place", "denied_after_place", "other_party_before", "branch_place", "no_upper_subsidy", "negated_level", "items_are_enterprises", "part_break", "new_case", "sum_items", "asked_award",
                  "new_item", "asks_local"}
        missing = needed - set(self.cues)
        if missing:
            raise ValueError(f"cues missing: {sorted(missing)}")
        return self

    def cue(self, name: str) -> Cue:
        return self.cues[name]

    @cached_property
    def level_cue(self) -> dict[str, Cue]:
        return {level: Cue(phrases=words) for level, words in self.levels.items()}


class FactSpec(_Model):
    """How users state one fact a rule depends on (knowledge/facts.yaml)."""

    label: str | None = None
    phrases: list[str] = Field(default_factory=list)
    patterns: list[str] = Field(default_factory=list)    # regular expressions with the effect of phrases
    negative: list[str] = Field(default_factory=list)
    negative_patterns: list[str] = Field(default_factory=list)
    values: dict[str, list[str]] = Field(default_factory=dict)
    # enterprise: a fact about the enterprise itself (小巨人, 头雁, 本地企业), wherever it is said;
    # otherwise a fact said of one project is that project's (policy matching, assistant/profile.py);
    # qualifier: a project's fact that says how, not what, it is (牵头单位): it alone does not tie
    # a rule to the project
    scope: Literal["enterprise", "project", "qualifier"] = "project"
    level: str | None = None        # the recognition level the rules need; another stated level defeats it
    also_levels: list[str] = Field(default_factory=list)    # further levels they accept (国家或省级)
    expires: bool = False           # a stated expiry ("资格已过期", "培育期已结束") defeats it
    # years a recognition stays valid from the year it was granted: a declaration year past
    # that is flagged in policy matching (assistant/match_stages.py)
    valid_years: int | None = Field(default=None, gt=0, le=20)
    local: bool = False             # "the enterprise is in the policy's region"
    # the fact says something is (built, set up) in this region ("在湖南建区域中心"): a place named
    # in the title's clause that lies outside it denies the fact ("在武汉建了华中区域中心")
    in_region: str | None = None
    # the enterprise must own or run it (a platform): said to be another's, used only, it is false
    owned: bool = False
    counted: str | None = None
    at_least: int = 1

    @field_validator("negative_patterns", "patterns")
    @classmethod
    def _valid(cls, value: list[str]) -> list[str]:
        _compile(value)
        return value

    @field_validator("level")
    @classmethod
    def _level(cls, value: str | None) -> str | None:
        if value is not None and value not in LEVELS:
            raise ValueError(f"level must be one of {LEVELS}")
        return value

    @field_validator("in_region")
    @classmethod
    def _in_region(cls, value: str | None) -> str | None:
        from assistant.places import RegionTable
        if value is not None and RegionTable.load().place(value) is None:
            raise ValueError(f"in_region: unknown region {value}")
        return value

    @field_validator("also_levels")
    @classmethod
    def _also_levels(cls, value: list[str]) -> list[str]:
        if set(value) - set(LEVELS):
            raise ValueError(f"also_levels must be among {LEVELS}")
        return value

    @property
    def levels(self) -> set[str]:
        """The levels the rules accept: none (any level) or ``level`` and ``also_levels``."""
        return {self.level, *self.also_levels} if self.level else set()

    def level_denied(self, denied: set[str] | list[str]) -> bool:
        """"没进工信部的名单": every level the rules accept is denied."""
        return bool(self.levels) and self.levels <= set(denied)

    @model_validator(mode="after")
    def _stated_somehow(self) -> FactSpec:
        if not (self.phrases or self.patterns or self.negative or self.negative_patterns or self.values):
            raise ValueError("a fact needs phrases, negative wording or values")
        return self

    @cached_property
    def phrase_cue(self) -> Cue:
        return Cue(phrases=self.phrases, patterns=self.patterns)

    @cached_property
    def negative_cue(self) -> Cue:
        return Cue(phrases=self.negative, patterns=self.negative_patterns)


def _load_yaml(path: Path) -> dict:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise PolicyError("bad_lexicon", f"无法读取词表文件 {path.name}：{exc}") from None
    if not isinstance(data, dict):
        raise PolicyError("bad_lexicon", f"词表文件 {path.name} 应为映射（键: 值）")
    return data


def _explain(path: Path, exc: ValidationError) -> PolicyError:
    first = exc.errors()[0]
    where = ".".join(str(p) for p in first["loc"])
    return PolicyError("bad_lexicon", f"词表文件 {path.name} 有误（{where}）：{first['msg']}")


def parse_lexicon(data: dict, path: Path = LEXICON_FILE) -> Lexicon:
    try:
        return Lexicon.model_validate(data)
    except ValidationError as exc:
        raise _explain(path, exc) from None


def parse_facts(data: dict, path: Path = FACTS_FILE) -> dict[str, FactSpec]:
    out = {}
    for fact, spec in data.items():
        if not re.fullmatch(r"[a-z][a-z0-9_]*", str(fact)):
            raise PolicyError("bad_lexicon", f"词表文件 {path.name}：事实名“{fact}”应为小写字母、数字和下划线")
        try:
            out[fact] = FactSpec.model_validate(spec or {})
        except ValidationError as exc:
            first = exc.errors()[0]
            raise PolicyError("bad_lexicon", f"词表文件 {path.name} 中事实“{fact}”有误：{first['msg']}") from None
    return out


@cache
def load_lexicon(path: Path = LEXICON_FILE) -> Lexicon:
    return parse_lexicon(_load_yaml(path), path)


@cache
def load_shared_facts(path: Path = FACTS_FILE) -> dict[str, FactSpec]:
    """The facts of knowledge/facts.yaml (shared by several policies)."""
    return parse_facts(_load_yaml(path), path)


def load_facts(path: Path = FACTS_FILE, data_dir: Path | str | None = None) -> dict[str, FactSpec]:
    """Every declared fact: the shared ones and those of the built-in packs (and of the packs of
    `data_dir` when given). With another `path`, only that file's facts."""
    if Path(path) != FACTS_FILE:
        return load_shared_facts(path)
    from ingest.packs import load_packs

    facts = dict(load_shared_facts())
    for pack in load_packs(data_dir).values():
        facts.update(pack.facts)
    return facts
