"""Connectors to public services (GUS BDL, Eurostat GISCO, GUGiK PRG) on one HTTP client with retries."""
