"""Load an agreement file, and say exactly where it is wrong when it is."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from sulh.agreement.alert_rules import RULE_KINDS, alert_rule_problems
from sulh.agreement.model import Agreement
from sulh.errors import AgreementInvalid

Location = tuple[str | int, ...]
MAX_AGREEMENT_BYTES = 2 * 1024 * 1024


class _Loader(yaml.SafeLoader):
    """A safe loader that refuses duplicate keys, which plain YAML silently overwrites."""


def _construct_mapping(loader: _Loader, node: yaml.MappingNode, deep: bool = False) -> Any:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if not isinstance(key, str | int | float | bool) and key is not None:
            raise yaml.constructor.ConstructorError(
                None, None, "mapping keys must be plain values", key_node.start_mark
            )
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
# Keep timestamps as text: pydantic parses them, and keeps their UTC offsets.
_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _lines(node: yaml.Node, path: Location = ()) -> Iterator[tuple[Location, int]]:
    yield path, node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key_path = (*path, key_node.value)
            yield key_path, key_node.start_mark.line + 1
            for sub_path, line in _lines(value_node, key_path):
                if sub_path != key_path:
                    yield sub_path, line
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            yield from _lines(item, (*path, index))


def _line_of(lines: dict[Location, int], loc: Location) -> int:
    for end in range(len(loc), -1, -1):
        if loc[:end] in lines:
            return lines[loc[:end]]
    return 1


def _field_name(loc: Location) -> str:
    return ".".join(str(part) for part in loc) or "(top level)"


def parse_agreement(text: str, *, source: str = "<agreement>") -> Agreement:
    """Parse and validate agreement YAML; raise AgreementInvalid listing every problem."""
    try:
        node = yaml.compose(text, Loader=_Loader)
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 1 if mark else 1
        problem = getattr(exc, "problem", None) or str(exc)
        raise _invalid(source, [(line, "(yaml)", f"not valid YAML: {problem}")]) from None
    if not isinstance(data, dict) or node is None:
        raise _invalid(source, [(1, "(top level)", "an agreement file must be a YAML mapping")])
    lines = dict(_lines(node))
    try:
        agreement = Agreement.model_validate(data)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            loc = tuple(part for part in error["loc"] if not _is_union_tag(part))
            problems.append((_line_of(lines, loc), _field_name(loc), error["msg"]))
        raise _invalid(source, problems) from None
    problems = [
        (_line_of(lines, loc), _field_name(loc), message)
        for loc, message in cross_reference_problems(agreement)
    ]
    if problems:
        raise _invalid(source, problems)
    return agreement


def _is_union_tag(part: str | int) -> bool:
    return part in ("Point", "LineString") or part in RULE_KINDS


def load_agreement(path: Path) -> Agreement:
    """Read and validate an agreement file."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise AgreementInvalid(
            f"{path}: cannot read the agreement file ({exc.strerror})."
        ) from None
    if size > MAX_AGREEMENT_BYTES:
        raise _invalid(str(path), [(1, "(file)", f"file is {size} bytes, over the 2 MiB limit")])
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise _invalid(str(path), [(1, "(file)", "file is not UTF-8 text")]) from None
    return parse_agreement(text, source=str(path))


def _invalid(source: str, problems: list[tuple[int, str, str]]) -> AgreementInvalid:
    problems.sort()
    details = [
        {"file": source, "line": line, "field": field, "message": msg}
        for line, field, msg in problems
    ]
    first = details[0]
    more = f" (and {len(details) - 1} more)" if len(details) > 1 else ""
    return AgreementInvalid(
        f"{source}:{first['line']}: {first['field']}: {first['message']}{more}", details=details
    )


def _duplicates(ids: list[str]) -> set[str]:
    seen: set[str] = set()
    return {i for i in ids if i in seen or seen.add(i)}  # type: ignore[func-returns-value]


def cross_reference_problems(agreement: Agreement) -> list[tuple[Location, str]]:
    """Problems no single field shows: duplicate ids and references to unknown ids."""
    problems: list[tuple[Location, str]] = []
    parties = set(agreement.party_ids())
    everyone = [p.id for p in agreement.parties] + [g.id for g in agreement.guarantors]
    for section, ids in (
        ("parties", everyone),
        ("actors", [a.id for a in agreement.actors]),
        ("clauses", agreement.clause_ids()),
        ("zones", [z.id for z in agreement.zones]),
        ("commitments", [c.id for c in agreement.commitments]),
    ):
        for dup in sorted(_duplicates(ids)):
            problems.append(((section,), f"id {dup!r} is used more than once"))
    party_list = ", ".join(sorted(parties))
    for i, actor in enumerate(agreement.actors):
        if actor.id in everyone:
            problems.append((("actors", i, "id"), f"id {actor.id!r} is already a party's id"))
        if actor.answerable is not None and actor.answerable not in parties:
            problems.append(
                (
                    ("actors", i, "answerable"),
                    f"party {actor.answerable!r} is not a party (parties: {party_list})",
                )
            )
    for i, clause in enumerate(agreement.clauses):
        for j, party in enumerate(clause.binds):
            if party not in parties:
                problems.append(
                    (
                        ("clauses", i, "binds", j),
                        f"party {party!r} is not a party (parties: {party_list})",
                    )
                )
    for i, zone in enumerate(agreement.zones):
        for j, party in enumerate(zone.parties):
            if party not in parties:
                problems.append((("zones", i, "parties", j), f"party {party!r} is not a party"))
    clause_ids = set(agreement.clause_ids())
    crossings = {z.id for z in agreement.zones if z.kind == "crossing"}
    for i, commitment in enumerate(agreement.commitments):
        if commitment.party not in parties:
            problems.append(
                (("commitments", i, "party"), f"party {commitment.party!r} is not a party")
            )
        if commitment.clause is not None and commitment.clause not in clause_ids:
            problems.append(
                (("commitments", i, "clause"), f"clause {commitment.clause!r} is not defined")
            )
        if commitment.crossing is not None and commitment.crossing not in crossings:
            problems.append(
                (("commitments", i, "crossing"), f"{commitment.crossing!r} is not a crossing zone")
            )
    if agreement.witnesses is not None:
        policy = agreement.witnesses
        names = [w.name for w in policy.members]
        for dup in sorted(_duplicates(names)):
            problems.append((("witnesses", "members"), f"witness {dup!r} is listed more than once"))
        for i, witness in enumerate(policy.members):
            if witness.member not in everyone:
                problems.append(
                    (
                        ("witnesses", "members", i, "member"),
                        f"{witness.member!r} is neither a party nor a guarantor",
                    )
                )
        if policy.routine_quorum > len(policy.members):
            problems.append(
                (
                    ("witnesses", "routine_quorum"),
                    f"quorum {policy.routine_quorum} exceeds the {len(policy.members)} witnesses",
                )
            )
    if agreement.decision.quorum > max(len(agreement.guarantors), 1):
        problems.append(
            (
                ("decision", "quorum"),
                f"quorum {agreement.decision.quorum} exceeds the "
                f"{len(agreement.guarantors)} guarantors",
            )
        )
    problems.extend(alert_rule_problems(agreement))
    return problems
