"""Property-based fuzzing of the config and scenario loaders: whatever a file holds, loading it ends
in a valid config or in one ConfigError line naming the file (and the key, where there is one) —
never another exception, never a hang.

Examples are derandomized (the same ones on every run, in CI too), few and small, and each is held
to a time limit that interrupts it (tests/timebox.py), so a hang fails the test instead of stalling it.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from timebox import within
from workspace import CONFIG

from golive.config import ConfigError, load_config
from golive.embedded.scenario import load_scenario

FUZZ = settings(
    max_examples=30,
    derandomize=True,
    database=None,  # nothing written to the repository; derandomize makes the examples reproducible
    deadline=None,  # `within` bounds each example instead: a deadline only reports after the example ends
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
EXAMPLE_SECONDS = 5

# JSON-shaped values, the kind a YAML config holds, of every type and a little nesting
leaves = (
    st.none()
    | st.booleans()
    | st.integers(-(10**15), 10**15)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=16)
    | st.sampled_from(["", "*", "caller", "ses:SendEmail", "../x.yaml", "/etc/passwd", "2999-12-31", "us-east-1"])
)
values = st.recursive(
    leaves,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)


@pytest.fixture(scope="module")
def config_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One copy of the project's config for every example (function-scoped tmp_path would be per test)."""
    target = tmp_path_factory.mktemp("fuzz") / "config"
    shutil.copytree(CONFIG, target)
    load_config("demo", target)  # the IAM catalogue and schemas load once, outside any example's time limit
    return target.resolve()


def key_paths(doc: Any, prefix: tuple = ()) -> list[tuple]:
    """Every key and list index of a document, parents before children."""
    children = doc.items() if isinstance(doc, dict) else enumerate(doc) if isinstance(doc, list) else ()
    paths = [prefix] if prefix else []
    for key, value in children:
        paths.extend(key_paths(value, (*prefix, key)))
    return paths


def replaced(doc: Any, path: tuple, value: Any) -> Any:
    if not path:
        return value
    copy = dict(doc) if isinstance(doc, dict) else list(doc)
    copy[path[0]] = replaced(doc[path[0]], path[1:], value)
    return copy


def named_key(message: str) -> str | None:
    """The key a message names, with list indices written as `.N` whichever way the message wrote them."""
    found = re.search(r": key '([^']*)'", message)
    return re.sub(r"\[(\d+)\]", r".\1", found.group(1)) if found else None


def assert_one_clear_line(error: ConfigError, config_dir: Path, file: Path) -> str:
    message = str(error)
    assert "\n" not in message and "Traceback" not in message, message
    assert len(message) < 1500, message
    # a broken `extends` can make the error another file's, but always one of the config directory
    assert message.startswith(str(file)) or message.startswith(str(config_dir)), message
    return message


def load_env(config_dir: Path, content: bytes | str) -> ConfigError | None:
    path = config_dir / "fuzz.yaml"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    try:
        with within(EXAMPLE_SECONDS):
            load_config("fuzz", config_dir)
    except ConfigError as error:
        assert_one_clear_line(error, config_dir, path)
        return error
    return None


def load_world(config_dir: Path, content: bytes | str) -> ConfigError | None:
    path = config_dir / "scenarios" / "fuzz.yaml"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    try:
        with within(EXAMPLE_SECONDS):
            load_scenario(path, root=config_dir)
    except ConfigError as error:
        assert_one_clear_line(error, config_dir, path)
        return error
    return None


DEMO = yaml.safe_load((CONFIG / "demo.yaml").read_text())
DEMO["waivers"] = [
    {"check": "test_principal_is_denied[api-*]", "reason": "until the fix", "ticket": "T-1", "expires": "2020-01-31"}
]
WORLD = yaml.safe_load((CONFIG / "scenarios" / "demo.yaml").read_text())


@FUZZ
@given(path=st.sampled_from(key_paths(DEMO)), value=values)
def test_any_value_at_any_key_of_a_config(config_dir, path, value):
    error = load_env(config_dir, yaml.safe_dump(replaced(DEMO, path, value), sort_keys=False))
    if error is not None and path[0] != "extends":
        message = str(error)
        assert message.startswith(f"{config_dir / 'fuzz.yaml'}"), message
        key = named_key(message)
        parent = ".".join(str(p) for p in path[:-1])
        # the replaced key, one inside it, or the list or mapping holding it (uniqueItems, required)
        assert key is None or key == "(top level)" or key.startswith(parent), (path, message)
        assert key is not None or ":" in message.split(": ", 1)[0], message  # no key: then a file:line


@FUZZ
@given(path=st.sampled_from(key_paths(WORLD)), value=values)
def test_any_value_at_any_key_of_a_scenario(config_dir, path, value):
    error = load_world(config_dir, yaml.safe_dump(replaced(WORLD, path, value), sort_keys=False))
    if error is not None and path[0] != "extends":
        key = named_key(str(error))
        parent = ".".join(str(p) for p in path[:-1])
        assert key is None or key == "(top level)" or key.startswith(parent), (path, str(error))


@FUZZ
@given(content=st.binary(max_size=512))
def test_random_bytes_are_never_a_config(config_dir, content):
    assert load_env(config_dir, content) is not None


@FUZZ
@given(content=st.binary(max_size=512))
def test_random_bytes_are_never_a_scenario(config_dir, content):
    # `version: 1` alone is a valid scenario: no 512 random bytes spell it
    assert load_world(config_dir, content) is not None


yaml_soup = st.text(alphabet=[*"{}[]:,-&*!|>'\"#%@`?~ \n\t\r\\ab01.", "\x00", "\ufeff", "é"], max_size=200)


@FUZZ
@given(content=yaml_soup)
def test_yaml_punctuation_soup(config_dir, content):
    assert load_env(config_dir, content) is not None


@settings(FUZZ, max_examples=12)  # a one-line flow nesting costs PyYAML's scanner ~0.3 s before it is refused
@given(
    depth=st.integers(1, 2000),
    style=st.sampled_from(["flow-list", "flow-map", "block-list", "block-map", "mixed"]),
)
def test_deep_nesting(config_dir, depth, style):
    if style == "flow-list":
        content = "a: " + "[" * depth + "]" * depth
    elif style == "flow-map":
        content = "a: " + "{a: " * depth + "1" + "}" * depth
    elif style == "mixed":
        content = "a: " + "[{a: " * depth + "1" + "}]" * depth
    else:
        item = "- " if style == "block-list" else "a: "
        content = "x:\n" + "".join(f"{'  ' * (i + 1)}{item}\n" for i in range(min(depth, 400)))
    assert load_env(config_dir, content) is not None
    assert load_world(config_dir, content) is not None


@settings(FUZZ, max_examples=20)
@given(levels=st.integers(1, 12), width=st.integers(1, 12), flow=st.booleans())
def test_alias_expansion(config_dir, levels, width, flow):
    lines = ["l0: &l0 [" + ", ".join(["lol"] * width) + "]"]
    for level in range(1, levels):
        aliases = [f"*l{level - 1}"] * width
        if flow:
            lines.append(f"l{level}: &l{level} [{', '.join(aliases)}]")
        else:
            lines.append(f"l{level}: &l{level}\n" + "".join(f"  - {a}\n" for a in aliases).rstrip("\n"))
    bombs = "\n".join(lines) + "\n"
    # as the value of keys something walks: the validator compares list items (uniqueItems), seeding dumps
    # policy documents to JSON
    last = f"*l{levels - 1}"
    config = f"{bombs}account_id: '123456789012'\nregions: {last}\nprincipals: {{api: {{must_allow: {last}}}}}\n"
    assert load_env(config_dir, config) is not None
    world = f"version: 1\n{bombs}iam: {{policies: {{p: {{Statement: {last}}}}}}}\n"
    error = load_world(config_dir, world)
    assert error is not None or width**levels <= 100_000
