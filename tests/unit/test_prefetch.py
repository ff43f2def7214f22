"""The prefetch command, against a fake hub: what it fetches, which files, the sizes it says."""

from types import SimpleNamespace

from explorer import prefetch, registry


class FakeHub:
    """A hub whose every repo holds weights in three formats and tokenizer files; records downloads."""

    def __init__(self, safetensors: bool = True, missing: frozenset[str] = frozenset()):
        self.safetensors, self.missing, self.downloads = safetensors, missing, {}

    def model_info(self, repo_id, files_metadata=False):
        if repo_id in self.missing:
            raise OSError(f"404 Client Error: {repo_id} not found")
        files = {
            "config.json": 600,
            "vocab.txt": 230_000,
            "tf_model.h5": 500_000_000,
            "flax_model.msgpack": 5,
        }
        files |= {"model.safetensors": 440_000_000} if self.safetensors else {}
        files |= {"pytorch_model.bin": 440_000_000}
        return SimpleNamespace(siblings=[SimpleNamespace(rfilename=n, size=s) for n, s in files.items()])

    def download(self, repo_id, allow_patterns):
        self.downloads[repo_id] = allow_patterns


class FakeBuilder:
    prepared: list = []

    def __init__(self, path, config):
        self.name, self.info = (path, config), SimpleNamespace(download_size=1_000_000)

    def download_and_prepare(self):
        FakeBuilder.prepared.append(self.name)


def run(hub: FakeHub, saved: list | None = None, **kwargs) -> tuple[int, list[str]]:
    lines: list[str] = []
    FakeBuilder.prepared = []
    saved = [] if saved is None else saved

    def save(task):
        saved.append(task)
        return f"/cache/data/{task}"

    failed = prefetch.prefetch(
        prefetch.default_items(), hub, hub.download, FakeBuilder, say=lines.append, save=save, **kwargs
    )
    return failed, lines


def test_every_default_checkpoint_tokenizer_and_data_set_is_fetched():
    hub = FakeHub()
    failed, lines = run(hub)
    assert failed == 0
    assert {f.hub_id for f in registry.FAMILIES.values()} <= set(hub.downloads)
    assert {"klue/bert-base", "xlm-roberta-base"} <= set(hub.downloads)
    assert {
        (path, config or None) for path, config in (t.hub_dataset for t in registry.TASKS.values())
    } == set(FakeBuilder.prepared)


def test_only_the_files_the_app_reads_are_fetched_and_their_size_is_said():
    hub = FakeHub()
    _, lines = run(hub)
    assert hub.downloads["bert-base-uncased"] == ["config.json", "model.safetensors", "vocab.txt"]
    assert hub.downloads["klue/bert-base"] == ["config.json", "vocab.txt"]  # a tokenizer: no weights
    assert "model bert-base-uncased: 3 files, 440.2 MB" in lines
    assert lines[-1].startswith(
        f"fetched {len(prefetch.default_items())} of {len(prefetch.default_items())} items"
    )


def test_a_checkpoint_without_safetensors_gets_its_pytorch_file():
    hub = FakeHub(safetensors=False)
    run(hub)
    assert hub.downloads["gpt2"] == ["config.json", "pytorch_model.bin", "vocab.txt"]


def test_the_tasks_the_pages_read_from_files_are_saved_as_files_for_offline_use():
    saved: list[str] = []
    _, lines = run(FakeHub(), saved)
    assert saved == [t.key for t in registry.TASKS.values() if t.local] == ["cola", "squad"]
    assert "  CoLA saved for offline use in /cache/data/cola" in lines


def test_a_dry_run_says_the_sizes_and_fetches_nothing():
    hub = FakeHub()
    saved: list[str] = []
    _, lines = run(hub, saved, dry_run=True)
    assert hub.downloads == {} and FakeBuilder.prepared == [] and saved == []
    assert lines[-1].startswith("would fetch")


def test_a_repo_that_cannot_be_fetched_is_said_and_the_rest_go_on():
    hub = FakeHub(missing=frozenset({"gpt2"}))
    failed, lines = run(hub)
    assert failed == 1
    assert any("could not fetch gpt2: OSError: 404" in line for line in lines)
    assert "bert-base-uncased" in hub.downloads


def test_without_the_hub_the_command_says_so_and_fails(capsys):
    assert prefetch.main([]) == 1  # tests run with EXPLORER_OFFLINE=1
    assert "not reachable" in capsys.readouterr().out
