"""Errors of the analysis layer: each message says what is wrong and what to do about it."""

from __future__ import annotations


class IndicatorError(ValueError):
    """Base class for analysis errors a user can act on (a bad catalogue entry, rule, criterion or group)."""


class CatalogueError(IndicatorError):
    """An indicator's declaration (or a derivation) is incomplete or contradicts itself."""


class RuleError(IndicatorError):
    """A rule profile, criterion or comparison group cannot be used as given."""


class ImplausibleError(IndicatorError):
    """Numbers that cannot be right (a share above 100 %, a count above a billion), found after computing them."""
