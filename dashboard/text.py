"""Text from files (unit, area, indicator and workspace names, residents' titles) shown where Streamlit reads
Markdown — titles, captions, messages — as the text it is: every Markdown, emoji-shortcode and LaTeX sign escaped,
so a name cannot become a link, an image that the browser fetches, an icon or a formula. Plain functions."""

from __future__ import annotations

import re

#: ASCII punctuation CommonMark lets a backslash escape, plus what Streamlit adds: ``:emoji:`` and ``$LaTeX$``.
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~:$&\"'=^%@/])")


def md(text: object) -> str:
    """``text`` escaped for ``st.markdown``/``st.caption``/``st.title``/messages: it shows exactly as written."""
    if text is None:
        return ""
    flat = re.sub(r"[\r\n\t\v\f]+", " ", str(text))  # a newline in a name must not start a Markdown block
    # Markdown turns bare addresses into links (http://…, www.…, a@b.c): an invisible word joiner breaks them
    flat = re.sub(r"(?i)(https?|ftp|mailto)(:)", "\\1\u2060\\2", flat)
    flat = re.sub(r"(?i)\b(www)(\.)", "\\1\u2060\\2", flat).replace("@", "\u2060@")
    return _MARKDOWN.sub(r"\\\1", flat)


def unescaped(text: str) -> str:
    """What :func:`md` escaped, as the reader sees it (for tests and logs)."""
    return re.sub(r"\\(.)", r"\1", text).replace("\u2060", "")
