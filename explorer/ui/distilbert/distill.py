"""DistilBERT's sections: the distillation objective on a masked sentence, the parameters of teacher
and student, and a live mini-distillation with its curves and the student's predictions after."""

from __future__ import annotations

import pandas as pd
import streamlit as st
import torch

from explorer import device, limits
from explorer.families.distilbert import distill
from explorer.mechanics import params
from explorer.training import distill_run, mlm_data
from explorer.ui import getters, layout, live_views, models, projector
from explorer.ui.export import render_chart
from explorer.ui.lang import t
from explorer.ui.page_input import PageInput
from explorer.ui.tables import render_table
from explorer.views import charts, training_charts

RUN_KEY = "distil_run"


def _weights(page: PageInput, where: str, defaults: distill.Weights, ce: bool = True) -> distill.Weights:
    cols = st.columns(3)
    values = {
        name: cols[i].number_input(
            t(f"distilbert.w_{name}"),
            0.0,
            1000.0,
            getattr(defaults, name),
            0.5,
            key=page.key(f"{where}_w_{name}"),
            disabled=name == "ce" and not ce,
        )
        for i, name in enumerate(("ce", "mlm", "cos"))
    }
    return distill.Weights(**{k: float(v) for k, v in values.items()})


def _temperature_ok(temperature: float) -> bool:
    low, high = distill.TEMPERATURE_RANGE
    if low <= temperature <= high:
        return True
    st.error(t("distilbert.temperature_range", value=temperature, low=low, high=high))
    return False


def render_objective(page: PageInput) -> None:
    """Teacher and student distributions at a temperature, the three terms, and their weighted sum."""
    st.markdown(t("distilbert.objective_intro"))
    with projector.notes():  # in the tour, folded with the inputs: the temperature and its curves first
        teacher_id = models.render_model_field("bert", key=page.key("teacher"))
    teacher = models.loaded("bert", "mlm", teacher_id, t("distilbert.teacher_label"))
    student = models.loaded(page.family, "mlm", page.model_id, t("distilbert.student_label"))
    if teacher is None or student is None:
        return
    temperature = st.slider(t("distilbert.temperature"), 0.0, 20.0, 2.0, 0.5, key=page.key("temperature"))
    with projector.notes():
        seed = st.number_input(t("bert.seed"), 0, 10_000, 0, key=page.key("seed"))
        weights = _weights(page, "loss", distill.PAPER_WEIGHTS)
    if not _temperature_ok(temperature):
        return
    try:
        mlm_data.check_same_vocabulary(teacher.tokenizer, student.tokenizer)
        result = distill.objective(
            teacher.model,
            student.model,
            student.tokenizer,
            page.text,
            torch.Generator().manual_seed(int(seed)),
            temperature,
            weights,
        )
    except ValueError as err:
        st.info(t("distilbert.cannot", error=err))
        return
    st.caption(t("distilbert.masked_input", text=" ".join(result.tokens)))
    _render_distributions(page, result)
    _render_terms(result.terms)


def _render_distributions(page: PageInput, result: distill.Objective) -> None:
    shown = list(zip(result.positions, result.teacher, result.student, strict=True))[:3]
    for position, teacher, student in shown:
        st.markdown(
            t(
                "distilbert.at_position",
                n=position,
                token=result.originals[position],
                temperature=result.temperature,
            )
        )
        sides = (
            ("teacher", teacher, t("notice.soft_teacher")),
            ("student", student, t("notice.soft_student")),
        )
        for column, (name, top, notice) in zip(st.columns(2), sides, strict=True):
            frame = pd.DataFrame([{"token": w, "probability": p} for w, p in top])
            column.caption(t(f"distilbert.{name}_label"))
            chart = charts.probability_chart(frame, t("bert.probability"))
            render_chart(chart, page.key(f"soft_{position}_{name}"), notice, where=column, width="stretch")
    if len(result.positions) > len(shown):
        st.caption(t("distilbert.more_positions", n=len(result.positions), shown=len(shown)))


def _render_terms(terms: distill.LossTerms) -> None:
    cols = st.columns(4)
    for column, name in zip(cols, ("ce", "mlm", "cos"), strict=False):
        value = getattr(terms, name)
        column.metric(t(f"distilbert.term_{name}"), "–" if value is None else f"{value:.3f}")
    cols[3].metric(t("distilbert.term_total"), f"{terms.total:.3f}")
    parts = [
        f"{getattr(terms.weights, name):g} × {getattr(terms, name):.3f}"
        for name in ("ce", "mlm", "cos")
        if getattr(terms, name) is not None
    ]
    st.caption(t("distilbert.sum", parts=" + ".join(parts), total=terms.total))
    if terms.cos is None:
        st.caption(t("distilbert.no_cos"))


def render_params(page: PageInput) -> None:
    """Exact counts of BERT-base and DistilBERT-base per component, the closed forms, the saving."""
    st.markdown(t("distilbert.params_intro"))
    sizes = getters.get_distil_sizes()
    teacher, student = sizes.teacher, sizes.student
    rows = [
        {
            t("distilbert.col_component"): name,
            "BERT-base": teacher.part(name),
            "DistilBERT": student.part(name),
        }
        for name in params.COMPONENTS
        if teacher.part(name) or student.part(name)
    ]
    rows.append(
        {
            t("distilbert.col_component"): t("distilbert.total"),
            "BERT-base": teacher.total,
            "DistilBERT": student.total,
        }
    )
    render_table(pd.DataFrame(rows), hide_index=True, width="content")
    st.metric(t("distilbert.fewer"), f"{sizes.fewer:.1%}", help=t("distilbert.paper_size"))
    st.caption(
        t(
            "distilbert.paper_line",
            teacher=teacher.total / 1e6,
            student=student.total / 1e6,
            fewer=sizes.fewer,
        )
    )
    st.caption(t("distilbert.closed_form", bert=sizes.teacher_formula, distil=sizes.student_formula))
    embeddings = teacher.part("embeddings")
    st.caption(
        t("distilbert.params_why", embeddings=embeddings, share=embeddings / teacher.total, fewer=sizes.fewer)
    )


def _teacher(teacher_id: str):
    """The teacher with its MLM head when real weights for it load; else the bare encoder (offline:
    the packaged MiniLM, a real pretrained teacher for the hidden-state term)."""
    try:
        probe = getters.get_model("bert", "mlm", teacher_id, layout.online(), device.pick_device())
        head = "mlm" if probe.source.pretrained else "base"
    except Exception:  # the same failure shows again, as a message, when the bare encoder loads
        head = "base"
    return models.loaded("bert", head, teacher_id, t("distilbert.teacher_label"))


def _run_settings(page: PageInput, layers: int, has_head: bool) -> distill_run.DistillConfig:
    defaults, allowed = distill_run.DistillConfig(), limits.current()
    cols = st.columns(4)
    student_layers = cols[0].number_input(
        t("distilbert.student_layers", n=layers),
        1,
        layers,
        max(1, layers // 2),
        key=page.key(f"run_layers_{layers}"),
    )
    most_steps, most_batch = allowed.run_steps, allowed.batch  # the server's; the run's own range says more
    steps = cols[1].number_input(
        t("live.steps"), 0, most_steps, min(defaults.steps, most_steps), key=page.key("run_steps")
    )
    batch = cols[2].number_input(
        t("live.batch"), 0, most_batch, min(defaults.batch_size, most_batch), key=page.key("run_batch")
    )
    rate = cols[3].number_input(
        t("live.lr"), 0.0, 10.0, defaults.learning_rate, format="%.5f", key=page.key("run_lr")
    )
    left, right = st.columns([3, 1])
    temperature = left.number_input(
        t("distilbert.temperature"), 0.0, 1000.0, defaults.temperature, 0.5, key=page.key("run_temperature")
    )
    seed = right.number_input(t("bert.seed"), 0, 10_000, defaults.seed, key=page.key("run_seed"))
    defaults = distill.PAPER_WEIGHTS if has_head else distill.ENCODER_TEACHER_WEIGHTS
    weights = _weights(page, f"run_{has_head}", defaults, has_head)
    return distill_run.DistillConfig(
        student_layers=int(student_layers),
        steps=int(steps),
        batch_size=int(batch),
        learning_rate=float(rate),
        temperature=float(temperature),
        weights=weights,
        seed=int(seed),
    )


def render_distillation(page: PageInput) -> None:
    """Cut a student from the teacher, distill it live on a corpus, then compare their predictions."""
    st.markdown(t("distilbert.run_intro"))
    teacher_id = models.chosen_model_id("bert", page.key("teacher"))
    teacher = _teacher(teacher_id)
    if teacher is None:
        return
    has_head = hasattr(teacher.model, "cls")
    if not has_head:
        st.info(t("distilbert.encoder_teacher"))
    config = _run_settings(page, teacher.model.config.num_hidden_layers, has_head)
    rows = live_views.render_corpus(RUN_KEY, teacher.tokenizer, config.max_length, compact=False)
    live_views.render_start(
        RUN_KEY,
        lambda: distill_run.Distillation(teacher.model, teacher.tokenizer, rows, config),
        rows is not None,
    )
    live_views.render_live(RUN_KEY, lambda run: _draw_run(page, run))


def _draw_run(page: PageInput, run: distill_run.Distillation) -> None:
    names = {"total": t("distilbert.term_total"), "ce": "L_ce", "mlm": "L_mlm", "cos": "L_cos"}
    frame = pd.DataFrame(
        [
            {"step": h.step, "series": names[k], "value": getattr(h, k)}
            for h in run.history
            for k in names
            if getattr(h, k) is not None
        ]
    )
    if not frame.empty:
        chart = training_charts.curves_chart(frame, t("live.step"), t("live.loss"))
        notice = t("notice.run_curves")
        render_chart(chart, page.key("run_curves"), notice, finished=run.finished, width="content")
    if not run.finished:
        return
    first, last = run.history[0], run.history[-1]
    st.markdown(
        t(
            "distilbert.run_done",
            layers=run.student.config.n_layers,
            steps=run.step,
            seconds=run.seconds,
            device=device.describe_device(run.device.type),
        )
    )
    if first.cos is not None:
        st.caption(t("distilbert.cos_moved", before=first.cos, after=last.cos))
    _render_agreement(page, run)


def _render_agreement(page: PageInput, run: distill_run.Distillation) -> None:
    st.subheader(t("distilbert.compare_title"))
    tokenizer = run.tokenizer
    text = st.text_input(
        t("distilbert.compare_text", mask=tokenizer.mask_token),
        page.example("probe"),
        key=page.key("compare"),
    )
    if not text.strip():
        return
    result = distill_run.agreement(run.teacher, run.student, tokenizer, text[:2000])
    frame = pd.DataFrame(
        {
            "label": [f"{i}:{tok}" for i, tok in enumerate(result.tokens)],
            "token": result.tokens,
            "value": result.cosine,
        }
    )
    chart = training_charts.token_values_chart(frame, t("distilbert.cos_axis"), (-1.0, 1.0))
    render_chart(chart, page.key("compare_cosine"), t("notice.compare_cosine"), width="stretch")
    st.caption(t("distilbert.cos_mean", value=sum(result.cosine) / len(result.cosine)))
    if not result.student:
        st.caption(t("distilbert.add_mask", mask=tokenizer.mask_token))
        return
    for i, student in enumerate(result.student[:3]):
        cols = st.columns(2)
        sides = (("teacher", result.teacher[i] if result.teacher else None), ("student", student))
        for column, (side, top) in zip(cols, sides, strict=True):
            column.caption(t(f"distilbert.{side}_label"))
            if top is None:
                column.caption(t("distilbert.no_teacher_head"))
                continue
            bars = pd.DataFrame([{"token": w, "probability": p} for w, p in top])
            chart = charts.probability_chart(bars, t("bert.probability"))
            name = page.key(f"compare_{i}_{side}")
            render_chart(chart, name, t("notice.compare_predictions"), where=column, width="stretch")
