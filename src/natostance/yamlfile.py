"""YAML files a user hands us (``raw/sources.yaml``), read safely and checked against a JSON Schema.

``load(path, schema_id)`` decodes UTF-8 (naming the first bad byte), parses with PyYAML's safe loader
(no Python tags), refuses a document whose aliases add more than ``MAX_ALIASED`` values once expanded (an
alias bomb of a few hundred bytes would otherwise fill memory and time when printed or walked), turns YAML dates into ISO
strings and keys into strings (the JSON view a schema describes), and validates it. Every error names
the file and the line of the offending value: ``sources.yaml:12: split_rule: expected …, found …``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml

from natostance.errors import InputError, ManyErrors
from natostance.guard import MAX_PER_KIND, decode, shown

MAX_ALIASED = 100_000  # values that aliases may add to a document once expanded
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's parser where PyYAML was built with it


def load(path: Path, schema_id: str, where: str | None = None) -> tuple[Any, str]:
    """(document as JSON-like data, the file's text) of a YAML file valid against ``schema_id``."""
    where = where or str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise InputError(where, f"expected a readable YAML file, found {exc.strerror or exc}") from None
    text = decode(data, where)
    loader = _LOADER(text)
    try:
        node = loader.get_single_node()
        if node is not None:
            memo: dict[int, int] = {}
            size = _expanded(node, memo, set(), where)
            if size - len(memo) > MAX_ALIASED:
                raise InputError(where, f"expected aliases that add at most {MAX_ALIASED:,} values once expanded, "
                                        f"found {_count(size - len(memo))} more values (an alias bomb?)")
        doc = _construct(loader, node, where) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        at = f"{where}:{mark.line + 1}" if mark else where
        raise InputError(at, f"expected YAML, found {shown(exc.problem or str(exc), 120)[1:-1]}") from None
    except yaml.YAMLError as exc:
        raise InputError(where, f"expected YAML, found {shown(str(exc), 120)[1:-1]}") from None
    except RecursionError:
        raise InputError(where, "expected YAML nested a few levels deep, found deeper nesting") from None
    finally:
        loader.dispose()
    doc = _jsonable(doc)
    problems = _problems(schema_id, doc, node, where)
    if problems:
        raise ManyErrors(problems[:MAX_PER_KIND] + ([f"{where}: {len(problems) - MAX_PER_KIND:,} more problem(s) "
                                                     "not listed"] if len(problems) > MAX_PER_KIND else []),
                         f"{where}: {len(problems)} problem(s)")
    return doc, text


def _count(n: int) -> str:
    return f"{n:,}" if n < 10 ** 18 else shown(n)


def _expanded(node: yaml.Node, memo: dict[int, int], busy: set[int], where: str) -> int:
    """How many values ``node`` stands for with every alias expanded (shared nodes counted each time); ``memo``
    ends up holding one entry per distinct node. Linear in the distinct nodes, whatever the expansion."""
    key = id(node)
    if key in memo:
        return memo[key]
    if key in busy:
        raise InputError(f"{where}:{node.start_mark.line + 1}", "expected YAML without recursive aliases, found one")
    busy.add(key)
    total = 1
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            total += _expanded(k, memo, busy, where) + _expanded(v, memo, busy, where)
    elif isinstance(node, yaml.SequenceNode):
        for v in node.value:
            total += _expanded(v, memo, busy, where)
    busy.discard(key)
    memo[key] = total
    return total


def _construct(loader, node: yaml.Node, where: str) -> Any:
    """The document's data; a scalar that its tag cannot make (a date 2022-13-01) is named with its line."""
    try:
        return loader.construct_document(node)
    except (ValueError, TypeError, OverflowError) as exc:
        loader.constructed_objects, loader.recursive_objects = {}, {}  # the failed pass left them half-filled
        stack = [node]
        while stack:
            n = stack.pop()
            if isinstance(n, yaml.ScalarNode):
                try:
                    loader.construct_object(n, deep=True)
                except (ValueError, TypeError, OverflowError):
                    raise InputError(f"{where}:{n.start_mark.line + 1}", f"expected a valid {n.tag.rsplit(':', 1)[-1]}, "
                                     f"found {shown(n.value)} ({shown(str(exc), 80)[1:-1]})") from None
            elif isinstance(n, yaml.MappingNode):
                stack.extend(x for kv in reversed(n.value) for x in reversed(kv))
            elif isinstance(n, yaml.SequenceNode):
                stack.extend(reversed(n.value))
        raise InputError(where, f"expected YAML values that can be read, found {shown(str(exc), 80)[1:-1]}") from None


def _jsonable(value: Any) -> Any:
    """YAML's extra types as JSON would have them: dates as ISO strings, keys as strings."""
    if isinstance(value, dict):
        return {(k.isoformat() if isinstance(k, dt.date) else str(k)) if not isinstance(k, str) else k: _jsonable(v)
                for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date):  # datetime too
        return value.isoformat()
    return value


def _line(node: yaml.Node | None, path, extra_key: str | None = None) -> int | None:
    """1-based line of the value at ``path`` (keys and indices) in the composed document, or of its key
    ``extra_key`` when given."""
    for step in path:
        if isinstance(node, yaml.MappingNode):
            node = next((v for k, v in node.value if getattr(k, "value", None) == str(step)), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
            node = node.value[step]
        else:
            return None
        if node is None:
            return None
    if extra_key is not None and isinstance(node, yaml.MappingNode):
        key = next((k for k, _ in node.value if getattr(k, "value", None) == extra_key), None)
        node = key or node
    return node.start_mark.line + 1 if node is not None else None


def _problems(schema_id: str, doc: Any, node: yaml.Node | None, where: str) -> list[str]:
    from natostance.evaluation.schemas import describe, validator
    from natostance.records import ref_validator

    if ref_validator(schema_id).is_valid(doc):  # the compiled validator; the slow one only words the errors
        return []
    out = []
    errors = [x for e in validator(schema_id).iter_errors(doc) for x in _branch(e)]
    for e in sorted(errors, key=lambda e: (list(map(str, e.absolute_path)), e.validator)):
        extra = None
        if e.validator == "additionalProperties" and isinstance(e.instance, dict):
            extra = next((k for k in e.instance if k not in e.schema.get("properties", {})), None)
        line = _line(node, e.absolute_path, extra)
        at = f"{where}:{line}" if line else where
        out.append(f"{at}: {describe(e) if e.absolute_path else describe(e).removeprefix('row: ')}")
        if len(out) > 10 * MAX_PER_KIND:
            break
    return list(dict.fromkeys(out))


def _branch(error) -> list:
    """An ``anyOf`` error replaced by the errors of the one branch whose type the value has (``split_rule: {…}``
    with a misspelt key is about that key, not 'expected object or null')."""
    if error.validator not in ("anyOf", "oneOf") or not error.context:
        return [error]
    by_branch: dict[int, list] = {}
    for sub in error.context:
        by_branch.setdefault(sub.schema_path[0], []).append(sub)
    typed = [errs for errs in by_branch.values()
             if not any(e.validator in ("type", "const", "enum") and not e.relative_path for e in errs)]
    if len(typed) != 1:
        return [error]
    return [x for sub in typed[0] for x in _branch(sub)]
