"""The MLM-vs-RTD race: both models read the same rows at every step, each with its own masks, and a
run never touches torch's global RNG (issue #20), so a seed gives the same race whatever ran before."""

import torch

from explorer.training import mlm_data, rtd_race

CORPUS = [
    f"Line {i} says the {w} crossed the river bank near the old mill."
    for i, w in enumerate("abcdefghijklmnop")
]
CONFIG = rtd_race.RaceConfig(hidden=16, heads=2, steps=6, batch_size=4)


def _originals(model, seen: list) -> None:
    """Record the uncorrupted rows each forward reads: labels where chosen, the input elsewhere."""
    forward = model.forward

    def recording(*args, **kwargs):
        if kwargs.get("labels") is not None:
            labels, ids = kwargs["labels"], kwargs["input_ids"]
            seen.append(torch.where(labels != -100, labels, ids).tolist())
        return forward(*args, **kwargs)

    model.forward = recording


def test_both_models_read_the_same_rows_at_every_step_with_their_own_masks(bert_tokenizer):
    data = mlm_data.encode_corpus(bert_tokenizer, CORPUS, 24, compact=True)
    run = rtd_race.RtdRace(data, CONFIG)
    mlm_rows, rtd_rows = [], []
    _originals(run.mlm, mlm_rows)
    _originals(run.generator, rtd_rows)
    while not run.finished:
        run.advance(0.0)
    assert len(mlm_rows) == len(rtd_rows) == CONFIG.steps
    assert mlm_rows == rtd_rows
    assert len({str(rows) for rows in mlm_rows}) > 1  # a new draw of rows each step


def test_a_race_leaves_the_global_rng_alone_and_does_not_depend_on_it(bert_tokenizer):
    data = mlm_data.encode_corpus(bert_tokenizer, CORPUS, 24, compact=True)
    histories = []
    for global_seed in (1, 2):
        torch.manual_seed(global_seed)
        before = torch.random.get_rng_state()
        run = rtd_race.RtdRace(data, CONFIG)
        while not run.finished:
            run.advance(0.0)
        assert torch.equal(torch.random.get_rng_state(), before)
        histories.append((run.history, run.probe))
    assert histories[0] == histories[1]
