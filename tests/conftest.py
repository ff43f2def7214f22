"""Tests run offline and on the CPU unless asked otherwise: the hub is never waited for."""

import os
import tempfile

if os.environ.get("EXPLORER_TEST_ONLINE") != "1":
    os.environ["EXPLORER_OFFLINE"] = "1"
    os.environ["HF_HUB_OFFLINE"] = "1"
os.environ.setdefault("EXPLORER_DEVICE", "cpu")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
# Measurements: kept in a folder of this test run's own (never the cache's, where a person's server
# keeps them), and measured only when a test asks (a page's first visit does not start one).
os.environ.setdefault("EXPLORER_MEASUREMENTS", tempfile.mkdtemp(prefix="explorer-measurements-"))
os.environ.setdefault("EXPLORER_MEASURE_AHEAD", "0")

import pytest  # noqa: E402

from explorer import models, registry  # noqa: E402

os.environ.setdefault("EXPLORER_DATA", str(registry.SHARED_DATA))  # the tests' data: ../shared/data


@pytest.hookimpl(tryfirst=True)
def pytest_xdist_make_scheduler(config, log):
    """make test's workers (pytest-xdist -n): the long tests first, longest first (tests/schedule.py)."""
    from tests.schedule import longest_first_scheduler

    return longest_first_scheduler(config, log)


@pytest.fixture(scope="session", autouse=True)
def allowed_paths(tmp_path_factory):
    """The app's default roots plus pytest's tmp folders, which tests use as a folder a visitor may
    name; tests of the roots themselves set EXPLORER_ALLOWED_PATHS with monkeypatch."""
    from explorer import paths

    roots = [*paths.default_roots(), tmp_path_factory.getbasetemp()]
    os.environ.setdefault(paths.ENV, os.pathsep.join(str(root) for root in roots))


@pytest.fixture(scope="session")
def bert_tokenizer():
    """bert-base-uncased's real WordPiece tokenizer (from the packaged MiniLM when offline)."""
    tok, _ = models.load_tokenizer(registry.family("bert"))
    return tok


@pytest.fixture(scope="session")
def gpt2_tokenizer():
    """GPT-2's real byte-level BPE tokenizer (from the packaged encoder.json / vocab.bpe)."""
    tok, _ = models.load_tokenizer(registry.family("gpt2"))
    return tok
