"""Sample JSON bodies of every entity endpoint: ``samples/entity/<folder>/<Name>.request.json``
and ``.response.json``, as ``codegen.emit.rest.samples`` makes them for the REST methods
(the page's sample where it is valid for the types, else one made from them), with two
shapes of their own: a PATCH's JSON Patch, whose operations must name fields of the model
patched (the pages' samples name lorem words: such operations are dropped, and a
``replace`` of the model's first field is made when none is left), and an OData list's
page of rows, which are JSON of any shape.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from codegen.emit.entity.view import pageable
from codegen.emit.flavour import Files
from codegen.emit.rest.samples import MISSING, RestSampler, documented, sample_text
from codegen.ir import ComplexType, EntityEndpoint, Field, TypeDef, all_fields

EMPTY_PAGE: dict[str, list[Any]] = {"value": []}
"""An OData list's answer where the page documents none."""


class EntitySampler:
    """The JSON samples of an agent's entity endpoints, one endpoint at a time, from
    ``types`` (the agent's, then its entity-only ones). What an endpoint's samples hold
    depends on the endpoint and ``types`` alone (``codegen.emit.entity.flavour`` keys its
    cache on those)."""

    def __init__(self, types: Iterable[TypeDef]) -> None:
        self.rest = RestSampler(types)

    def files(self, entity: EntityEndpoint) -> Files:
        """The endpoint's sample files, by path in the agent's folder."""
        stem = f"samples/entity/{entity.folder}/{entity.name}"
        samples = {"request": self.request(entity), "response": self.response(entity)}
        return {
            f"{stem}.{kind}.json": sample_text(value)
            for kind, value in samples.items()
            if value is not MISSING
        }

    def request(self, entity: EntityEndpoint) -> Any:
        model = self.patched(entity)
        if model is None:
            return self.rest.request(entity.rest)
        return self.patch(model, documented(entity.rest.sample_request))

    def response(self, entity: EntityEndpoint) -> Any:
        if not pageable(entity):
            return self.rest.response(entity.rest)
        sample = documented(entity.rest.sample_response)
        rows = sample.get("value") if isinstance(sample, dict) else None
        if isinstance(rows, list) and all(isinstance(row, dict) for row in rows):
            return sample
        return EMPTY_PAGE

    def patched(self, entity: EntityEndpoint) -> ComplexType | None:
        returns = entity.rest.returns
        if entity.rest.method.upper() != "PATCH" or returns is None:
            return None
        model = self.rest.types.get(returns.type)
        return model if isinstance(model, ComplexType) else None

    def patch(self, model: ComplexType, sample: Any) -> list[dict[str, Any]]:
        """The documented operations that name a field of ``model`` (the path in any case,
        the leading slash optional, as the PATCH pages say); else a ``replace`` of its
        first field."""
        fields = {f.wire_name.lower(): f for f in all_fields(model, self.rest.types)}
        kept = []
        for operation in sample if isinstance(sample, list) else []:
            found = _operation_field(operation, fields)
            if found is None:
                continue
            step = {"op": operation["op"], "path": "/" + found.wire_name}
            if operation["op"] != "remove":
                step["value"] = self.rest.value(found, operation.get("value", MISSING), ())
            kept.append(step)
        if kept or not fields:
            return kept
        first = next(iter(fields.values()))
        made = self.rest.value(first, MISSING, ())
        return [{"op": "replace", "path": "/" + first.wire_name, "value": made}]


PATCH_OPERATIONS = frozenset({"add", "replace", "remove", "test"})
"""The JSON Patch operations the PATCH pages say the WebAPI takes."""


def _operation_field(operation: Any, fields: dict[str, Field]) -> Field | None:
    if not isinstance(operation, dict) or operation.get("op") not in PATCH_OPERATIONS:
        return None
    path = operation.get("path")
    return fields.get(path.lstrip("/").lower()) if isinstance(path, str) else None
