"""Colliding names in an agent built from IR factories become distinct, safe identifiers, and
the package they are in passes ``mypy --strict``."""

from __future__ import annotations

import dataclasses
import inspect
from pathlib import Path

from build_support import mypy_strict
from emit_support import (
    Generated,
    agent_of,
    field,
    generate_package,
    make_importable,
    operation,
    q,
    xs,
)

from codegen.ir import (
    ComplexType,
    EnumType,
    EnumValue,
)


def test_colliding_names_become_distinct_safe_identifiers(
    importable: list[Generated], tmp_path: Path, warm_mypy: Path
) -> None:
    odd = ComplexType(
        q("class"),
        (
            field("Type", xs("string")),
            field("type", xs("int")),
            field("field", xs("string")),
            field("2nd", xs("string")),
            field("datetime", xs("dateTime")),
        ),
    )
    named_like_client = ComplexType(q("ThingAgent"), (field("Self", xs("string")),))
    kinds = EnumType(q("Kind"), (EnumValue("A", 1), EnumValue("AliasOfA", 1), EnumValue("B")))
    operations = (
        operation(
            "Path",
            (
                field("Self", xs("string")),
                field("Out", xs("string")),
                field("Body", xs("string")),
            ),
            (field("Response", q("class")),),
        ),
        operation("path", (field("Kind", q("Kind")),), (field("Response", q("Kind")),)),
        operation("Echo", (field("Value", q("ThingAgent")),)),
    )
    agent = agent_of((odd, named_like_client, kinds), operations)
    generated = make_importable(generate_package([agent], "collide", tmp_path), importable)
    models = generated.module("thing.models")
    fields = [f.name for f in dataclasses.fields(models.Class)]
    assert fields == ["type_", "type_2", "field_", "n2nd", "datetime_"]
    assert models.ThingAgent_2.__name__ == "ThingAgent_2"
    assert models.Kind.ALIAS_OF_A is models.Kind.A and models.Kind.B == 2
    assert models.format_kind(models.Kind.A) == "A"
    soap = generated.module("thing.soap")
    assert hasattr(soap.ThingAgent, "path") and hasattr(soap.ThingAgent, "path_2")
    parameters = inspect.signature(soap.ThingAgent.path).parameters
    assert list(parameters) == ["self", "self_", "out_", "body_"]
    result = mypy_strict("collide", tmp_path, warm_mypy)
    assert result.returncode == 0, result.stdout
