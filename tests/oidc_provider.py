"""A small OpenID Connect provider on 127.0.0.1 for the sign-in tests: discovery, an authorisation page with one
button per test user, the token endpoint (authorisation code, client secret), JWKS and userinfo. ID tokens are
RS256 JWTs signed with joserfc (the library Authlib itself uses). ``mode`` makes it misbehave on purpose:
``"expired"`` issues tokens that expired an hour ago, ``"forged"`` signs them with a key it does not publish.
"""

from __future__ import annotations

import html
import json
import secrets
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from joserfc import jwt
from joserfc.jwk import RSAKey

CLIENT_ID = "atlas-test"
CLIENT_SECRET = "atlas-test-secret"
USERS: dict[str, dict[str, Any]] = {
    "viewer": {"sub": "u-viewer", "email": "widz@example.org", "name": "Wiktor Widz"},
    "analyst": {"sub": "u-analyst", "email": "jan@um.example.pl", "name": "Jan Analityk", "groups": ["planisci"]},
    "admin": {"sub": "u-admin", "email": "anna.nowak@um.example.pl", "name": "Anna Nowak"},
}


class Provider:
    def __init__(self) -> None:
        self.key = RSAKey.generate_key(2048, parameters={"kid": "atlas-test-key"})
        self.stranger = RSAKey.generate_key(2048, parameters={"kid": "atlas-test-key"})  # same kid, other key
        self.codes: dict[str, dict[str, Any]] = {}
        self.tokens: dict[str, dict[str, Any]] = {}
        self.mode = "ok"
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Provider:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def metadata(self) -> dict[str, Any]:
        return {
            "issuer": self.url,
            "authorization_endpoint": f"{self.url}/authorize",
            "token_endpoint": f"{self.url}/token",
            "userinfo_endpoint": f"{self.url}/userinfo",
            "jwks_uri": f"{self.url}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": ["openid", "email", "profile"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "claims_supported": ["sub", "email", "name", "groups"],
        }

    def id_token(self, user: str, nonce: str | None) -> str:
        now = int(time.time())
        expired = self.mode == "expired"
        claims = {
            **USERS[user],
            "iss": self.url,
            "aud": CLIENT_ID,
            "iat": now - (7200 if expired else 0),
            "exp": now - 3600 if expired else now + 3600,
            "email_verified": True,
        }
        if nonce:
            claims["nonce"] = nonce
        key = self.stranger if self.mode == "forged" else self.key
        return jwt.encode({"alg": "RS256", "kid": "atlas-test-key"}, claims, key)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:  # quiet
                return

            def _send(self, status: int, body: str | dict, content_type: str = "application/json") -> None:
                data = (json.dumps(body) if isinstance(body, dict) else body).encode()
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                self.wfile.write(data)

            def _redirect(self, location: str) -> None:
                self.send_response(302)
                self.send_header("Location", location)
                self.end_headers()

            def _form(self) -> dict[str, str]:
                length = int(self.headers.get("Content-Length") or 0)
                return dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))

            def do_GET(self) -> None:  # noqa: N802
                parsed = urllib.parse.urlparse(self.path)
                query = dict(urllib.parse.parse_qsl(parsed.query))
                if parsed.path == "/.well-known/openid-configuration":
                    self._send(200, provider.metadata())
                elif parsed.path == "/jwks":
                    self._send(200, {"keys": [provider.key.as_dict(private=False)]})
                elif parsed.path == "/authorize":
                    if query.get("client_id") != CLIENT_ID:
                        self._send(400, {"error": "unauthorized_client"})
                        return
                    hidden = "".join(
                        f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
                        for k, v in query.items()
                    )
                    buttons = "".join(
                        f'<button name="user" value="{u}">{html.escape(USERS[u]["email"])}</button>' for u in USERS
                    )
                    page = f'<html lang="en"><body><h1>Test provider</h1><form method="post">{hidden}{buttons}</form>'
                    self._send(200, page + "</body></html>", "text/html; charset=utf-8")
                elif parsed.path == "/userinfo":
                    token = (self.headers.get("Authorization") or "").removeprefix("Bearer ").strip()
                    user = provider.tokens.get(token)
                    self._send(200 if user else 401, user or {"error": "invalid_token"})
                else:
                    self._send(404, {"error": "not_found"})

            def do_POST(self) -> None:  # noqa: N802
                parsed = urllib.parse.urlparse(self.path)
                form = self._form()
                if parsed.path == "/authorize":
                    code = secrets.token_urlsafe(16)
                    provider.codes[code] = form
                    target = form["redirect_uri"]
                    params = urllib.parse.urlencode({"code": code, "state": form.get("state", "")})
                    self._redirect(f"{target}{'&' if '?' in target else '?'}{params}")
                elif parsed.path == "/token":
                    client_id, client_secret = form.get("client_id"), form.get("client_secret")
                    auth = self.headers.get("Authorization", "")
                    if auth.startswith("Basic "):
                        import base64

                        decoded = base64.b64decode(auth.removeprefix("Basic ")).decode()
                        client_id, client_secret = (urllib.parse.unquote(p) for p in decoded.split(":", 1))
                    grant = provider.codes.pop(form.get("code", ""), None)
                    if client_id != CLIENT_ID or client_secret != CLIENT_SECRET or grant is None:
                        self._send(400, {"error": "invalid_grant"})
                        return
                    access = secrets.token_urlsafe(16)
                    provider.tokens[access] = USERS[grant["user"]]
                    token = provider.id_token(grant["user"], grant.get("nonce"))
                    self._send(
                        200, {"access_token": access, "token_type": "Bearer", "expires_in": 3600, "id_token": token}
                    )
                else:
                    self._send(404, {"error": "not_found"})

        return Handler


def secrets_toml(provider_url: str, app_url: str) -> str:
    """The ``.streamlit/secrets.toml`` an office would write, pointed at this provider."""
    return f"""
[auth]
redirect_uri = "{app_url}/oauth2callback"
cookie_secret = "{secrets.token_hex(16)}"
client_id = "{CLIENT_ID}"
client_secret = "{CLIENT_SECRET}"
server_metadata_url = "{provider_url}/.well-known/openid-configuration"

[atlas.roles]
admin = ["anna.nowak@um.example.pl"]
analyst = ["group:planisci"]
"""
