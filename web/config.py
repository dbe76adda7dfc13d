"""Settings of the web layer only (API keys, limits, CORS, WeChat, database), read from the environment."""
from __future__ import annotations

from typing import Annotated

from pydantic import BeforeValidator, Field
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


def _split(value: object) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return [str(part).strip() for part in value if str(part).strip()]  # type: ignore[union-attr]


CommaList = Annotated[list[str], NoDecode, BeforeValidator(_split)]


class WebConfig(BaseSettings):
    """Every field can be set by the environment variable named in its alias."""

    model_config = SettingsConfigDict(env_file=None, extra="ignore", populate_by_name=True)

    api_keys: CommaList = Field(default_factory=list, validation_alias="API_KEYS", repr=False)
    rate_limit: str = Field(default="60/minute", validation_alias="RATE_LIMIT")
    auth_failure_limit: str = Field(default="10/minute", validation_alias="AUTH_FAILURE_LIMIT")
    ui_rate_limit: str = Field(default="60/minute", validation_alias="UI_RATE_LIMIT")
    ui_auth: CommaList = Field(default_factory=list, validation_alias="UI_AUTH", repr=False)
    ui_uploads: bool = Field(default=False, validation_alias="UI_UPLOADS")
    wechat_aes_key: str | None = Field(default=None, validation_alias="WECHAT_AES_KEY", repr=False)
    wechat_app_id: str | None = Field(default=None, validation_alias="WECHAT_APP_ID")
    wechat_max_skew_s: int = Field(default=300, validation_alias="WECHAT_MAX_SKEW_S")
    rate_limit_storage: str = Field(default="memory://", validation_alias="RATE_LIMIT_STORAGE")
    max_body_bytes: int = Field(default=64 * 1024, validation_alias="MAX_BODY_BYTES")
    max_ui_body_bytes: int = Field(default=2 * 1024 * 1024, validation_alias="MAX_UI_BODY_BYTES")
    ui_concurrency: int = Field(default=8, validation_alias="UI_CONCURRENCY")
    cors_origins: CommaList = Field(default_factory=list, validation_alias="CORS_ORIGINS")
    wechat_token: str | None = Field(default=None, validation_alias="WECHAT_TOKEN", repr=False)
    wechat_max_chars: int = Field(default=600, validation_alias="WECHAT_MAX_CHARS")
    wechat_deadline_s: float = Field(default=4.0, validation_alias="WECHAT_DEADLINE_S")
    public_url: str = Field(default="http://127.0.0.1:7860/", validation_alias="PUBLIC_URL")
    database_url: str | None = Field(default=None, validation_alias="DATABASE_URL", repr=False)
    # the admin tab (规则复核 + coverage) exists only when set; every admin action checks it
    admin_token: str | None = Field(default=None, validation_alias="ADMIN_TOKEN", repr=False)

    @property
    def auth_enabled(self) -> bool:
        return bool(self.api_keys)

    @property
    def ui_logins(self) -> list[tuple[str, str]]:
        """UI_AUTH=user:password,user2:password2 as (user, password) pairs."""
        pairs = [entry.split(":", 1) for entry in self.ui_auth]
        if any(len(p) != 2 or not p[0] or not p[1] for p in pairs):
            raise ValueError("UI_AUTH 应写作 用户名:密码，多个用逗号分隔")
        return [(u, p) for u, p in pairs]
