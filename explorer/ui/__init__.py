"""The only Streamlit code outside app_pages/: cached getters and shared render_* sections.

The pages live in app_pages/, not pages/: a folder named pages/ switches Streamlit's older multipage
mode on, which runs a deep link such as /tokenization without app.py (no sidebar, no language).
"""
