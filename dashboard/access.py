"""Who may do what: roles from the identity provider's claims, mapped in configuration. Plain functions.

Three roles: *viewer* reads every map, comparison and planning page; *analyst* also saves comparison groups and
programme areas and sees the sources and rejected rows; *admin* also deletes or restores what others saved and reads
the audit. The mapping is a list of rules per role (``.streamlit/secrets.toml``, ``[atlas.roles]``)::

    admin   = ["anna.nowak@um.example.pl"]
    analyst = ["domain:um.example.pl", "group:planisci", "claim:department=Wydział Rozwoju"]

A rule is an e-mail address, ``domain:`` (the e-mail's domain, or Google's ``hd``), ``group:`` (in the ``groups``
or ``roles`` claim, as Entra ID and Keycloak send them) or ``claim:name=value``. A signed-in user no rule names is
a viewer. Without sign-in configured the Atlas is one person's tool on one machine (mode ``single-user``: every
right); ``ldatlas serve --public`` serves it read-only (mode ``public``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from etl.errors import AtlasError

ROLES = ("viewer", "analyst", "admin")
RIGHTS = {
    "viewer": frozenset(),
    "analyst": frozenset({"save", "sources"}),
    "admin": frozenset({"save", "sources", "delete", "audit"}),
}


class AccessDenied(AtlasError):
    """The user's role does not allow this action."""


@dataclass(frozen=True)
class Access:
    role: str  # viewer | analyst | admin ("" when signed out)
    who: str  # the e-mail (or subject) of the signed-in user; "local user" without sign-in
    mode: str  # single-user | signed-in | signed-out | public

    def can(self, right: str) -> bool:
        if self.mode == "public" or self.mode == "signed-out":
            return False
        return right in RIGHTS.get(self.role, frozenset())

    def require(self, right: str) -> None:
        if not self.can(right):
            raise AccessDenied(f"Not allowed: '{right}' needs another role than '{self.role or 'signed out'}'.")


def _values(claim: Any) -> list[str]:
    if claim is None:
        return []
    if isinstance(claim, str):
        return [claim]
    if isinstance(claim, Mapping):
        return [str(v) for v in claim.values()]
    if isinstance(claim, Sequence):
        return [str(v) for v in claim]
    return [str(claim)]


def matches(rule: str, claims: Mapping[str, Any]) -> bool:
    """Whether one configured rule names the user whose ID-token ``claims`` these are."""
    email = str(claims.get("email") or "").strip().lower()
    rule = rule.strip()
    if rule.startswith("domain:"):
        domain = rule.removeprefix("domain:").strip().lower()
        return bool(domain) and (email.endswith("@" + domain) or str(claims.get("hd") or "").lower() == domain)
    if rule.startswith("group:"):
        group = rule.removeprefix("group:").strip()
        return group in _values(claims.get("groups")) + _values(claims.get("roles"))
    if rule.startswith("claim:") and "=" in rule:
        name, value = rule.removeprefix("claim:").split("=", 1)
        return value.strip() in _values(claims.get(name.strip()))
    return bool(email) and email == rule.lower() and claims.get("email_verified", True) is not False


def role_for(claims: Mapping[str, Any], rules: Mapping[str, Sequence[str]]) -> str:
    """The highest role any rule gives the user; viewer when none does."""
    for role in reversed(ROLES):
        if any(matches(rule, claims) for rule in _values(rules.get(role))):
            return role
    return "viewer"
