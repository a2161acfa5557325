"""A scenario file read safely: its bytes (at most ``MAX_FILE_BYTES``, UTF-8) and its YAML (plain mappings,
lists and scalars; no anchors, aliases or merge keys; bounded in values and depth), each refusal a
ScenarioError naming the file, with the line and column where the YAML says it. ``scenario`` validates
the value."""

from __future__ import annotations

import functools
from pathlib import Path

from .errors import Issue, ScenarioError, short

# A scenario file is a few hundred bytes; these limits refuse a hostile or mistaken document
# (a "billion laughs" of aliases, megabytes of keys, nesting hundreds deep) before it is built.
MAX_FILE_BYTES = 100_000


MAX_YAML_NODES = 5_000


MAX_YAML_DEPTH = 10


class _Refused(Exception):
    """A YAML construct a scenario file may not use, at a position of the file."""

    def __init__(self, mark, got: str, allowed: str):
        self.mark, self.got, self.allowed = mark, got, allowed
        super().__init__(got)


@functools.lru_cache(maxsize=1)
def _scenario_loader():
    """A safe YAML loader for scenario files: plain mappings, lists and scalars only.

    Refused, with the line and column: anchors and aliases (``&a``, ``*a``: a few hundred
    bytes of them can stand for billions of values), merge keys (``<<``, useless without
    aliases), keys that are lists or mappings, a key given twice, more than MAX_YAML_NODES
    values or nesting deeper than MAX_YAML_DEPTH. Checks run while the document is composed,
    before any value is built.
    """
    import yaml

    merge_tag = "tag:yaml.org,2002:merge"

    class ScenarioLoader(yaml.SafeLoader):
        def compose_document(self):
            self.simlib_nodes, self.simlib_depth = 0, 0
            return super().compose_document()

        def compose_node(self, parent, index):
            event = self.peek_event()
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise _Refused(
                    event.start_mark,
                    "a YAML anchor or alias (&name, *name)",
                    "every value written out (anchors and aliases are not accepted)",
                )
            self.simlib_nodes += 1
            if self.simlib_nodes > MAX_YAML_NODES:
                raise _Refused(
                    event.start_mark,
                    f"more than {MAX_YAML_NODES} values",
                    f"a scenario of at most {MAX_YAML_NODES} values",
                )
            self.simlib_depth += 1
            if self.simlib_depth > MAX_YAML_DEPTH:
                raise _Refused(
                    event.start_mark,
                    f"values nested more than {MAX_YAML_DEPTH} deep",
                    f"nesting at most {MAX_YAML_DEPTH} deep (a scenario needs 5)",
                )
            try:
                return super().compose_node(parent, index)
            finally:
                self.simlib_depth -= 1

        def construct_mapping(self, node, deep=False):
            seen = set()
            for key_node, _ in node.value:
                if key_node.tag == merge_tag:
                    raise _Refused(
                        key_node.start_mark,
                        "a merge key (<<)",
                        "every field written out (merge keys, anchors and aliases are not accepted)",
                    )
                if not isinstance(key_node, yaml.ScalarNode):
                    raise _Refused(
                        key_node.start_mark,
                        "a key that is a list or mapping",
                        "plain keys: field names, lever names or years",
                    )
                key = self.construct_object(key_node, deep=deep)
                if key in seen:
                    raise _Refused(
                        key_node.start_mark,
                        f"duplicate key {short(key)}",
                        "valid YAML with each key once (the first value would be lost)",
                    )
                seen.add(key)
            return super().construct_mapping(node, deep=deep)

    return ScenarioLoader


def read_text(path: Path, where: str) -> str:
    """The file's text (UTF-8, a byte-order mark allowed); ScenarioError if it cannot be read."""
    if not path.is_file():
        raise ScenarioError(Issue(where, "missing file", "an existing scenario YAML file"), context=where)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ScenarioError(
                Issue(where, f"a file of {size:,} bytes", f"a scenario file of at most {MAX_FILE_BYTES:,} bytes"),
                context=where,
            )
        with path.open("rb") as handle:
            blob = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise ScenarioError(
            Issue(
                where, f"unreadable ({type(exc).__name__}: {exc.strerror or exc})", "a scenario YAML file you may read"
            ),
            context=where,
        ) from None
    if len(blob) > MAX_FILE_BYTES:
        raise ScenarioError(
            Issue(
                where,
                f"a file of more than {MAX_FILE_BYTES:,} bytes",
                f"a scenario file of at most {MAX_FILE_BYTES:,} bytes",
            ),
            context=where,
        )
    try:
        return blob.decode("utf-8-sig")
    except UnicodeDecodeError as exc:  # the bytes that are not UTF-8, as given (no words in any language)
        raise ScenarioError(
            Issue(f"{where} byte {exc.start + 1}", blob[exc.start : exc.start + 8], "a UTF-8 YAML file"), context=where
        ) from None


def parse_yaml(text: str, where: str):
    """The plain value of a scenario YAML document; ScenarioError (with line and column) if refused."""
    import yaml

    if len(text) > MAX_FILE_BYTES:
        raise ScenarioError(
            Issue(where, f"a text of {len(text):,} characters", f"a scenario of at most {MAX_FILE_BYTES:,} characters"),
            context=where,
        )
    try:
        return yaml.load(text, Loader=_scenario_loader())
    except _Refused as exc:
        at = f" line {exc.mark.line + 1} column {exc.mark.column + 1}" if exc.mark else ""
        raise ScenarioError(Issue(f"{where}{at}", exc.got, exc.allowed), context=where) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" line {mark.line + 1} column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ScenarioError(
            Issue(f"{where}{at}", problem, "valid YAML (a mapping of scenario fields)"), context=where
        ) from None
    except (ValueError, TypeError, RecursionError) as exc:  # e.g. a number too long to convert
        raise ScenarioError(
            Issue(where, f"{type(exc).__name__}: {exc}", "valid YAML (a mapping of scenario fields)"), context=where
        ) from None
