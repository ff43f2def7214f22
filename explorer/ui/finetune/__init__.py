"""The fine-tune pages (CoLA, SQuAD, GLUE): settings, a run in its own process, results."""
