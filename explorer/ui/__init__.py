"""The only Streamlit code outside pages/: cached getters and shared render_* sections."""
