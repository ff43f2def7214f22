"""DistilBERT: the distillation objective, teacher and student sizes, a live mini-distillation."""

from explorer.ui.family import render_family_page

render_family_page("distilbert")
