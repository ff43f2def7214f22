"""The nine GLUE tasks: what each tests, its size and metric; the runnable ones wired to the engine."""

from explorer.ui.finetune.page import render_finetune_page

render_finetune_page("glue")
