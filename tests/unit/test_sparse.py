"""BigBird: the built pattern against the real model's non-zero attention blocks, on tiny configs."""

import numpy as np
import pytest
import torch

from explorer.families.bigbird import sparse

TINY = {
    "hidden_size": 32,
    "num_hidden_layers": 2,
    "num_attention_heads": 4,
    "intermediate_size": 37,
    "block_size": 4,
    "num_random_blocks": 2,
    "max_position_embeddings": 256,
    "vocab_size": 100,
}


@pytest.fixture(scope="module")
def tiny_model():
    return sparse.build_cost_model("cpu", **TINY)


def ids(length: int) -> torch.Tensor:
    return torch.randint(5, 100, (1, length), generator=torch.Generator().manual_seed(0))


def test_pattern_parts_and_fraction_by_hand():
    # 8 blocks, window 3, 1 global block each end, no random: rows 0 and 7 full (16 cells), columns 0
    # and 7 of the 6 middle rows (12), and the window cells not already global: 6 middle rows with 3,
    # minus the 2 window cells that land on a global column (rows 1 and 6) -> 16.
    pattern = sparse.build_pattern(32, 4, window=3, global_blocks=1, random_blocks=0)
    assert pattern.count("global") == 16 + 12
    assert pattern.count("window") == 16
    assert pattern.count("random") == 0
    assert pattern.fraction == pytest.approx(44 / 64)


def test_random_blocks_avoid_global_and_window_and_are_counted_per_row():
    pattern = sparse.build_pattern(64, 4, window=3, global_blocks=1, random_blocks=2, seed=3)
    random = pattern.blocks == sparse.PARTS.index("random")
    assert random[1:-1].sum(1).tolist() == [2] * 14
    assert not random[[0, -1]].any()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((1000, 64, 3, 1, 3), "not a multiple of the block size 64"),
        ((64, 4, 2, 1, 3), "must be odd"),
        ((16, 4, 3, 2, 0), "leave no middle"),
        ((100_000, 1, 3, 1, 3), "too many to draw"),
        ((64, 4, 3, 1, -1), "cannot be negative"),
    ],
)
def test_bad_pattern_settings_are_refused_in_words(args, message):
    with pytest.raises(sparse.PatternError, match=message):
        sparse.build_pattern(*args)


def test_zero_random_blocks_is_a_valid_pattern():
    assert sparse.build_pattern(64, 4, random_blocks=0).count("random") == 0


def test_eval_map_is_exactly_the_global_and_window_pattern(tiny_model):
    result = sparse.sparse_map(tiny_model, ids(64), layer=0, mode="eval")
    rule = sparse.build_pattern(64, 4, window=3, global_blocks=1, random_blocks=0).blocks > 0
    for head in range(4):
        assert np.array_equal(result.nonzero[head], rule)


def test_train_map_adds_the_random_blocks_on_top_of_the_pattern(tiny_model):
    result = sparse.sparse_map(tiny_model, ids(64), layer=1, mode="train")
    rule = sparse.build_pattern(64, 4, window=3, global_blocks=1, random_blocks=0).blocks > 0
    assert (result.nonzero & rule).sum() == 4 * rule.sum()  # every pattern block, in every head
    extra = (result.nonzero & ~rule).sum(-1)  # (H, n) random blocks per query row
    assert extra[:, [0, -1]].sum() == 0  # global rows already see everything
    assert (extra[:, 2:-3] == 2).all()  # middle rows: exactly num_random_blocks
    assert np.allclose(result.row_sums, 1, atol=1e-5)  # with random blocks drawn, rows sum to 1
    assert tiny_model.training is False and not any(m.training for m in tiny_model.modules())


def test_a_too_short_input_is_refused_and_never_switches_the_model(tiny_model):
    shortest = sparse.min_sparse_length(tiny_model.config)
    assert shortest == (6 + 2 * 2) * 4
    with pytest.raises(sparse.PatternError, match="switches itself to full attention"):
        sparse.sparse_map(tiny_model, ids(shortest - 4), layer=0, mode="eval")
    assert tiny_model.attention_type == "block_sparse"
    assert sparse.sparse_map(tiny_model, ids(shortest), 0, "eval").nonzero.any()


def test_a_training_mode_reading_never_switches_the_shared_model(tiny_model, monkeypatch):
    """Another session's forward through the cached model meanwhile must not get random blocks."""
    seen: list[bool] = []
    real = sparse.capture

    def spy(model, modules, forward):
        seen.extend(m.training for m in tiny_model.modules())  # the shared model, mid-reading
        return real(model, modules, forward)

    monkeypatch.setattr(sparse, "capture", spy)
    result = sparse.sparse_map(tiny_model, ids(64), layer=1, mode="train")
    assert seen and not any(seen)
    assert result.mode == "train" and sum(p.numel() for p in tiny_model.parameters()) > 0


def test_a_model_switched_by_a_short_call_is_put_back(tiny_model):
    with torch.inference_mode():
        tiny_model(input_ids=ids(16))  # transformers switches it to original_full here
    assert tiny_model.attention_type == "original_full"
    sparse.set_variant(tiny_model, "block_sparse")
    result = sparse.sparse_map(tiny_model, ids(64), 0, "eval")
    assert result.nonzero.shape == (4, 16, 16)


def test_the_three_cost_lines_share_weights_and_full_lines_agree(tiny_model):
    outputs = {}
    for line in sparse.LINES:
        sparse.set_variant(tiny_model, line)
        with torch.inference_mode():
            outputs[line] = tiny_model(input_ids=ids(64)).last_hidden_state
    assert torch.allclose(outputs["full_eager"], outputs["full_sdpa"], atol=1e-5)
    sparse.set_variant(tiny_model, "block_sparse")
    assert type(tiny_model.encoder.layer[0].attention.self).__name__ == "BigBirdBlockSparseAttention"


def test_real_config_is_bigbird_roberta_base():
    from transformers import BigBirdConfig

    config = BigBirdConfig(**sparse.BIGBIRD_BASE)
    assert (config.block_size, config.num_random_blocks, config.max_position_embeddings) == (64, 3, 4096)
    assert sparse.min_sparse_length(config) == 768


def test_fill_ids_repeats_the_text_to_the_length():
    assert sparse.fill_ids([1, 2, 3], 7).tolist() == [[1, 2, 3, 1, 2, 3, 1]]
    with pytest.raises(sparse.PatternError):
        sparse.fill_ids([], 8)
