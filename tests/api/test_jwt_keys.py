"""JWT keys over real HTTP: enabling JWT needs the operator's own secret in every environment (a
token signed with the published development secret never gets in), and the public-key families
(RS256, EdDSA) verify real tokens end to end with the `cryptography` package the project declares."""

from __future__ import annotations

from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa
from pydantic import ValidationError

from api.auth import Authenticator
from chanjiao.settings import DEVELOPMENT_JWT_SECRET, ConfigurationError, Settings
from graph.store import GraphStore
from tests.api.secured import bearer, errors, serve, settings, token

UPSERT_DISTRICT = """mutation { upsertDistrict(input: {code: "310101", name: "黄浦区"}) { node { code source } } }"""
COUNT_DISTRICTS = "{ districts { totalCount } }"
PrivateKey = rsa.RSAPrivateKey | ed25519.Ed25519PrivateKey


def private_pem(key: PrivateKey) -> str:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode()


def public_pem(key: PrivateKey) -> str:
    return key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


# ---- enabling JWT needs a secret ------------------------------------------------------------------


@pytest.mark.parametrize("environment", ["development", "test", "production"])
def test_jwt_without_a_secret_is_refused_in_every_environment(environment: str) -> None:
    with pytest.raises(ValidationError, match="CHANJIAO_JWT_ENABLED needs CHANJIAO_JWT_SECRET: it is empty"):
        Settings.model_validate({"CHANJIAO_ENV": environment, "CHANJIAO_JWT_ENABLED": True})
    with pytest.raises(ValidationError, match="it is the published development secret") as caught:
        Settings.model_validate({"CHANJIAO_ENV": environment, "CHANJIAO_JWT_ENABLED": True, "CHANJIAO_JWT_SECRET": DEVELOPMENT_JWT_SECRET})
    assert DEVELOPMENT_JWT_SECRET not in str(caught.value)  # the message never quotes a secret
    assert Settings.model_validate({"CHANJIAO_ENV": environment}).jwt_enabled is False  # no JWT, no secret needed


@pytest.mark.parametrize(("overrides", "message"), [
    ({"CHANJIAO_JWT_SECRET": "short-but-not-empty"}, "an HS\\* secret needs at least 32 bytes"),
    ({"CHANJIAO_JWT_ALGORITHMS": "RS256", "CHANJIAO_JWT_SECRET": "x" * 64}, "not a PEM public key usable with RS256"),
    ({"CHANJIAO_JWT_ALGORITHMS": "RS256", "CHANJIAO_JWT_SECRET": private_pem(rsa_key())}, "a private key; configure only the issuer's public key"),
    ({"CHANJIAO_JWT_ALGORITHMS": "EdDSA", "CHANJIAO_JWT_SECRET": public_pem(rsa_key())}, "not a PEM public key usable with EdDSA"),
], ids=["short HS256 secret in development", "RS256 with an HMAC secret", "RS256 with a private key", "EdDSA with an RSA key"])
def test_unusable_jwt_keys_are_refused_at_startup(overrides: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        settings("embedded:/nonexistent", CHANJIAO_ENV="development", **overrides)


def test_the_cli_names_the_problem_without_a_traceback(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from chanjiao import cli
    from chanjiao.settings import get_settings

    monkeypatch.setenv("CHANJIAO_JWT_ENABLED", "true")
    monkeypatch.delenv("CHANJIAO_JWT_SECRET", raising=False)
    monkeypatch.setattr("sys.argv", ["chanjiao", "serve", "--port", "1"])
    get_settings.cache_clear()
    try:
        with pytest.raises(SystemExit) as exited:
            cli.main()
    finally:
        get_settings.cache_clear()
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("error: invalid settings: CHANJIAO_JWT_ENABLED needs CHANJIAO_JWT_SECRET: it is empty") and "Traceback" not in err


def test_settings_that_skipped_validation_still_cannot_serve_jwt() -> None:
    unchecked = Settings.model_construct(jwt_enabled=True)  # nothing validated: the secret is empty
    with pytest.raises(ConfigurationError, match="it is empty"):
        Authenticator(unchecked)


def test_a_token_forged_with_the_development_secret_writes_nothing(loaded_store: GraphStore, store_uri: str) -> None:
    forged = token("admin", subject="attacker", secret=DEVELOPMENT_JWT_SECRET)
    with serve(loaded_store, store_uri) as api:
        response = api.post(UPSERT_DISTRICT, **bearer(forged))
        assert response.status_code == 401 and "Signature verification failed" in errors(response)[0]["message"]
        assert api.query(COUNT_DISTRICTS) == {"districts": {"totalCount": 3}}


# ---- public-key algorithms, end to end ----------------------------------------------------------------


@pytest.mark.parametrize(("algorithm", "new_key"), [
    ("RS256", rsa_key),
    ("EdDSA", ed25519.Ed25519PrivateKey.generate),
], ids=["RS256", "EdDSA"])
def test_public_key_tokens_work_over_http(loaded_store: GraphStore, store_uri: str, algorithm: str, new_key: Any) -> None:
    issuer_key, stranger_key = new_key(), new_key()
    keys = {"CHANJIAO_JWT_ALGORITHMS": algorithm, "CHANJIAO_JWT_SECRET": public_pem(issuer_key)}
    with serve(loaded_store, store_uri, **keys) as api:
        signed = token("editor", subject="carol", algorithm=algorithm, secret=private_pem(issuer_key))
        response = api.post(UPSERT_DISTRICT, **bearer(signed))
        assert response.status_code == 200, response.text
        assert response.json() == {"data": {"upsertDistrict": {"node": {"code": "310101", "source": "api:jwt:carol"}}}}
        forged = token("editor", algorithm=algorithm, secret=private_pem(stranger_key))
        refused = api.post(UPSERT_DISTRICT, **bearer(forged))
        assert refused.status_code == 401 and "Signature verification failed" in errors(refused)[0]["message"]
        other_family = api.post(UPSERT_DISTRICT, **bearer(token("editor", algorithm="HS256", secret="s" * 32)))
        assert other_family.status_code == 401 and "alg value is not allowed" in errors(other_family)[0]["message"]
