"""The presenter's tour: the chapter's figures in order, each opened live at its page and tab."""

from explorer.ui.tour import render_tour_page

render_tour_page()
