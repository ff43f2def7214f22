"""The fine-tuning sections shared by the CoLA, SQuAD and GLUE pages: settings, a live run, results."""

from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from explorer import charts, device, finetune, predict, registry
from explorer.ui import jobs, layout, models
from explorer.ui.lang import t

# Defaults that finish in minutes on a 2-core CPU (seconds on a GPU) and give a clearly non-zero score
# with the offline MiniLM; CoLA needs its whole training set before MCC leaves 0 (bench/bench_cola_mcc.py).
# SQuAD costs ~10 s a step of 16 x 192 tokens on 2 cores, so its default is small: raise it on a GPU.
DEFAULTS = {
    "cola": {
        "train_size": 8551,
        "eval_size": 527,
        "epochs": 2.0,
        "batch_size": 32,
        "learning_rate": "1e-4",
        "max_length": 64,
    },
    "squad": {
        "train_size": 400,
        "eval_size": 100,
        "epochs": 1.0,
        "batch_size": 16,
        "learning_rate": "1e-4",
        "max_length": 192,
    },
}
MAX_LENGTHS = (32, 64, 128, 192, 256, 384, 512)
GLUE_DEFAULTS = {
    "train_size": 2000,
    "eval_size": 500,
    "epochs": 1.0,
    "batch_size": 32,
    "learning_rate": "5e-5",
    "max_length": 128,
}


def render_settings(task_key: str) -> finetune.FinetuneConfig | None:
    """Model, data and training settings; returns a config, or None with a message when one is unusable."""
    task = registry.TASKS[task_key]
    defaults = DEFAULTS.get(task_key, GLUE_DEFAULTS)
    model_id = models.render_model_field(task.default_family, key=f"ft_model_{task_key}")
    online = layout.online()
    sources = ["local", "hub"] if task.local else ["hub"]
    source = st.radio(
        t("ft.source"),
        sources,
        horizontal=True,
        key=f"ft_source_{task_key}",
        format_func=lambda s: t(f"ft.source_{s}"),
    )
    data_dir = ""
    if source == "local":
        data_dir = st.text_input(
            t("ft.data_dir"), str(registry.SHARED_DATA / task.local_dir), key=f"ft_dir_{task_key}"
        )
    elif not online:
        st.info(t("ft.needs_hub", task=task.name))
        return None
    cols = st.columns(3)
    train_size = cols[0].number_input(
        t("ft.train_size"), 0, 1_000_000, defaults["train_size"], key=f"ft_n_{task_key}"
    )
    eval_size = cols[1].number_input(
        t("ft.eval_size"), 0, 100_000, defaults["eval_size"], key=f"ft_e_{task_key}"
    )
    epochs = cols[2].number_input(t("ft.epochs"), 0.0, 50.0, defaults["epochs"], 0.5, key=f"ft_ep_{task_key}")
    cols = st.columns(4)
    batch = cols[0].number_input(t("ft.batch"), 0, 100_000, defaults["batch_size"], key=f"ft_b_{task_key}")
    lr_text = cols[1].text_input(t("ft.lr"), defaults["learning_rate"], key=f"ft_lr_{task_key}")
    max_length = cols[2].select_slider(
        t("ft.max_length"), MAX_LENGTHS, defaults["max_length"], key=f"ft_len_{task_key}"
    )
    seed = cols[3].number_input(t("bert.seed"), 0, 10_000, 0, key=f"ft_seed_{task_key}")
    try:
        learning_rate = float(lr_text)
    except ValueError:
        st.error(t("ft.bad_lr", value=lr_text))
        return None
    return finetune.FinetuneConfig(
        task=task_key,
        model_id=model_id,
        family=task.default_family,
        source=source,
        data_dir=data_dir,
        train_size=int(train_size),
        eval_size=int(eval_size),
        epochs=float(epochs),
        batch_size=int(batch),
        learning_rate=learning_rate,
        max_length=int(max_length),
        stride=int(max_length) // 4,
        seed=int(seed),
    )


def render_launch(config: finetune.FinetuneConfig | None) -> None:
    """The launch button; the engine runs in this session's own thread (see render_live for Stop)."""
    job = jobs.current()
    running = job is not None and job.running
    if st.button(t("ft.launch"), type="primary", disabled=running or config is None, key="ft_launch"):
        task = registry.TASKS[config.task]
        base = models.loaded(task.default_family, task.head, config.model_id, t("ft.model_label"))
        if base is not None:
            try:
                jobs.start(config, base)
            except finetune.ConfigError as err:
                st.error(str(err))
            else:
                st.rerun()  # redraw with the run under way: launch disabled, stop shown


@st.fragment(run_every=1.0)
def render_live() -> None:
    """Progress of this session's run, refreshed every second; a full rerun when it ends."""
    job = jobs.current()
    if job is None:
        return
    job.seen()
    if job.error:
        st.error(t("ft.failed", error=job.error))
        return
    if job.running and st.button(t("ft.stop"), key="ft_stop"):
        job.stop.set()
    last = job.progress[-1] if job.progress else None
    if last is None:
        st.progress(0.0, t("ft.preparing"))
    else:
        text = t(
            "ft.progress",
            step=last.step,
            total=last.total_steps,
            rate=last.steps_per_s,
            eta=0 if last.eta_s != last.eta_s else last.eta_s,
        )
        st.progress(min(1.0, last.step / max(1, last.total_steps)), text)
    losses = [(p.step, p.loss) for p in job.progress if p.loss is not None]
    if losses:
        frame = pd.DataFrame(losses, columns=["step", "loss"])
        st.altair_chart(charts.loss_curve_chart(frame, t("ft.step"), t("ft.loss")), width="stretch")
    evaluations = [{"epoch": round(p.epoch, 2), **p.evaluation} for p in job.progress if p.evaluation]
    if evaluations:
        st.dataframe(pd.DataFrame(evaluations), hide_index=True)
    if not job.running and job.result is not None and st.session_state.get("ft_shown") is not job.result:
        st.session_state["ft_shown"] = job.result
        st.rerun()


def finished() -> finetune.FinetuneResult | None:
    job = jobs.current()
    return job.result if job is not None and not job.running else None


def render_classification(result: finetune.FinetuneResult, class_names: list[str]) -> None:
    """Scores, confusion matrix, misclassified dev sentences, and a box for your own sentence."""
    st.subheader(t("ft.results"))
    st.caption(t("ft.from_model", source=layout.describe(result.source)))
    if result.stopped:
        st.warning(t("ft.stopped"))
    cols = st.columns(4)
    cols[0].metric("MCC", f"{result.final['mcc']:.3f}")
    cols[1].metric(t("ft.accuracy"), f"{result.final['accuracy']:.1%}")
    cols[2].metric(t("ft.time"), f"{result.seconds:.0f} s")
    cols[3].metric(t("ft.speed"), f"{result.samples_per_s:.1f}")
    details = result.details
    matrix = details["confusion"]
    frame = pd.DataFrame(
        [
            {"true": class_names[i], "predicted": class_names[j], "count": matrix[i][j]}
            for i in range(len(matrix))
            for j in range(len(matrix))
        ]
    )
    left, right = st.columns([1, 2])
    left.altair_chart(charts.confusion_chart(frame, t("ft.predicted"), t("ft.true")), width="content")
    wrong = [
        {
            t("ft.sentence"): text,
            t("ft.true"): class_names[y],
            t("ft.predicted"): class_names[p],
            t("ft.confidence"): round(c, 3),
        }
        for text, y, p, c in zip(
            details["texts"], details["labels"], details["predicted"], details["confidence"], strict=True
        )
        if y != p
    ]
    right.markdown(t("ft.misclassified", n=len(wrong), total=len(details["labels"])))
    right.dataframe(pd.DataFrame(wrong), hide_index=True, height=260)
    sentence = st.text_input(t("ft.own_sentence"), key="ft_own_sentence")
    if sentence.strip():
        probs = predict.classify(result.model, result.tokenizer, sentence, result.config.max_length)
        bars = pd.DataFrame({"token": class_names, "probability": probs})
        st.altair_chart(charts.probability_chart(bars, t("bert.probability")), width="stretch")


def highlight(context: str, start: int, end: int) -> str:
    """The context with [start, end) marked, every character escaped."""
    before, span, after = (html.escape(p) for p in (context[:start], context[start:end], context[end:]))
    return f'<div style="line-height:1.7">{before}<mark style="background:#ffe08a">{span}</mark>{after}</div>'


def render_qa(result: finetune.FinetuneResult, examples: list) -> None:
    """Exact match and F1, a dev question's predicted span in its context beside the gold answers,
    and a box to ask your own question about your own paragraph."""
    st.subheader(t("ft.results"))
    st.caption(t("ft.from_model", source=layout.describe(result.source)))
    if result.stopped:
        st.warning(t("ft.stopped"))
    cols = st.columns(4)
    cols[0].metric(t("ft.em"), f"{result.final['exact_match']:.1f}")
    cols[1].metric("F1", f"{result.final['f1']:.1f}")
    cols[2].metric(t("ft.time"), f"{result.seconds:.0f} s")
    cols[3].metric(t("ft.speed"), f"{result.samples_per_s:.1f}")
    spans = result.details["spans"]
    shown = [e for e in examples if e.id in spans][:200]
    pick = st.selectbox(
        t("ft.question"), range(len(shown)), format_func=lambda i: shown[i].question, key="ft_q"
    )
    example, span = shown[pick], spans[shown[pick].id]
    left, right = st.columns([3, 1])
    left.html(highlight(example.context, span.start, span.end))
    right.markdown(t("ft.prediction", text=span.text or "∅"))
    right.markdown(t("ft.gold") + "\n" + "\n".join(f"- {a.text}" for a in example.answers))
    st.markdown(f"**{t('ft.own_title')}**")
    paragraph = st.text_area(t("ft.own_paragraph"), example.context, key="ft_own_paragraph", height=140)
    question = st.text_input(t("ft.own_question"), key="ft_own_question")
    if question.strip():
        try:
            own = predict.answer(
                result.model,
                result.tokenizer,
                question,
                paragraph,
                result.config.max_length,
                result.config.stride,
            )
        except ValueError as err:
            st.info(str(err))
        else:
            st.html(highlight(paragraph, own.start, own.end))


def device_note() -> None:
    st.caption(t("ft.device", device=device.describe_device(device.pick_device())))
