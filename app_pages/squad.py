"""Fine-tune a question-answering head on SQuAD live: progress, exact match and F1, spans, own questions."""

from explorer.ui.finetune.page import render_finetune_page

render_finetune_page("squad")
