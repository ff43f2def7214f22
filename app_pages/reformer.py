"""Reformer: angular LSH step by step, the real LSH map as T x T, memory, and reversible layers."""

from explorer.ui.family import render_family_page

render_family_page("reformer")
