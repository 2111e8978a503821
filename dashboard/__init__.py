"""The Streamlit dashboard: thin pages over plain, tested functions."""
