"""The warm-up resolves every transformers class the registry names, once, safely from many threads."""

import re
import subprocess
import sys
import textwrap
from pathlib import Path

from explorer import registry, warmup


def test_every_class_the_registry_names_is_resolved():
    names = set(warmup.warm_up())
    for family in registry.FAMILIES.values():
        assert {family.config_class, *family.heads.values()} <= names
    assert set(registry.HEAD_AUTO.values()) <= names
    assert {"AutoTokenizer", "GPT2Tokenizer", "BertModel", "LlamaForCausalLM"} <= names


def test_every_name_explorer_imports_from_transformers_is_warmed_up():
    """A new `from transformers import X` anywhere in explorer/ must be resolved by the warm-up too."""
    source = "\n".join(p.read_text() for p in Path(warmup.__file__).parent.rglob("*.py"))
    imported = set()
    pattern = r"from transformers import (?:\(([^)]*)\)|([\w ,]+)$)"
    for grouped, inline in re.findall(pattern, source, flags=re.MULTILINE):
        names = grouped or inline
        imported |= {name.strip() for name in names.split(",") if name.strip()}
    imported |= set(re.findall(r"transformers\.([A-Z]\w+)", source))
    assert imported - set(warmup.warm_up()) == set()


def test_sessions_starting_together_all_find_transformers_ready():
    """Eight threads of a fresh interpreter warm up at once, then import as pages do: none fails."""
    script = textwrap.dedent(
        """
        import threading
        from explorer import warmup
        errors = []
        def session():
            try:
                warmup.warm_up()
                from transformers import AutoTokenizer, GPT2Model, BertForMaskedLM  # noqa: F401
            except Exception as err:
                errors.append(repr(err))
        threads = [threading.Thread(target=session) for _ in range(8)]
        [t.start() for t in threads]
        [t.join() for t in threads]
        print("errors:", errors)
        raise SystemExit(1 if errors else 0)
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
