"""ELECTRA's sections: replaced token detection step by step, the learning signal of MLM vs RTD, and a
small live experiment training both objectives on the same text."""

from __future__ import annotations

import functools
import html

import pandas as pd
import streamlit as st
import torch

from explorer import device, limits
from explorer.families.electra import rtd
from explorer.training import mlm_data, race_compute, race_measure, rtd_race
from explorer.training.race_measure import RaceResult
from explorer.ui import getters, layout, live_views, models, projector
from explorer.ui.electra import race_kept
from explorer.ui.export import render_chart
from explorer.ui.lang import labels, t
from explorer.ui.page_input import PageInput
from explorer.ui.tables import render_table
from explorer.views import training_charts

RACE_KEY = "electra_race"


def token_strip(tokens: tuple[str, ...], scores: tuple[float, ...], marked: tuple[bool, ...]) -> str:
    """Tokens as chips shaded by a score in [0, 1]; marked tokens underlined. Every token is escaped."""
    chips = []
    for token, score, mark in zip(tokens, scores, marked, strict=True):
        style = f"background:rgba(214,39,40,{score:.2f});padding:2px 5px;margin:2px;border-radius:4px"
        if mark:
            style += ";text-decoration:underline;font-weight:600"
        chips.append(f'<span style="{style}" title="{score:.3f}">{html.escape(token)}</span>')
    return f'<div style="line-height:2.2;font-family:monospace">{"".join(chips)}</div>'


def _replacement(page: PageInput) -> rtd.Replacement | None:
    """The generator and discriminator on the page's sentence, at the seed and rate of the first tab."""
    gen_id = models.chosen_model_id("electra-generator", page.key("generator"))
    generator = models.loaded("electra-generator", "mlm", gen_id, t("electra.generator_label"))
    discriminator = models.loaded(page.family, "rtd", page.model_id, t("electra.discriminator_label"))
    if generator is None or discriminator is None:
        return None
    try:
        mlm_data.check_same_vocabulary(generator.tokenizer, discriminator.tokenizer)
        seed = int(st.session_state.get(page.key("seed"), 0))
        rate = float(st.session_state.get(page.key("rate"), 0.15))
        return rtd.replace_and_detect(
            generator.model,
            discriminator.model,
            discriminator.tokenizer,
            page.text,
            torch.Generator().manual_seed(seed),
            rate,
        )
    except ValueError as err:
        st.info(t("electra.cannot", error=err))
        return None


def render_rtd(page: PageInput) -> None:
    """Mask, sample, detect: the three steps on the page's sentence, with the discriminator's accuracy."""
    st.markdown(t("electra.rtd_intro"))
    with projector.notes():  # in the tour, folded with the page's inputs: the steps come first
        models.render_model_field("electra-generator", key=page.key("generator"))
        left, right = st.columns(2)
        left.number_input(t("bert.seed"), 0, 10_000, 0, key=page.key("seed"))
        right.slider(t("bert.rate"), 0.05, 0.5, 0.15, 0.05, key=page.key("rate"))
    result = _replacement(page)
    st.session_state[page.key("replacement")] = result  # the next tab shows the same draw
    if result is None:
        return
    if result.truncated:
        st.warning(t("electra.truncated", n=rtd.MAX_TOKENS))
    st.markdown(f"**{t('electra.step_masked')}**")
    st.html(token_strip(result.masked_tokens, (0.0,) * len(result.tokens), result.chosen))
    st.markdown(f"**{t('electra.step_detected')}**")
    st.html(token_strip(result.corrupted_tokens, result.detected, result.replaced))
    st.caption(t("electra.strip_legend"))
    if projector.on():  # in the tour the table of every token comes right under the strips, counts after
        _render_table(result)
        _render_counts(result)
    else:
        _render_counts(result)
        _render_table(result)


def _render_counts(result: rtd.Replacement) -> None:
    cols = st.columns(3)
    cols[0].metric(t("electra.accuracy"), f"{result.accuracy:.0%}")
    cols[1].metric(t("electra.n_masked"), sum(result.chosen))
    cols[2].metric(t("electra.n_replaced"), sum(result.replaced))
    same = sum(c and not r for c, r in zip(result.chosen, result.replaced, strict=True))
    if same:
        st.caption(t("electra.same_sample", n=same))


def _render_table(result: rtd.Replacement) -> None:
    rows = [
        {
            t("electra.col_original"): o,
            t("electra.col_masked"): m,
            t("electra.col_sample"): f"{c} (p = {p:.2g})" if chosen else "",
            t("electra.col_label"): t("electra.replaced" if r else "electra.original"),
            t("electra.col_detected"): round(d, 3),
        }
        for o, m, c, p, chosen, r, d in zip(
            result.tokens,
            result.masked_tokens,
            result.corrupted_tokens,
            result.sample_prob,
            result.chosen,
            result.replaced,
            result.detected,
            strict=True,
        )
    ]
    render_table(pd.DataFrame(rows), hide_index=True, width="stretch", height=min(420, 36 + 35 * len(rows)))


def render_signal(page: PageInput) -> None:
    """Per-token loss of MLM (masked tokens only) and RTD (every token) on the same sentence."""
    st.markdown(t("electra.signal_intro"))
    result = st.session_state.get(page.key("replacement")) or _replacement(page)
    if result is None:
        return
    mlm_name, rtd_name = t("electra.obj_mlm"), t("electra.obj_rtd")
    rows = []
    for i, token in enumerate(result.tokens):
        label = f"{i}:{token}"
        if result.mlm_loss[i] is not None:
            rows.append({"label": label, "token": token, "objective": mlm_name, "loss": result.mlm_loss[i]})
        rows.append({"label": label, "token": token, "objective": rtd_name, "loss": result.rtd_loss[i]})
    chart = training_charts.signal_chart(pd.DataFrame(rows), t("electra.loss_axis"))
    render_chart(chart, page.key("signal"), t("notice.rtd_signal"), width="stretch")
    n_mlm = sum(v is not None for v in result.mlm_loss)
    st.markdown(
        t("electra.signal_counts", mlm=n_mlm, rtd=len(result.rtd_loss), share=n_mlm / len(result.rtd_loss))
    )
    st.caption(t("electra.signal_note"))


def _race_settings(page: PageInput) -> rtd_race.RaceConfig:
    defaults, allowed = rtd_race.RaceConfig(), limits.current()
    most_steps, most_batch = min(5000, allowed.run_steps), min(256, allowed.batch)
    cols = st.columns(4)
    steps = cols[0].number_input(
        t("live.steps"), 1, most_steps, min(defaults.steps, most_steps), key=page.key("race_steps")
    )
    batch = cols[1].number_input(
        t("live.batch"), 1, most_batch, min(defaults.batch_size, most_batch), key=page.key("race_batch")
    )
    hidden = cols[2].number_input(
        t("electra.hidden"), 8, rtd_race.MAX_HIDDEN, defaults.hidden, 8, key=page.key("race_hidden")
    )
    layers = cols[3].number_input(
        t("electra.layers"), 1, rtd_race.MAX_LAYERS, defaults.layers, key=page.key("race_layers")
    )
    cols = st.columns(4)
    rate = cols[0].number_input(
        t("live.lr"), 0.0001, 0.1, defaults.learning_rate, format="%.4f", key=page.key("race_lr")
    )
    share = cols[1].select_slider(
        t("electra.generator_share"),
        [0.125, 0.25, 0.5, 0.75, 1.0],
        defaults.generator_share,
        key=page.key("race_share"),
    )
    weight = cols[2].number_input(
        t("electra.lambda"), 0.0, 1000.0, defaults.rtd_weight, key=page.key("race_lambda")
    )
    seed = cols[3].number_input(t("bert.seed"), 0, 10_000, defaults.seed, key=page.key("race_seed"))
    return rtd_race.RaceConfig(
        hidden=int(hidden),
        layers=int(layers),
        heads=defaults.heads,
        generator_share=float(share),
        steps=int(steps),
        batch_size=int(batch),
        learning_rate=float(rate),
        rtd_weight=float(weight),
        seed=int(seed),
    )


def render_race(page: PageInput) -> None:
    """Train an MLM encoder and an ELECTRA pair of equal size on the same text; probe both."""
    with projector.notes():  # in the tour, folded with the page's inputs: the kept race comes first
        st.markdown(t("electra.race_intro"))
        tokenizer, _ = getters.get_tokenizer(page.family, page.model_id, layout.online())
        config = _race_settings(page)
        rows = live_views.render_corpus(RACE_KEY, tokenizer, config.max_length, compact=True)
        live_views.render_start(RACE_KEY, lambda: rtd_race.RtdRace(rows, config), rows is not None)
    axis = st.segmented_control(
        t("race_compute.axis"),
        ["steps", "compute"],
        default="steps",
        format_func=labels("race_compute.{}", ["steps", "compute"]),
        key=page.key("race_axis"),
    )
    draw = functools.partial(_draw_race, page, compute=axis == "compute")
    if st.session_state.get(RACE_KEY) is None:  # no live run in this session: the kept race, if any
        corpus_name = st.session_state.get(f"{RACE_KEY}_corpus", live_views.CORPORA[0])
        race_kept.render_kept_race(RACE_KEY, page.model_id, corpus_name, config, draw)
    live_views.render_live(RACE_KEY, lambda run: draw(race_measure.snapshot(run)))


def _race_frame(run: RaceResult, compute: bool) -> pd.DataFrame:
    """Each loss by step, or by FLOPs spent so far: MLM's own, and an RTD step's generator included."""
    names = {
        "mlm_loss": t("electra.curve_mlm"),
        "generator_loss": t("electra.curve_generator"),
        "discriminator_loss": t("electra.curve_discriminator"),
    }
    cost = race_compute.race_compute(run.config, run.vocab_size)
    rows, tokens = [], 0
    for h in run.history:
        tokens += h.tokens
        for k, name in names.items():
            flops = cost.step_flops("mlm" if k == "mlm_loss" else "rtd", tokens)
            rows.append({"x": flops if compute else h.step, "series": name, "value": getattr(h, k)})
    return pd.DataFrame(rows)


def _draw_race(page: PageInput, run: RaceResult, compute: bool = False) -> None:
    frame = _race_frame(run, compute)
    if not frame.empty:
        x_title = t("race_compute.compute_axis") if compute else t("live.step")
        x_format = "~s" if compute else None  # FLOPs in SI units: 1.2G
        chart = training_charts.curves_chart(frame, x_title, t("live.loss"), x="x", x_format=x_format)
        notice = t("notice.race_compute" if compute else "notice.race_curves")
        render_chart(chart, page.key("race_curves"), notice, finished=run.finished, width="content")
        st.caption(t("electra.disc_accuracy", value=run.history[-1].discriminator_accuracy))
        if compute:
            _compute_caption(run)
    if run.probe is None:
        return
    probe = run.probe
    scores = {t("electra.probe_untrained"): probe.untrained, "MLM": probe.mlm, "ELECTRA (RTD)": probe.rtd}
    bars = pd.DataFrame({"model": list(scores), "accuracy": list(scores.values())})
    st.subheader(t("electra.probe_title"))
    chart = training_charts.probe_chart(bars, t("electra.probe_axis"))
    render_chart(chart, page.key("race_probe"), t("notice.race_probe"), width="stretch")
    verdict = "ahead" if probe.rtd > probe.mlm else "behind" if probe.rtd < probe.mlm else "tied"
    c = run.config
    st.markdown(
        t(f"electra.verdict_{verdict}", rtd=probe.rtd, mlm=probe.mlm, untrained=probe.untrained)
        + " "
        + t(
            "electra.race_settings",
            steps=run.step,
            batch=c.batch_size,
            hidden=c.hidden,
            layers=c.layers,
            lines=run.lines,
            test=probe.n_test,
            seconds=run.seconds,
            device=device.describe_device("cpu"),  # the race's models are built on the CPU
        )
    )
    st.caption(t("electra.probe_note"))


def _compute_caption(run: RaceResult) -> None:
    cost = race_compute.race_compute(run.config, run.vocab_size)
    tokens = run.history[-1].tokens
    mlm, rtd_flops = cost.step_flops("mlm", tokens), cost.step_flops("rtd", tokens)
    generator = race_compute.FLOPS_PER_WEIGHT * cost.generator * tokens
    st.caption(
        t(
            "race_compute.per_step",
            tokens=tokens,
            mlm=mlm,
            rtd=rtd_flops,
            ratio=rtd_flops / mlm,
            generator=generator,
            vocab=run.vocab_size,
        )
    )
