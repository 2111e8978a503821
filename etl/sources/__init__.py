"""File sources of a workspace: each reads a file into rows for the store, with the rows it rejected."""
