"""Sample JSON bodies of every REST method: the request's and the answer's.

``<Method>.request.json`` is the JSON body a method sends (where it sends one: the
``request`` object of its body properties, the ``entity`` itself, or a raw array);
``<Method>.response.json`` the JSON answer (where there is one: not for ``204 No
Content``, not for a binary file).

Values come from the page's documented sample where it has one and the value is valid
for the type the models give it (an enum name the schema does not list is not; an integer
documented as a boolean is made 0 or 1); everything else gets a realistic value of its
type. The documented sample's shape is kept (a property it leaves out stays out, an empty
object stays empty); without one, the whole structure is filled in, cut where a type
recurs or past a depth limit. Properties the models do not have are left out, so every
sample reads back into the models whole.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import decimal
import json
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from codegen.emit.xsd import STRING, Example, builtin
from codegen.ir import (
    ArrayType,
    BodyKind,
    ComplexType,
    DictionaryType,
    EnumType,
    Field,
    Primitive,
    QName,
    RestEndpoint,
    TypeDef,
    is_untyped,
)

MAX_DEPTH = 6
"""How deep a filled-in (undocumented) structure goes before it is cut."""

MISSING: Any = object()
"""No documented value: make one up."""
_NUMBER = re.compile(r"-?\d+(\.\d+)?([eE][+-]?\d+)?")
_TIME_SPAN = re.compile(r"-?(\d+\.)?\d+:\d\d:\d\d(\.\d+)?")


def documented(text: str | None) -> Any:
    """The JSON of a documented sample body, or ``MISSING`` when it has none or no JSON."""
    if text is None or not text.strip():
        return MISSING
    try:
        return json.loads(text)
    except ValueError:
        return MISSING


def sample_text(value: Any) -> str:
    """A sample file's text: the JSON, indented, ending in a newline."""
    return json.dumps(value, indent=2, ensure_ascii=False) + "\n"


class RestSampler:
    """The JSON samples of an agent's REST methods, one method at a time, from ``types``
    (the agent's). What a method's samples hold depends on its name, its endpoint and
    ``types`` alone (``codegen.emit.rest.flavour`` keys its cache on those)."""

    def __init__(self, types: Iterable[TypeDef]) -> None:
        self.types: Mapping[QName, TypeDef] = {t.name: t for t in types}

    def samples(self, name: str, endpoint: RestEndpoint) -> dict[str, str]:
        """``{"<name>.request.json": text, "<name>.response.json": text}`` for the endpoint
        of the method ``name``, each where the method has one."""
        samples: dict[str, str] = {}
        request = self.request(endpoint)
        if request is not MISSING:
            samples[f"{name}.request.json"] = sample_text(request)
        response = self.response(endpoint)
        if response is not MISSING:
            samples[f"{name}.response.json"] = sample_text(response)
        return samples

    def request(self, endpoint: RestEndpoint) -> Any:
        """The body: ``MISSING`` when the method sends none."""
        if endpoint.body_kind is BodyKind.NONE:
            return MISSING
        sample = documented(endpoint.sample_request)
        body = endpoint.parameters[len(endpoint.path_parts) + len(endpoint.query) :]
        if endpoint.body_kind is not BodyKind.REQUEST:
            return self.value(body[0], sample, ()) if body else MISSING
        if isinstance(sample, dict):
            return {
                f.wire_name: self.value(f, sample[f.wire_name], ())
                for f in body
                if f.wire_name in sample
            }
        return {f.wire_name: self.value(f, MISSING, ()) for f in body}

    def response(self, endpoint: RestEndpoint) -> Any:
        """The JSON answer: ``MISSING`` for no content or a binary file."""
        kind = endpoint.response_kind.strip().lower()
        if endpoint.returns is None or kind in ("none", "binary"):
            return MISSING
        return self.value(endpoint.returns, documented(endpoint.sample_response), ())

    def value(self, source: Field, given: Any, path: tuple[QName, ...], item: bool = False) -> Any:
        if given is None and (source.nillable or source.optional):
            return None
        if source.repeated and not item:
            givens = given if isinstance(given, list) else [MISSING]
            return [self.value(source, g, path, item=True) for g in givens]
        return self.type_value(source.type, given, path)

    def type_value(self, name: QName, given: Any, path: tuple[QName, ...]) -> Any:
        definition = self.types.get(name)
        if isinstance(definition, ComplexType):
            return self.complex_value(definition, given, path)
        if isinstance(definition, ArrayType):
            if isinstance(given, list):
                return [self.value(definition.item, g, path, item=True) for g in given]
            if name in path or len(path) >= MAX_DEPTH:
                return []
            return [self.value(definition.item, MISSING, (*path, name), item=True)]
        if isinstance(definition, DictionaryType):
            return self.dictionary_value(definition, given, path)
        if isinstance(definition, EnumType):
            return _enum_value(definition, given)
        if is_untyped(name, definition):
            return _json_value(STRING.example) if given is MISSING else given
        xsd = definition.xsd if isinstance(definition, Primitive) else name.name
        return _primitive_value(xsd, given)

    def complex_value(self, definition: ComplexType, given: Any, path: tuple[QName, ...]) -> Any:
        fields = self.fields(definition)
        inner = (*path, definition.name)
        if isinstance(given, dict):
            by_name = {f.wire_name: f for f in fields}
            return {
                key: self.value(by_name[key], value, inner)
                for key, value in given.items()
                if key in by_name
            }
        if definition.name in path or len(path) >= MAX_DEPTH:
            return {}
        return {f.wire_name: self.value(f, MISSING, inner) for f in fields}

    def dictionary_value(
        self, definition: DictionaryType, given: Any, path: tuple[QName, ...]
    ) -> dict[str, Any]:
        inner = (*path, definition.name)
        if isinstance(given, dict):
            return {
                self.key(definition.key.type, str(key)): self.value(
                    definition.value, value, inner, item=True
                )
                for key, value in given.items()
            }
        if definition.name in path or len(path) >= MAX_DEPTH:
            return {}
        key = _key_text(self.type_value(definition.key.type, MISSING, inner))
        return {key: self.value(definition.value, MISSING, inner, item=True)}

    def key(self, name: QName, given: str) -> str:
        """A documented dictionary key where it is valid for the key type (JSON names are
        text, so a number is its digits), else a made-up one."""
        made = self.type_value(name, MISSING, ())
        if isinstance(made, bool):
            valid = given in ("true", "false")
        elif isinstance(made, int):
            valid = given.lstrip("-").isdigit()
        elif isinstance(made, float):
            valid = _NUMBER.fullmatch(given) is not None
        else:
            valid = self.type_value(name, given, ()) == given
        return given if valid else _key_text(made)

    def fields(self, definition: ComplexType) -> list[Field]:
        """Own fields first, then the base's: the order the WebAPI writes them in."""
        base = self.types.get(definition.base) if definition.base else None
        inherited = self.fields(base) if isinstance(base, ComplexType) else []
        return [*definition.fields, *inherited]


def _key_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _enum_value(definition: EnumType, given: Any) -> Any:
    names = {v.name.lower(): v.name for v in definition.values}
    if isinstance(given, str):
        tokens = given.replace(",", " ").split() if definition.flags else [given.strip()]
        if tokens and all(t.lower() in names for t in tokens):
            return given
    return definition.values[0].name if definition.values else 0


def _primitive_value(xsd: str, given: Any) -> Any:
    """``given`` where it is valid for the type, else the type's example."""
    row = builtin(xsd)
    if row.annotation == "int" and isinstance(given, bool):
        return int(given)
    if row.annotation == "int":
        valid = isinstance(given, int)
    elif row.annotation == "bool":
        valid = isinstance(given, bool)
    elif row.annotation in ("float", "decimal.Decimal"):
        valid = isinstance(given, (int, float)) and not isinstance(given, bool)
    else:
        valid = isinstance(given, str) and _CHECKS.get(row.annotation, _always)(given)
    return given if valid else _json_value(row.example)


def _json_value(value: Example) -> Any:
    """An example as the WebAPI writes it: a number, a ``true``, or text (a time span as
    .NET writes it, ``01:30:00``; bytes in base64)."""
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        minutes, seconds = divmod(int(value.total_seconds()), 60)
        return f"{minutes // 60:02}:{minutes % 60:02}:{seconds:02}"
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    return value


def _always(_: str) -> bool:
    return True


def _is_datetime(text: str) -> bool:
    try:
        datetime.datetime.fromisoformat(text.strip())
    except ValueError:
        return False
    return True


def _is_base64(text: str) -> bool:
    try:
        base64.b64decode(text, validate=True)
    except binascii.Error:
        return False
    return True


_CHECKS: dict[str, Callable[[str], bool]] = {
    "datetime.datetime": _is_datetime,
    "datetime.timedelta": lambda text: _TIME_SPAN.fullmatch(text.strip()) is not None,
    "bytes": _is_base64,
}
"""Whether a documented string is valid for the annotation; other strings are taken as
they are."""
