"""Launching and following a fine-tune from a page: settings (defaults from the registry), the launch
button, and live progress from the child process (explorer/ui/finetune/jobs.py)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from explorer import device, jobqueue, limits, paths, registry
from explorer.training import data, finetune
from explorer.ui import layout, models, queue_views
from explorer.ui.export import render_chart
from explorer.ui.finetune import data_views, jobs
from explorer.ui.lang import labels, t
from explorer.ui.markdown import literal
from explorer.ui.tables import render_table
from explorer.views import charts

MAX_LENGTHS = (32, 64, 128, 192, 256, 384, 512)
MAX_PATH = 1024  # characters in the data folder field: any real path, never a page-long error message
# A browser on the same machine takes each redraw's CPU from the training, about twice over (the
# training's two threads wait for each other): in headless Chromium a redraw of the progress cost about
# 0.09 CPU-s, one of the loss curve 0.12 more, and an animated bar 0.06 more. So progress is redrawn
# every 5 s with a still bar, and the curves every 15 s.
POLL_S = 5.0  # seconds between redraws of a running fine-tune's progress
CURVES_S = 15.0  # seconds between redraws of its loss curve and evaluations


def _data_source(task: registry.Task) -> tuple[str, str] | None:
    """("hub", "") or ("local", folder): a folder named, else found, else the bundled sample; or an
    upload's folder. None (with a message) when no data can be had."""
    sources = (["hub"] if layout.online() else []) + (["local", "upload"] if task.local else [])
    if not sources:
        st.info(t("ft.needs_hub", task=task.name))
        return None
    source = st.radio(
        t("ft.source"),
        sources,
        horizontal=True,
        key=f"ft_source_{task.key}",
        format_func=labels("ft.source_{}", sources),
    )
    if source == "hub":
        return "hub", ""
    if source == "upload":
        folder = data_views.render_upload(task)
        return None if folder is None else ("local", folder)
    found = data.default_dir(task.key) or data.sample_dir(task.key)
    folder = st.text_input(
        t("ft.data_dir"),
        str(found or ""),
        key=f"ft_dir_{task.key}",
        help=t("ft.data_help"),
        max_chars=MAX_PATH,
    )
    if not folder.strip():
        st.info(t("ft.no_data", task=task.name, folder=data.prefetch_dir(task.key)))
        return None
    try:
        paths.resolve(folder.strip())  # the child and the dev-set view read only inside the roots
    except paths.PathNotAllowed as err:
        st.error(t("paths.outside", path=literal(err.shown)))
        st.caption(t("ftdata.hint", upload=t("ft.source_upload")))
        return None
    return "local", folder.strip()


def _lengths(allowed: limits.Limits) -> tuple[int, ...]:
    """The max lengths offered: those within the server's limit (the limit itself if none is)."""
    return tuple(n for n in MAX_LENGTHS if n <= allowed.length) or (allowed.length,)


def render_settings(task_key: str) -> finetune.FinetuneConfig | None:
    """Model, data and training settings, their ranges within the server's limits (explorer/limits.py);
    returns a config, or None with a message when one is unusable."""
    task = registry.TASKS[task_key]
    d = registry.training_defaults(task_key, device.pick_device())
    allowed = limits.current()
    model_id = models.render_model_field(task.default_family, key=f"ft_model_{task_key}")
    family = registry.family(task.default_family)
    cls, auto = family.heads[task.head], registry.HEAD_AUTO[task.head]
    st.caption(t("ftdata.class", cls=cls, auto=auto, family=family.name, head=t(f"ftdata.head_{task.head}")))
    where = _data_source(task)
    st.caption(t(d.why))
    cols = st.columns(5)
    n_max, ep_max = allowed.train_size, float(allowed.epochs)
    train_size = cols[0].number_input(
        t("ft.train_size"), 0, n_max, min(d.train_size, n_max), key=f"ft_n_{task_key}"
    )
    eval_size = cols[1].number_input(t("ft.eval_size"), 0, 100_000, d.eval_size, key=f"ft_e_{task_key}")
    epochs = cols[2].number_input(
        t("ft.epochs"), 0.0, ep_max, min(float(d.epochs), ep_max), 0.5, key=f"ft_ep_{task_key}"
    )
    dropout = cols[3].number_input(
        t("ft.dropout"), 0.0, 0.9, d.dropout, 0.05, key=f"ft_drop_{task_key}", help=t("ft.dropout_help")
    )
    head_lr = cols[4].number_input(
        t("ft.head_lr"),
        1.0,
        1000.0,
        d.head_lr_scale,
        1.0,
        key=f"ft_head_{task_key}",
        help=t("ft.head_lr_help"),
    )
    cols = st.columns(5 if task_key == "squad" else 4)
    batch = cols[0].number_input(
        t("ft.batch"), 0, allowed.batch, min(d.batch_size, allowed.batch), key=f"ft_b_{task_key}"
    )
    lr_text = cols[1].text_input(t("ft.lr"), f"{d.learning_rate:g}", key=f"ft_lr_{task_key}", max_chars=32)
    lengths = _lengths(allowed)
    length = cols[2].select_slider(
        t("ft.max_length"), lengths, min(d.max_length, lengths[-1]), key=f"ft_len_{task_key}"
    )
    seed = cols[3].number_input(t("ft.seed"), 0, 10_000, 0, key=f"ft_seed_{task_key}")
    stride = (
        cols[4].number_input(t("ft.stride"), 0, 2048, d.stride, key="ft_stride") if task_key == "squad" else 0
    )
    freeze = st.checkbox(
        t("ft.freeze_embeddings"), d.freeze_embeddings, key=f"ft_freeze_{task_key}", help=t("ft.freeze_help")
    )
    queue_views.render_limits()
    try:
        learning_rate = float(lr_text)
    except ValueError:
        st.error(t("ft.bad_lr", value=literal(lr_text)))
        return None
    if where is None:
        return None
    return finetune.FinetuneConfig(
        task=task_key,
        model_id=model_id,
        family=task.default_family,
        source=where[0],
        data_dir=where[1],
        train_size=int(train_size),
        eval_size=int(eval_size),
        epochs=float(epochs),
        batch_size=int(batch),
        learning_rate=learning_rate,
        max_length=int(length),
        stride=int(stride),
        seed=int(seed),
        dropout=float(dropout),
        head_lr_scale=float(head_lr),
        freeze_embeddings=bool(freeze),
        online=layout.online(),
    )


def render_launch(config: finetune.FinetuneConfig | None, page: str) -> None:
    """The launch button: one run per session at a time, in a child process (see render_live for Stop).
    A launch refused for its settings or data says why until the settings change."""
    job = jobs.current()
    running = job is not None and job.running
    if st.button(t("ft.launch"), type="primary", disabled=running or config is None, key="ft_launch"):
        try:
            config.validate()
            if config.source == "local":  # local files are read in a moment: say now what is wrong
                finetune.records(config)
            jobs.start(config, page)
        except data.DataError as err:
            st.session_state["ft_refused"] = (config, data_views.say(err))
        except finetune.ConfigError as err:
            st.session_state["ft_refused"] = (config, literal(err))
        except jobqueue.ClientLimit as err:
            st.session_state["ft_refused"] = (config, literal(queue_views.client_limit(err)))
        else:
            st.session_state.pop("ft_refused", None)
            st.rerun()  # redraw with the run under way: launch disabled, stop shown
    refused = st.session_state.get("ft_refused")
    if refused is not None and refused[0] == config:
        st.error(refused[1])  # escaped when stored: it names the data file, typed text


def render_live(page: str) -> None:
    """This session's run: live on the page that launched it (polling only while it runs), a note
    with a link on the other fine-tune pages."""
    job = jobs.current()
    if job is None:
        return
    if job.page != page:
        if job.running:
            where = "queue.waiting_elsewhere" if job.queued else "ft.running_elsewhere"
            st.info(t(where, task=registry.TASKS[job.config.task].name))
            st.page_link(
                f"app_pages/{job.page}.py", label=t(f"page.{job.page}"), icon=":material/arrow_forward:"
            )
        return
    with layout.still_bars("ft_live"):
        st.fragment(_live_progress, run_every=POLL_S if job.running else None)()
    st.fragment(_render_curves, run_every=CURVES_S if job.running else None)(job)


def _live_progress() -> None:
    job = jobs.current()
    if job is None:
        return
    if job.running and not job.stopping and st.button(t("ft.stop"), key="ft_stop"):
        job.stop()
    if job.left_queue or job.dropped:
        st.info(t("queue.left" if job.left_queue else "queue.dropped"))
    elif job.queued:
        queue_views.render_place(job.queue, job.ticket)
    else:
        _render_progress(job)
    if not job.running and st.session_state.get("ft_shown") != id(job):
        st.session_state["ft_shown"] = id(job)
        st.rerun()  # the whole page: final curves and results appear, polling stops


def _render_progress(job: jobs.Job) -> None:
    c = job.config
    st.caption(
        t(
            "ft.running_config",
            task=registry.TASKS[c.task].name,
            n=c.train_size,
            epochs=c.epochs,
            batch=c.batch_size,
            lr=c.learning_rate,
            head=c.head_lr_scale,
            dropout=c.dropout,
            length=c.max_length,
            frozen=t("ft.frozen") if c.freeze_embeddings else "",
        )
    )
    if job.error:
        st.error(t("ft.failed", error=literal(job.error)))
    last = job.progress[-1] if job.progress else None
    if job.stopping and job.running:
        st.info(t("ft.stopping"))
    if last is None:
        st.progress(0.0, t("ft.preparing"))
    else:
        eta = 0 if last.eta_s != last.eta_s else last.eta_s
        text = t("ft.progress", step=last.step, total=last.total_steps, rate=last.steps_per_s, eta=eta)
        st.progress(min(1.0, last.step / max(1, last.total_steps)), text)


def _curves(job: jobs.Job) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The loss curve and the evaluations as frames, rebuilt only when the run has reported news."""
    cached = st.session_state.get("ft_curves")
    key = (id(job), job.version, t("ft.step"))  # the language names a column
    if cached is not None and cached[0] == key:
        return cached[1]
    losses = pd.DataFrame(
        [(p.step, p.loss) for p in job.progress if p.loss is not None], columns=["step", "loss"]
    )
    evaluations = pd.DataFrame(
        [
            {t("ft.step"): p.step, "epoch": p.evaluation.epoch, **p.evaluation.metrics}
            for p in job.progress
            if p.evaluation
        ]
    )
    st.session_state["ft_curves"] = (key, (losses, evaluations))
    return losses, evaluations


def _render_curves(job: jobs.Job) -> None:
    losses, evaluations = _curves(job)
    if len(losses):
        chart = charts.loss_curve_chart(losses, t("ft.step"), t("ft.loss"))
        name = f"{job.config.task}_loss_curve"
        render_chart(chart, name, t("notice.ft_loss"), finished=not job.running, width="stretch")
    if len(evaluations):
        render_table(evaluations, hide_index=True)


def finished(page: str) -> tuple[finetune.FinetuneResult, jobs.Job] | None:
    """The result of this session's run launched from `page`, once it has ended."""
    job = jobs.current()
    if job is None or job.running or job.result is None or job.page != page:
        return None
    return job.result, job


def device_note() -> None:
    st.caption(t("ft.device", device=device.describe_device(device.pick_device())))
