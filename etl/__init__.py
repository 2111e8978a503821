"""ETL of the Local Development Atlas: the store, the workspace file and the loaders."""
