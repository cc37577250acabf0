"""All configuration in one place, read once from the environment (prefix-free names as
documented in the README) or a `.env` file."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATA_DIR = Path.home() / ".local" / "share" / "chanjiao"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    environment: str = Field("development", alias="CHANJIAO_ENV")
    store: str = Field(f"embedded:{DEFAULT_DATA_DIR}", alias="CHANJIAO_STORE")
    neo4j_user: str = Field("neo4j", alias="NEO4J_USER")
    neo4j_password: SecretStr = Field(SecretStr(""), alias="NEO4J_PASSWORD")
    neo4j_database: str | None = Field(None, alias="NEO4J_DATABASE")
    batch_size: int = Field(5000, alias="CHANJIAO_BATCH_SIZE", ge=1)

    @property
    def is_development(self) -> bool:
        return self.environment == "development"


@lru_cache
def get_settings() -> Settings:
    return Settings()
