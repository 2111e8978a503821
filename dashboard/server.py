"""How ``ldatlas serve`` starts Streamlit: the pages' libraries are imported first, then Streamlit's own command line
takes over in the same process.

Streamlit runs the pages in its server process, so whatever is imported here is already loaded when the first
visitor arrives; otherwise that visitor waits for it (mapclassify alone pulls in SciPy and scikit-learn: about 2 s
of imports on a 2-core machine before the first map can be computed). Only modules without Streamlit caches are
imported here: ``st.cache_data`` functions must be created inside the running server.
"""

from __future__ import annotations

import gc
import sys


def preload() -> None:
    """Import the libraries the pages use and let Plotly load its trace validators (done on first use)."""
    import openpyxl  # noqa: F401  (XLSX exports)
    import plotly.graph_objects as go

    import dashboard.exports  # noqa: F401
    import dashboard.figures  # noqa: F401
    import dashboard.queries  # noqa: F401
    import dashboard.view_state  # noqa: F401
    import etl.store  # noqa: F401
    import indicators.classify  # noqa: F401
    import indicators.composite  # noqa: F401
    import indicators.hotspots  # noqa: F401
    import indicators.profile  # noqa: F401
    import indicators.revitalisation  # noqa: F401
    import indicators.rules  # noqa: F401

    go.Figure(
        [
            go.Choropleth(locations=[], z=[]),
            go.Choroplethmap(locations=[], z=[]),
            go.Scattergeo(),
            go.Scattermap(),
            go.Scatter(),
            go.Bar(),
        ]
    )


def main() -> None:
    """``python -m dashboard.server run APP [streamlit options]``: preload, then Streamlit's CLI."""
    preload()
    from streamlit.web import cli

    # Streamlit runs a full garbage collection after every rerun (``runner.postScriptGC``); the libraries imported
    # above are moved out of its way (they live as long as the server): walking their objects each time was a third
    # of the script thread's CPU over year changes at 100,000 units — spent after the rerun is reported done, so it
    # held Python's lock against the next rerun and other visitors rather than delaying the change itself
    gc.collect()
    gc.freeze()
    sys.exit(cli.main(prog_name="streamlit"))


if __name__ == "__main__":
    main()
