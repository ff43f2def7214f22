"""BigBird: the block-sparse pattern, the real model's attention over it, and latency vs length."""

from explorer.ui.family import render_family_page

render_family_page("bigbird")
