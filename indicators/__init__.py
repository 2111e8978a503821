"""Indicators: the catalogue and, later, the analysis built on it."""
