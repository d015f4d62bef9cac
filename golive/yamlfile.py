"""Reading the YAML files a person writes (configs, scenarios) safely: UTF-8 only, bounded in
size, depth and alias expansion, no duplicate keys, and `extends:` and the files they name
only from inside the config directory. Every problem is a ConfigError naming file and line.
"""

from __future__ import annotations

import codecs
import math
from pathlib import Path
from typing import Any

import yaml

from golive.errors import ConfigError

# Configs and scenarios are a few kilobytes written by hand. The bounds below are far above any real
# one and far below what could exhaust memory, recursion or patience: each is checked while the file
# is read, before anything walks the document (validation, merging, hashing all walk it).

MAX_FILE_BYTES = 1 << 20
MAX_DEPTH = 32  # a scenario's policy conditions, the deepest real nesting, reach about 12
MAX_VALUES = 100_000  # counted with aliases expanded: what the validator would have to walk
MAX_EXTENDS = 10
MAX_NUMBER_CHARS = 30  # an unquoted account id has 12; int() of a huge one is slow, then refused
CONTAINMENT = "bases (extends), scenarios and zone files are read only from inside the config directory"

_JSON_TAGS = {f"tag:yaml.org,2002:{kind}" for kind in ("null", "bool", "int", "float", "str", "seq", "map")}


class _Refused(Exception):
    """Something in a YAML file golive will not read, at a place in that file."""

    def __init__(self, mark: yaml.Mark, problem: str) -> None:
        super().__init__(problem)
        self.mark = mark
        self.problem = problem


class _Loader(yaml.SafeLoader):
    """YAML as golive reads it: JSON's kinds of value, text keys, no key twice, bounded depth and size.

    Implicit timestamps are off too: `expires: 2026-12-15` stays the string the schema expects.
    """

    def __init__(self, text: str, path: Path) -> None:
        super().__init__(text)
        self.path = path
        self.depth = 0
        self.values = 0
        self.aliased = False
        self.open_anchors: set[str] = set()
        self.anchor_sizes: dict[str, int] = {}

    # Composing is where a document's shape is known before any object exists: an alias bomb is a
    # few hundred bytes of nodes that only explode once something walks the constructed tree.
    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            if event.anchor in self.open_anchors:
                raise _Refused(event.start_mark, f"alias *{event.anchor} sits inside the value it names (a loop)")
            self.aliased = True
            self._count(self.anchor_sizes.get(event.anchor, 1), event.start_mark)
            return super().compose_node(parent, index)
        nested = isinstance(event, yaml.CollectionStartEvent)
        if nested:
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise _Refused(
                    event.start_mark, f"lists and mappings nested more than {MAX_DEPTH} deep; expected a config"
                )
        before = self.values
        self._count(1, event.start_mark)
        anchor = event.anchor
        if anchor is not None:
            self.open_anchors.add(anchor)
        try:
            node = super().compose_node(parent, index)
        finally:
            if nested:
                self.depth -= 1
            if anchor is not None:
                self.open_anchors.discard(anchor)
        if anchor is not None:
            self.anchor_sizes[anchor] = self.values - before
        return node

    def _count(self, values: int, mark: yaml.Mark) -> None:
        self.values += values
        if self.values > MAX_VALUES:
            holds = "its aliases expand it to" if self.aliased else "it holds"
            raise _Refused(
                mark,
                f"the document is too large: {holds} more than {MAX_VALUES} values; expected a config"
                + (" (is it an alias bomb?)" if self.aliased else ""),
            )

    def construct_mapping(self, node: yaml.Node, deep: bool = False) -> dict[Any, Any]:
        # PyYAML keeps the last of two equal keys: a second `must_deny:` would silently drop the first.
        if isinstance(node, yaml.MappingNode):
            seen: dict[str, yaml.Mark] = {}
            for key_node, _ in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    continue  # `<<: *base` then overriding its keys is what merge keys are for
                if not isinstance(key_node, yaml.ScalarNode):
                    kind = "a list" if isinstance(key_node, yaml.SequenceNode) else "a mapping"
                    raise _Refused(key_node.start_mark, f"a key is {kind}; expected text")
                key = self.construct_object(key_node)
                if not isinstance(key, str):
                    raise _Refused(
                        key_node.start_mark,
                        f"key {shown(key_node.value)} reads as {kind_of(key)} in YAML; expected text: put it in quotes",
                    )
                if key in seen:
                    raise _Refused(
                        key_node.start_mark,
                        f"duplicate key {shown(key)}, first at {self.path}:{seen[key].line + 1}; "
                        "expected each key once (YAML would silently keep only the last)",
                    )
                seen[key] = key_node.start_mark
        return super().construct_mapping(node, deep=deep)

    def construct_bounded_int(self, node: yaml.ScalarNode) -> int:
        if len(node.value) > MAX_NUMBER_CHARS:
            raise _Refused(node.start_mark, f"a number of {len(node.value)} characters; expected a usual number")
        return self.construct_yaml_int(node)

    def construct_finite_float(self, node: yaml.ScalarNode) -> float:
        value = self.construct_yaml_float(node)
        if not math.isfinite(value):
            raise _Refused(node.start_mark, f"expected a finite number, found {shown(node.value)}")
        return value

    def construct_unsupported(self, node: yaml.Node) -> Any:
        tag = node.tag.replace("tag:yaml.org,2002:", "!!")
        raise _Refused(
            node.start_mark,
            f"the tag {shown(tag)} is not accepted; expected text, numbers, true/false, lists, mappings",
        )


_Loader.yaml_implicit_resolvers = {
    first: [r for r in resolvers if r[0] != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
# binary, set, omap, pairs and timestamps are YAML's, not JSON's: no schema or check expects them
_Loader.yaml_constructors = {tag: c for tag, c in yaml.SafeLoader.yaml_constructors.items() if tag in _JSON_TAGS}
_Loader.add_constructor("tag:yaml.org,2002:int", _Loader.construct_bounded_int)
_Loader.add_constructor("tag:yaml.org,2002:float", _Loader.construct_finite_float)
_Loader.add_constructor(None, _Loader.construct_unsupported)


def read_text(path: Path) -> str:
    """A file of the config directory as text: at most MAX_FILE_BYTES of UTF-8; raise ConfigError."""
    try:
        if not path.is_file():
            raise ConfigError(f"{path}: cannot read: {'not a regular file' if path.exists() else 'no such file'}")
        with path.open("rb") as stream:  # never more than the bound: /dev/zero behind a symlink ends here too
            data = stream.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if len(data) > MAX_FILE_BYTES:
        raise ConfigError(
            f"{path}: the file is larger than {MAX_FILE_BYTES // 1024} KiB; expected a YAML file of a few kilobytes"
        )
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        raise ConfigError(f"{path}: the file is UTF-32 encoded (byte-order mark); expected UTF-8: save it as UTF-8")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ConfigError(f"{path}: the file is UTF-16 encoded (byte-order mark); expected UTF-8: save it as UTF-8")
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]  # some Windows editors write one; it means UTF-8
    nul = data.find(b"\x00")
    if nul >= 0:
        raise ConfigError(
            f"{path}:{_byte_position(data, nul)}: a NUL byte; expected UTF-8 text (is it UTF-16 or binary?)"
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"{path}:{_byte_position(data, exc.start)}: byte 0x{data[exc.start]:02x} is not UTF-8; "
            "expected a UTF-8 file (a Latin-1 or Windows-1252 character? save the file as UTF-8)"
        ) from None


def _byte_position(data: bytes, offset: int) -> str:
    line = data.count(b"\n", 0, offset) + 1
    column = offset - data.rfind(b"\n", 0, offset)
    return f"{line}:{column}"


def read_yaml(path: Path, expected: str = "a mapping of keys") -> dict[str, Any]:
    """One YAML file's top-level mapping; raise ConfigError with its file:line for anything else."""
    text = read_text(path)
    loader = None
    try:
        loader = _Loader(text, path)  # the reader refuses unprintable characters here already
        doc = loader.get_single_data()
    except _Refused as exc:
        raise ConfigError(f"{path}:{exc.mark.line + 1}:{exc.mark.column + 1}: {exc.problem}") from None
    except yaml.MarkedYAMLError as exc:
        raise ConfigError(f"{path}{_yaml_problem(exc)}") from None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        column = exc.position - text.rfind("\n", 0, exc.position)
        code = ord(exc.character) if isinstance(exc.character, str) else exc.character
        raise ConfigError(
            f"{path}:{line}:{column}: the character U+{code:04X} is not allowed in YAML; expected printable text"
        ) from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: YAML error: {one_line(str(exc))}") from None
    finally:
        if loader is not None:
            loader.dispose()
    if doc is None:
        raise ConfigError(f"{path}: the file is empty or holds only comments; expected {expected}")
    if not isinstance(doc, dict):
        raise ConfigError(f"{path}: expected {expected} at the top level, found {kind_of(doc)}")
    return doc


def _yaml_problem(exc: yaml.MarkedYAMLError) -> str:
    mark = exc.problem_mark or exc.context_mark
    where = f":{mark.line + 1}:{mark.column + 1}" if mark else ""
    problem = exc.problem or exc.context or "malformed YAML"
    if exc.problem and exc.context:
        context_mark = exc.context_mark
        at = f" at line {context_mark.line + 1}" if context_mark and mark and context_mark.line != mark.line else ""
        problem = f"{problem} ({exc.context}{at})"
    return f"{where}: YAML syntax error: {one_line(problem)}"


def contained_file(root: Path, base: Path, name: str, where: str, what: str = "file") -> Path:
    """`name`, relative to `base` and resolved; a ConfigError naming `where` unless it is an existing
    file inside `root`."""
    problem = outside(root, base / name)
    if problem:
        raise ConfigError(f"{where}: {shown(name)} {problem}")
    found = (base / name).resolve()
    if not found.is_file():
        raise ConfigError(f"{where}: no such {what} {found}")
    return found


def outside(root: Path, target: Path) -> str | None:
    """Why `target` may not be read, or None when it resolves (symlinks followed) inside `root`.

    A base, a scenario or a zone file is part of what an environment says; one from elsewhere could
    silently redefine the account or the world it is checked against.
    """
    try:
        if "\x00" in str(target):
            raise ValueError("a NUL character")
        resolved = target.resolve()
    except (OSError, ValueError, RuntimeError):
        return "is not a usable file name"
    if resolved.is_relative_to(root.resolve()):
        return None
    return f"resolves to {resolved}, outside the config directory {root}; {CONTAINMENT}"


Origins = dict[tuple[str, ...], Path]


def origin(origins: Origins, key_path: tuple[str, ...]) -> Path:
    """The file that sets `key_path`, or else the nearest key above it (a file of the document
    where no key of the path is set)."""
    for length in range(len(key_path), -1, -1):
        if key_path[:length] in origins:
            return origins[key_path[:length]]
    return next(iter(origins.values()))


def load_with_bases(
    path: Path, *, root: Path, expected: str = "a mapping of keys", chain: tuple[Path, ...] = ()
) -> tuple[dict[str, Any], Origins, tuple[Path, ...]]:
    """Read a YAML file merged over the file its `extends:` names (recursively), with each key's file.

    `path` is resolved and inside `root`; every base must resolve inside `root` too (see `outside`).
    """
    if path in chain:
        cycle = " -> ".join(p.name for p in (*chain, path))
        raise ConfigError(f"{chain[-1]}: key 'extends': circular extends ({cycle})")
    if len(chain) >= MAX_EXTENDS:
        raise ConfigError(f"{chain[-1]}: key 'extends': more than {MAX_EXTENDS} files extend one another")
    doc = read_yaml(path, expected)
    own_origins = {key_path: path for key_path in _key_paths(doc)}
    base_name = doc.pop("extends", None)
    if base_name is None:
        return doc, own_origins, (path,)
    if not isinstance(base_name, str) or not base_name.strip():
        raise ConfigError(f"{path}: key 'extends': expected a file name, found {shown(base_name)}")
    base_path = contained_file(root, path.parent, base_name, f"{path}: key 'extends'")
    base, base_origins, files = load_with_bases(base_path, root=root, chain=(*chain, path))
    return _merge(base, doc), {**base_origins, **own_origins}, (path, *files)


def _key_paths(doc: Any, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    if not isinstance(doc, dict):
        return [prefix]
    paths = [prefix] if prefix else []
    for key, value in doc.items():
        paths.extend(_key_paths(value, (*prefix, str(key))))
    return paths


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Mappings merge key by key; any other value (lists included) replaces the base's."""
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def printable(text: str, limit: int) -> str:
    """Text for a one-line message: control characters escaped, at most `limit` characters."""
    if not text.isprintable():
        text = text.encode("unicode_escape").decode("ascii")
    return text if len(text) <= limit else f"{text[: limit - 1]}…"


def shown(value: Any, limit: int = 80) -> str:
    """A value as a message quotes it: its repr, on one line, cut short."""
    try:
        text = repr(value)
    except ValueError:  # an int too long for repr()
        text = f"<{type(value).__name__}>"
    return printable(text, limit)


def one_line(text: str) -> str:
    return printable(" ".join(text.split()), 300)


def kind_of(value: Any) -> str:
    kinds = {bool: "a boolean", int: "a number", float: "a number", str: "text", list: "a list", dict: "a mapping"}
    return "null" if value is None else kinds.get(type(value), f"a {type(value).__name__}")
