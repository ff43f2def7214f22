"""Figure 15 ready on arrival: ELECTRA's race at the tab's settings, kept per device and settings
(explorer/training/race_measure.py), drawn at once with where and when it ran. At the tab's default
settings, when nothing is kept, it trains in the background on the first visit (one measurement at a
time, in a slot of the job queue: explorer/measure/background.py), its steps and curves shown as it goes.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from explorer import limits
from explorer.measure import background, kept
from explorer.training import race_measure
from explorer.training.race_measure import RaceResult
from explorer.training.rtd_race import RaceConfig
from explorer.ui import cost_views, layout, projector
from explorer.ui.lang import t

PROGRESS_S = 2.0  # seconds between redraws of the background race's progress and curves
Draw = Callable[[RaceResult], None]


def render_kept_race(key: str, model_id: str, corpus_name: str, config: RaceConfig, draw: Draw) -> None:
    """The kept race of these settings with its device and date; at the default settings, when none
    is kept, the race training in the background; else nothing (the live run's Start is above)."""
    if corpus_name != race_measure.CORPUS:
        return  # CoLA or a visitor's own text: only the live run
    settings = race_measure.settings(model_id, corpus_name, config)
    index = (race_measure.WHAT, kept.this_cpu(), settings)
    found, job = background.kept_result(index, RaceResult), background.find(index)
    ahead = settings == race_measure.default_settings() and background.ahead()
    if found is None and job is None and ahead:
        job = background.start(index, race_measure.RaceMeasure(model_id, config), ahead=True)
    if job is not None and not job.finished:
        st.caption(t("cost.ahead"))
        with layout.still_bars(f"{key}_kept_progress"):
            st.fragment(_progress, run_every=PROGRESS_S)(job, key, draw)
    elif found is not None:
        st.caption(
            t("cost.kept_on", device=found.device, date=found.date)
            + " "
            + t("electra.race_kept_again", start=_where_start())
        )
        draw(found.result)
    elif job is not None and job.state == background.STOPPED and job.result is not None:
        done = {"step": job.result.step, "total": config.steps, "value": limits.current().run_seconds}
        done["start"] = _where_start()
        st.warning(t("limits.live_seconds" if job.limit else "electra.race_bg_stopped", **done))
        draw(job.result)
    elif job is not None and job.state == background.FAILED:
        st.error(t("cost.failed", error=job.error))


def _where_start() -> str:
    """Where the live run's Start is: above on the page; in the tour, in the folded inputs above."""
    if projector.on():
        return t("electra.race_start_tour", inputs=t("family.inputs"))
    return t("electra.race_start")


def _progress(job: background.Measurement, key: str, draw: Draw) -> None:
    """Steps done of all, time so far and left, a Stop, and the curves so far; the page redraws at the end."""

    def line() -> str:
        done = {"step": job.step, "total": job.total, "elapsed": job.elapsed, "left": job.left or 0.0}
        return t("electra.race_bg_progress", **done)

    if cost_views.render_progress(job, key, line) and job.total is not None and job.step >= job.total - 1:
        st.caption(t("electra.race_bg_probe"))  # the last step runs the probe too: some seconds
    cost_views.render_stop(job, f"{key}_kept_stop")
    run = getattr(job.runner, "run", None)
    if run is not None and run.history and job.state != background.WAITING:  # not a run that gave way
        draw(race_measure.snapshot(run))
