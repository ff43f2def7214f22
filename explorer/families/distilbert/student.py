"""A DistilBERT student cut from a BERT teacher, as the paper initialises it: the teacher's width, one
layer in two (evenly spaced), the embeddings and (when the teacher has one) the MLM head copied."""

from __future__ import annotations

import torch

from explorer import models

# DistilBERT parameter name -> BERT parameter name, per layer ({s} student index, {t} teacher index)
LAYER_MAP = {
    "attention.q_lin": "attention.self.query",
    "attention.k_lin": "attention.self.key",
    "attention.v_lin": "attention.self.value",
    "attention.out_lin": "attention.output.dense",
    "sa_layer_norm": "attention.output.LayerNorm",
    "ffn.lin1": "intermediate.dense",
    "ffn.lin2": "output.dense",
    "output_layer_norm": "output.LayerNorm",
}
HEAD_MAP = {
    "vocab_transform": "cls.predictions.transform.dense",
    "vocab_layer_norm": "cls.predictions.transform.LayerNorm",
}


def picked_layers(teacher_layers: int, student_layers: int) -> list[int]:
    """Evenly spaced teacher layers, first and last included: 12 -> 6 gives 0, 2, 4, 7, 9, 11."""
    if not 1 <= student_layers <= teacher_layers:
        raise ValueError(f"the student needs 1 to {teacher_layers} layers, not {student_layers}")
    if student_layers == 1:
        return [teacher_layers - 1]
    step = (teacher_layers - 1) / (student_layers - 1)
    return [int(i * step + 0.5) for i in range(student_layers)]


def _state(teacher, layers: list[int]) -> dict[str, torch.Tensor]:
    source = {name: p.detach() for name, p in teacher.state_dict().items()}
    base = "bert." if any(n.startswith("bert.") for n in source) else ""
    emb = f"{base}embeddings."
    state = {
        "distilbert.embeddings.word_embeddings.weight": source[f"{emb}word_embeddings.weight"],
        # BERT adds segment 0's vector to every token of a single sentence: fold it into positions
        "distilbert.embeddings.position_embeddings.weight": source[f"{emb}position_embeddings.weight"]
        + source[f"{emb}token_type_embeddings.weight"][0],
        "distilbert.embeddings.LayerNorm.weight": source[f"{emb}LayerNorm.weight"],
        "distilbert.embeddings.LayerNorm.bias": source[f"{emb}LayerNorm.bias"],
    }
    for s, t in enumerate(layers):
        for ours, theirs in LAYER_MAP.items():
            for kind in ("weight", "bias"):
                state[f"distilbert.transformer.layer.{s}.{ours}.{kind}"] = source[
                    f"{base}encoder.layer.{t}.{theirs}.{kind}"
                ]
    if "cls.predictions.bias" in source:
        for ours, theirs in HEAD_MAP.items():
            for kind in ("weight", "bias"):
                state[f"{ours}.{kind}"] = source[f"{theirs}.{kind}"]
        state["vocab_projector.bias"] = source["cls.predictions.bias"]
    return {name: value.clone() for name, value in state.items()}


def student_from_teacher(teacher, student_layers: int, seed: int = 0):
    """A DistilBertForMaskedLM of the teacher's width initialised from `student_layers` of its layers;
    its own copy of every weight (the teacher, a shared cached model, is never touched)."""
    from transformers import DistilBertConfig, DistilBertForMaskedLM

    config = teacher.config
    if getattr(config, "model_type", "") != "bert":
        raise ValueError(f"the teacher must be a BERT model, not {getattr(config, 'model_type', '?')}")
    layers = picked_layers(config.num_hidden_layers, student_layers)
    student_config = DistilBertConfig(
        vocab_size=config.vocab_size,
        dim=config.hidden_size,
        n_layers=student_layers,
        n_heads=config.num_attention_heads,
        hidden_dim=config.intermediate_size,
        max_position_embeddings=config.max_position_embeddings,
        pad_token_id=config.pad_token_id,
        activation=config.hidden_act,
    )
    with models.exclusive(seed):  # the head a bare-encoder teacher lacks starts from seeded weights
        student = DistilBertForMaskedLM(student_config)
    student.load_state_dict(_state(teacher, layers), strict=False)
    return student.to(next(teacher.parameters()).device)
