"""The model field of a page and the cached model behind it, with its source said in the sidebar."""

from __future__ import annotations

import streamlit as st

from explorer import device, hub, offline, registry
from explorer.models import MAX_ID_CHARS, BadModelId, Loaded, model_place
from explorer.ui import getters, layout, projector, trained_heads
from explorer.ui.lang import t
from explorer.ui.markdown import literal


def render_model_field(family_key: str, key: str | None = None) -> str:
    """A model box (hub id or local folder) for a family, defaulting to its real checkpoint.

    Text that is neither a folder here nor a hub id gets one clear message and the default model.
    """
    family = registry.family(family_key)
    key = key or f"model_{family_key}"
    chosen = _checked_id(family, key)
    st.session_state[f"{key}_chosen"] = chosen
    return chosen


def chosen_model_id(family_key: str, key: str) -> str:
    """What the model field drawn earlier in this run (under `key`) resolved to: never unchecked text."""
    return st.session_state.get(f"{key}_chosen") or registry.family(family_key).hub_id


def _field_label(family: registry.Family, key: str) -> str:
    """The field's label; offline, with the default asked for, it names the packaged model that runs."""
    packaged = family.packaged
    if layout.online() or packaged is None or st.session_state.get(key, family.hub_id) != family.hub_id:
        return t("model.field", family=family.name)
    if offline.packaged_path(packaged.package, packaged.path) is None:
        return t("model.field", family=family.name)
    return t("model.field_offline", family=family.name, name=packaged.name, default=family.hub_id)


def _checked_id(family: registry.Family, key: str) -> str:
    typed = st.text_input(
        _field_label(family, key),
        value=family.hub_id,
        key=key,
        help=t("model.help"),
        max_chars=MAX_ID_CHARS,
    ).strip()
    return checked_id(family, typed)


def checked_id(family: registry.Family, typed: str) -> str:
    """`typed` when it is a folder here or a well-formed hub id that the server allows (size cap,
    allowlist: explorer.hub.check_model); else one clear message and the default."""
    if not typed:
        return family.hub_id
    try:
        model_place(typed)
    except BadModelId as err:
        st.error(t(f"model.bad_{err.kind}", name=literal(err.shown), default=family.hub_id))
        return family.hub_id
    except hub.ModelRefused as err:
        size, limit = (
            f"{n / 1e9:,.1f} GB" if n >= 1e8 else f"{n / 1e6:,.1f} MB" for n in (err.size, err.limit)
        )
        name = literal(typed if len(typed) <= 60 else f"{typed[:57]}...")
        st.error(t(f"model.refused_{err.kind}", name=name, size=size, limit=limit, default=family.hub_id))
        return family.hub_id
    return typed


def loaded(family_key: str, head: str, model_id: str, label: str) -> Loaded | None:
    """The cached model for one head; its source goes to the sidebar. None (with a message) on failure."""
    try:
        with st.spinner(t("model.loading", name=literal(model_id))):
            result = getters.get_model(family_key, head, model_id, layout.online(), device.pick_device())
    except Exception as err:  # a broken folder or checkpoint: say so, keep the page alive
        st.error(t("model.error", name=literal(model_id), error=literal(err)))
        return None
    layout.render_source(label, result.source, result.device_note)
    with projector.notes():  # in the tour, folded with the inputs: the figure comes first
        st.caption(layout.describe(result.source))
        if result.tokenizer_source.name != result.source.name:
            st.caption(t("model.tokenizer_source", source=layout.describe(result.tokenizer_source)))
        if result.device_note:
            st.warning(t("model.device_fallback", device=device.pick_device(), note=result.device_note))
        if result.source.trained_heads:
            trained_heads.render_note(label)
        elif result.source.random_head:
            st.info(t("model.random_head_note", label=label, n=len(result.source.new_weights)))
        elif not result.source.pretrained:
            st.info(t("model.random_note", label=label))
    return result


def tokenizer_for(family_key: str, model_id: str, label: str):
    """The cached tokenizer of a family (or of model_id), its source said in the sidebar and under it."""
    tokenizer, source = getters.get_tokenizer(family_key, model_id, layout.online())
    layout.render_source(label, source)
    with projector.notes():
        st.caption(layout.describe(source))
    return tokenizer


def attention_for(family_key: str, head: str, model_id: str, text: str, pair: str | None = None):
    """Cached attention maps (see getters.get_attention) with errors turned into a message."""
    try:
        return getters.get_attention(
            family_key, head, model_id, layout.online(), device.pick_device(), text, pair
        )
    except ValueError as err:  # the text: nothing to read, or more than the model takes
        st.error(literal(err))
        return None
    except Exception as err:  # the model: a broken folder or checkpoint; the page keeps running
        st.error(t("model.error", name=literal(model_id), error=literal(err)))
        return None
