"""ELECTRA: replaced token detection step by step, the learning signal of MLM vs RTD, a live experiment."""

from explorer.ui.family import render_family_page

render_family_page("electra")
