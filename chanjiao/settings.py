"""All configuration in one place, read once from the environment (prefix-free names as
documented in the README) or a `.env` file."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

import jwt
from pydantic import BaseModel, Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_DATA_DIR = Path.home() / ".local" / "share" / "chanjiao"
# The explorer and GraphiQL, built from web/ by `make web` (npm ci, vite build) and served by the API
DEFAULT_WEB_DIR = Path(__file__).resolve().parents[1] / "web" / "dist"
# Browser apps on another origin that may call the API: in development any port on this machine
DEVELOPMENT_CORS_ORIGINS = ("http://localhost:*", "http://127.0.0.1:*", "http://[::1]:*")
CORS_ORIGIN = re.compile(r"^https?://([a-z0-9.-]+|\[[0-9a-f:]+\])(:(\d{1,5}|\*))?$")
# The secret earlier versions fell back on: it is published, so anyone could sign with it. It is no
# longer a default, and it is refused as a secret in every environment.
DEVELOPMENT_JWT_SECRET = "chanjiao-development-only-jwt-secret-do-not-deploy"
MIN_HMAC_SECRET_BYTES = 32
HMAC_ALGORITHMS = frozenset({"HS256", "HS384", "HS512"})
PUBLIC_KEY_ALGORITHMS = frozenset({"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"})
SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")
RoleName = Literal["reader", "editor", "admin"]


class ApiKeyGrant(BaseModel):
    """What one API key grants: a role, and a name that provenance records (`api:<name>`)."""

    role: RoleName
    name: str | None = Field(None, pattern=r"^[\w.\-]{1,64}$")


class Settings(BaseSettings):
    # Inputs hold secrets (passwords, JWT secrets): errors name the field and rule, never the value.
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", hide_input_in_errors=True)

    environment: str = Field("development", alias="CHANJIAO_ENV")
    store: str = Field(f"embedded:{DEFAULT_DATA_DIR}", alias="CHANJIAO_STORE")
    neo4j_user: str = Field("neo4j", alias="NEO4J_USER")
    neo4j_password: SecretStr = Field(SecretStr(""), alias="NEO4J_PASSWORD")
    neo4j_database: str | None = Field(None, alias="NEO4J_DATABASE")
    batch_size: int = Field(5000, alias="CHANJIAO_BATCH_SIZE", ge=1)

    # API auth: anonymous callers read; keys and JWTs grant reader < editor < admin
    api_keys: dict[str, ApiKeyGrant] = Field(default_factory=dict, alias="CHANJIAO_API_KEYS")
    jwt_enabled: bool = Field(False, alias="CHANJIAO_JWT_ENABLED")
    jwt_secret: SecretStr = Field(SecretStr(""), alias="CHANJIAO_JWT_SECRET")  # required when JWT is enabled
    jwt_algorithms: Annotated[list[str], NoDecode] = Field(["HS256"], alias="CHANJIAO_JWT_ALGORITHMS")
    jwt_audience: str = Field("chanjiao-graph", alias="CHANJIAO_JWT_AUDIENCE", min_length=1)
    jwt_issuer: str = Field("chanjiao", alias="CHANJIAO_JWT_ISSUER", min_length=1)
    jwt_role_claim: str = Field("role", alias="CHANJIAO_JWT_ROLE_CLAIM", min_length=1)
    jwt_leeway_seconds: int = Field(30, alias="CHANJIAO_JWT_LEEWAY", ge=0)

    # API guardrails
    max_depth: int = Field(12, alias="CHANJIAO_MAX_DEPTH", ge=1)
    max_aliases: int = Field(30, alias="CHANJIAO_MAX_ALIASES", ge=0)
    max_tokens: int = Field(2000, alias="CHANJIAO_MAX_TOKENS", ge=1)
    max_page_size: int = Field(100, alias="CHANJIAO_MAX_PAGE_SIZE", ge=1)
    # partnerNetwork's `first` is a node budget, not a page: the explorer draws networks of 500
    max_network_nodes: int = Field(500, alias="CHANJIAO_MAX_NETWORK_NODES", ge=1)
    max_cost: int = Field(20000, alias="CHANJIAO_MAX_COST", ge=1)
    max_body_bytes: int = Field(65536, alias="CHANJIAO_MAX_BODY_BYTES", ge=1)
    rate_limit_per_minute: float = Field(600, alias="CHANJIAO_RATE_LIMIT", ge=0)
    rate_limit_burst: int = Field(60, alias="CHANJIAO_RATE_BURST", ge=1)
    introspection: bool = Field(True, alias="CHANJIAO_INTROSPECTION")
    # Cross-origin browser callers: origins as `scheme://host[:port]` (`:*` for any port, `*` for
    # any origin); unset means the development origins in development and none elsewhere
    cors_origins: Annotated[list[str] | None, NoDecode] = Field(None, alias="CHANJIAO_CORS_ORIGINS")
    web_dir: Path = Field(DEFAULT_WEB_DIR, alias="CHANJIAO_WEB_DIR")
    # Expensive fields (analyses, networks, paths, gaps, matches): how many one operation may run,
    # on how many dedicated worker threads, and how long each may take
    max_expensive_fields: int = Field(5, alias="CHANJIAO_MAX_EXPENSIVE_FIELDS", ge=0)
    expensive_workers: int = Field(1, alias="CHANJIAO_EXPENSIVE_WORKERS", ge=1)
    expensive_timeout_seconds: float = Field(30.0, alias="CHANJIAO_EXPENSIVE_TIMEOUT", gt=0)
    # Analyses and exports: nodes + relationships a projected subgraph may hold
    export_max_elements: int = Field(500_000, alias="CHANJIAO_EXPORT_MAX_ELEMENTS", ge=1)
    analysis_max_elements: int = Field(2_000_000, alias="CHANJIAO_ANALYSIS_MAX_ELEMENTS", ge=1)

    @field_validator("api_keys", mode="before")
    @classmethod
    def _api_key_grants(cls, value: Any) -> Any:
        """`{"<sha256 hex of the key>": "editor"}` or `{"<hex>": {"role": "editor", "name": "xuhui"}}`."""
        grants = json.loads(value) if isinstance(value, str) else value
        if not isinstance(grants, dict):
            raise ValueError("CHANJIAO_API_KEYS must be a JSON object mapping sha256 hex digests of keys to roles")
        for digest in grants:
            if not SHA256_HEX.match(str(digest)):
                raise ValueError("CHANJIAO_API_KEYS: every name must be the lowercase sha256 hex digest of a key (64 characters); store hashes, never keys")
        return {digest: {"role": grant} if isinstance(grant, str) else grant for digest, grant in grants.items()}

    @field_validator("jwt_algorithms", mode="before")
    @classmethod
    def _algorithm_list(cls, value: Any) -> Any:
        if isinstance(value, str):
            return json.loads(value) if value.strip().startswith("[") else [name.strip() for name in value.split(",") if name.strip()]
        return value

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _origin_list(cls, value: Any) -> Any:
        if isinstance(value, str):
            return json.loads(value) if value.strip().startswith("[") else [origin.strip() for origin in value.split(",") if origin.strip()]
        return value

    @field_validator("cors_origins")
    @classmethod
    def _plain_origins(cls, origins: list[str] | None) -> list[str] | None:
        bad = [origin for origin in origins or () if origin != "*" and not CORS_ORIGIN.match(origin)]
        if bad:
            raise ValueError(
                f"CHANJIAO_CORS_ORIGINS: {', '.join(bad)} is not an origin; write scheme://host[:port] in lower case, "
                "without a path or trailing slash (`:*` for any port, `*` alone for any origin)"
            )
        return origins

    @field_validator("jwt_algorithms")
    @classmethod
    def _fixed_algorithms(cls, names: list[str]) -> list[str]:
        unknown = [name for name in names if name not in HMAC_ALGORITHMS | PUBLIC_KEY_ALGORITHMS]
        if not names or unknown:
            raise ValueError(f"CHANJIAO_JWT_ALGORITHMS: {unknown or 'nothing'} given; use {', '.join(sorted(HMAC_ALGORITHMS | PUBLIC_KEY_ALGORITHMS))} ('none' is never accepted)")
        if set(names) & HMAC_ALGORITHMS and set(names) & PUBLIC_KEY_ALGORITHMS:
            raise ValueError("CHANJIAO_JWT_ALGORITHMS mixes HMAC (HS*) and public-key algorithms; one key cannot serve both safely")
        return names

    @model_validator(mode="after")
    def _jwt_secret_when_enabled(self) -> Settings:
        """Enabling JWT needs the operator's own secret (or public key) in every environment: an
        empty, published or short HMAC secret would let anyone sign tokens."""
        if self.jwt_enabled:
            problem = jwt_secret_problem(self.jwt_secret.get_secret_value(), self.jwt_algorithms)
            if problem:
                raise ValueError(problem)
        return self

    @property
    def is_development(self) -> bool:
        return self.environment == "development"

    @property
    def allowed_cors_origins(self) -> list[str]:
        """The origins given, or by default the development origins in development and none elsewhere."""
        if self.cors_origins is not None:
            return self.cors_origins
        return list(DEVELOPMENT_CORS_ORIGINS) if self.is_development else []


def jwt_secret_problem(secret: str, algorithms: list[str]) -> str | None:
    """Why `secret` cannot verify tokens of `algorithms`, or None. Never quotes the secret."""
    problem = _secret_problem(secret, algorithms)
    return f"CHANJIAO_JWT_ENABLED needs CHANJIAO_JWT_SECRET: {problem}" if problem else None


def _secret_problem(secret: str, algorithms: list[str]) -> str | None:
    own = "set CHANJIAO_JWT_SECRET to your own secret"
    if not secret.strip():
        return f"it is empty; {own} (at least {MIN_HMAC_SECRET_BYTES} random bytes for HS*, or the issuer's PEM public key)"
    if secret == DEVELOPMENT_JWT_SECRET:
        return f"it is the published development secret, with which anyone can sign tokens; {own}"
    if set(algorithms) & HMAC_ALGORITHMS:
        if len(secret.encode()) < MIN_HMAC_SECRET_BYTES:
            return f"an HS* secret needs at least {MIN_HMAC_SECRET_BYTES} bytes; {own}"
        return None
    return _public_key_problem(secret, algorithms)


def _public_key_problem(key: str, algorithms: list[str]) -> str | None:
    """Whether the key loads for each public-key algorithm (needs the `cryptography` package)."""
    for name in algorithms:
        try:
            loaded = jwt.get_algorithm_by_name(name).prepare_key(key)
        except NotImplementedError:
            return f"{name} needs the 'cryptography' package, which is not installed"
        except (jwt.InvalidKeyError, ValueError, TypeError):
            return f"it is not a PEM public key usable with {name}"
        if hasattr(loaded, "public_key"):  # only private keys can give their public key
            return "it is a private key; configure only the issuer's public key"
    return None


class ConfigurationError(Exception):
    """The environment's settings are unusable; the message names each variable and why."""


@lru_cache
def get_settings() -> Settings:
    try:
        return Settings()  # type: ignore[call-arg]  # pydantic fills every field from the environment
    except ValidationError as error:
        raise ConfigurationError(settings_errors(error)) from None


def settings_errors(error: ValidationError) -> str:
    """One line per problem, without pydantic's decoration (and never the values)."""
    lines = []
    for problem in error.errors(include_url=False, include_input=False):
        where = ".".join(str(part) for part in problem["loc"])
        message = problem["msg"].removeprefix("Value error, ")
        lines.append(message if message.startswith(where) else f"{where}: {message}")
    return "invalid settings: " + "; ".join(lines)
