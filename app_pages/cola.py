"""Fine-tune a sentence classifier on CoLA live: progress, loss, MCC, confusion matrix, own sentences."""

from explorer.ui.finetune.page import render_finetune_page

render_finetune_page("cola")
