"""Who is calling: anonymous, or a role granted by an API key or a JWT.

Roles are ordered, each including the ones below it: reader ⊂ editor ⊂ admin. Anonymous callers
may read everything except personal data; mutations need editor.

- API keys are configured as sha256 hex digests (`CHANJIAO_API_KEYS`), never as keys; a key is
  sent as `X-API-Key: <key>` or `Authorization: Bearer <key>` and compared in constant time.
- JWTs (`Authorization: Bearer <jwt>`, when `CHANJIAO_JWT_ENABLED`) are verified with the fixed
  algorithm list of the settings (never `none`), must carry `exp`, `sub` and the configured
  audience and issuer, and name the role in the configured claim.

Credentials that do not check out are refused (401) rather than treated as anonymous, so a client
learns that its key is wrong or its token expired instead of silently losing its rights.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import jwt
from strawberry import Info
from strawberry.permission import BasePermission

from chanjiao.settings import ConfigurationError, Settings, jwt_secret_problem

JWT_REQUIRED_CLAIMS = ("exp", "sub", "aud", "iss")
CALLER_STATE = "caller"  # where the middleware leaves the caller in the ASGI scope's state


class Role(StrEnum):
    READER = "reader"
    EDITOR = "editor"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        return list(Role).index(self)


@dataclass(frozen=True)
class Caller:
    """`role` None is an anonymous caller; `subject` names the caller in provenance and rate
    limits (`key:<name>`, `jwt:<sub>`), never a secret."""

    role: Role | None
    subject: str

    def has(self, role: Role) -> bool:
        """Whether this caller holds `role` or a higher one."""
        return self.role is not None and self.role.rank >= role.rank

    @property
    def anonymous(self) -> bool:
        return self.role is None


ANONYMOUS = Caller(None, "anonymous")


class AuthenticationError(Exception):
    """Credentials were sent but do not check out; the message says why, without secrets."""


class Authenticator:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        problem = settings.jwt_enabled and jwt_secret_problem(settings.jwt_secret.get_secret_value(), settings.jwt_algorithms)
        if problem:  # settings built without validation (model_construct, model_copy) get here
            raise ConfigurationError(problem)
        self._grants = [(digest.encode("ascii"), grant) for digest, grant in settings.api_keys.items()]

    def authenticate(self, headers: Mapping[str, str]) -> Caller:
        """The caller these request headers (lower-case names) identify."""
        api_key = headers.get("x-api-key")
        bearer = _bearer_token(headers.get("authorization"))
        if api_key is not None and bearer is not None:
            raise AuthenticationError("send one credential: X-API-Key or Authorization, not both")
        if bearer is not None and _looks_like_jwt(bearer):
            return self._jwt_caller(bearer)
        credential = api_key if api_key is not None else bearer
        return ANONYMOUS if credential is None else self._key_caller(credential)

    def _key_caller(self, key: str) -> Caller:
        digest = hashlib.sha256(key.strip().encode()).hexdigest().encode("ascii")
        found = None
        for known, grant in self._grants:  # every digest is compared, so timing says nothing
            if hmac.compare_digest(digest, known):
                found = (known, grant)
        if found is None:
            raise AuthenticationError("unknown API key")
        known, grant = found
        return Caller(Role(grant.role), f"key:{grant.name or known.decode()[:12]}")

    def _jwt_caller(self, token: str) -> Caller:
        settings = self.settings
        if not settings.jwt_enabled:
            raise AuthenticationError("JWTs are not accepted by this server (CHANJIAO_JWT_ENABLED is off)")
        try:
            claims = jwt.decode(
                token, settings.jwt_secret.get_secret_value(), algorithms=settings.jwt_algorithms,
                audience=settings.jwt_audience, issuer=settings.jwt_issuer, leeway=settings.jwt_leeway_seconds,
                options={"require": list(JWT_REQUIRED_CLAIMS)},
            )
        except jwt.PyJWTError as error:
            raise AuthenticationError(f"invalid JWT: {error}") from None
        return Caller(self._role_claim(claims), f"jwt:{claims['sub']}")

    def _role_claim(self, claims: Mapping[str, Any]) -> Role:
        """The highest known role the claim names (a string or a list of strings)."""
        name = self.settings.jwt_role_claim
        value = claims.get(name)
        names = value if isinstance(value, list) else [value]
        roles = [Role(item) for item in names if isinstance(item, str) and item in set(Role)]
        if not roles:
            raise AuthenticationError(f"invalid JWT: claim {name!r} must name one of {', '.join(Role)}")
        return max(roles, key=lambda role: role.rank)


def _bearer_token(header: str | None) -> str | None:
    if header is None:
        return None
    scheme, _, token = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthenticationError("the Authorization header must be 'Bearer <API key or JWT>'")
    return token.strip()


def _looks_like_jwt(token: str) -> bool:
    return token.count(".") == 2


# ---- the caller inside GraphQL -----------------------------------------------------------------


def request_caller(state: Any) -> Caller:
    """The caller the middleware authenticated (anonymous when it did not run)."""
    caller = getattr(state, CALLER_STATE, None)
    return caller if isinstance(caller, Caller) else ANONYMOUS


def context_caller(context: Any) -> Caller:
    """The caller of the GraphQL request whose context this is (anonymous when it names none)."""
    caller = getattr(context, "caller", None)
    return caller if isinstance(caller, Caller) else ANONYMOUS


def caller_of(info: Info) -> Caller:
    """The caller of the GraphQL request `info` belongs to."""
    return context_caller(info.context)


def may_see_personal_data(caller: Caller) -> bool:
    """Personal data (mentors' e-mail and phone), and any argument that filters or sorts by it,
    is for editors and admins only."""
    return caller.has(Role.EDITOR)


class EditorsOnly(BasePermission):
    """Mutations: editor or admin."""

    message = "this operation needs the editor role: send an editor's API key (X-API-Key) or JWT (Authorization: Bearer)"
    error_extensions = {"code": "FORBIDDEN"}  # noqa: RUF012 (Strawberry reads it as a class attribute)

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        return caller_of(info).has(Role.EDITOR)
