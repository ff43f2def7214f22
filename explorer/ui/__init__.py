"""The only Streamlit code outside pages/: cached getters and shared render_* sections."""


def _leave_multipage_v1() -> None:
    """Hand a page that Streamlit ran on its own back to app.py.

    While a pages/ folder exists, Streamlit runs pages/<name>.py directly (its old multipage mode)
    for a deep link such as /tokenization, until some script has called st.navigation. Then app.py
    (sidebar, language, navigation) never runs. Switching the mode off and rerunning once fixes it.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        import streamlit as st

        PagesManager.uses_pages_directory = False
        st.rerun()


_leave_multipage_v1()
