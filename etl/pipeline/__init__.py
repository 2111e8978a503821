"""Runs that write the store: a workspace load, and what the fetch commands bring in."""
