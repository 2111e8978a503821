"""Sign-in through the city's identity provider (OpenID Connect, Streamlit's ``st.login``), and who is signed in."""

from __future__ import annotations

import streamlit as st

from dashboard.i18n import t
from dashboard.state import access


def signed_in(lang: str) -> bool:
    """False when sign-in is configured and nobody is signed in: then the page asks to sign in, nothing else.
    Otherwise the sidebar says who is signed in, with which role, and offers to sign out."""
    who = access()
    if who.mode == "signed-out":
        st.title(t("app_title", lang))
        st.write(t("sign_in_why", lang))
        if st.button(t("sign_in", lang), type="primary", key="sign_in"):
            st.login()
        return False
    if who.mode == "signed-in":
        # plain text (no Markdown): the address shows and copies exactly as the provider sent it
        st.sidebar.text(t("signed_in_as", lang, who=who.who, role=t(f"role_{who.role}", lang)))
        if st.sidebar.button(t("sign_out", lang), key="sign_out"):
            st.logout()
    return True
