"""Where the documented samples carry nil, by the kind of type the schema gives the value.

The counts behind the README's nullability policy ("Required, optional and None"): over
every version's SOAP sample envelopes (requests and responses) and, once, the REST pages'
JSON samples, how many values of each kind (a value type: numbers, booleans, enums, dates;
a string; an object; a list; a dictionary; a list's item) are documented, and how many of
them are ``xsi:nil`` or JSON ``null``; then how the WSDLs declare the fields of each kind
(``nillable``, ``minOccurs="0"``), and how many REST query parameters the pages mark
**Required** where the SOAP field of the same method is optional.

    python bench/nullability.py [--docs ../shared/superoffice-docs/api-reference]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from codegen.ir import (
    XSD,
    Agent,
    ArrayType,
    BodyKind,
    ComplexType,
    DictionaryType,
    EnumType,
    Field,
    Primitive,
    QName,
    SampleNode,
    TypeDef,
    all_fields,
)
from codegen.load import load
from codegen.passes.merge import rest_sample_parts
from codegen.passes.nil_items import sample_parts
from codegen.settings import Settings
from codegen.sources.docs_root import DocsRoot, find_root

DEFAULT_DOCS = Path(__file__).resolve().parents[2] / "shared" / "superoffice-docs" / "api-reference"
KINDS = ("value", "string", "object", "list", "dictionary", "list item", "untyped")
_STRINGS = frozenset({"string", "base64Binary", "anyURI", "QName"})


def kind(name: QName, types: dict[QName, TypeDef]) -> str:
    """The kind of a value of the named type, as the policy tells them apart."""
    definition = types.get(name)
    if isinstance(definition, EnumType):
        return "value"
    if isinstance(definition, ComplexType):
        return "object"
    if isinstance(definition, ArrayType):
        return "list"
    if isinstance(definition, DictionaryType):
        return "dictionary"
    xsd = definition.xsd if isinstance(definition, Primitive) else name.name
    if definition is None and name.namespace != XSD or xsd == "anyType":
        return "untyped"
    return "string" if xsd in _STRINGS else "value"


class Tally:
    """Documented values and nil values, by kind."""

    def __init__(self, types: dict[QName, TypeDef], seen: Counter[str], nil: Counter[str]):
        self.types, self.seen, self.nil = types, seen, nil

    def count(self, label: str, is_nil: bool) -> None:
        self.seen[label] += 1
        self.nil[label] += is_nil

    def node(
        self, field: Field, node: SampleNode, item: bool = False, within: tuple[QName, ...] = ()
    ) -> None:
        """Count ``node`` and what it holds; ``within`` are the types of the objects
        around it, outermost first."""
        name = node.xsi_type if node.xsi_type in self.types else field.type
        label = "list item" if item else kind(name, self.types)
        self.count(label, node.nil)
        if node.nil and within and within[-1] in within[:-1]:
            self.nil[f"{label}, in a repeated type"] += 1
        definition = self.types.get(name)
        inside = (*within, name)
        if isinstance(definition, ComplexType):
            fields = {f.wire_name: f for f in all_fields(definition, self.types)}
            for child in node.children:
                if child.name.name in fields:
                    found = fields[child.name.name]
                    self.node(found, child, found.repeated, inside)
        elif isinstance(definition, ArrayType):
            for child in node.children:
                self.node(definition.item, child, True, within)
        elif isinstance(definition, DictionaryType):
            for entry in node.children:
                for part in entry.children:
                    if part.name.name == "Value":
                        self.node(definition.value, part, False, within)

    def json(self, field: Field, value: object, item: bool = False) -> None:
        if field.repeated and not item:
            self.count("list", value is None)
            for each in value if isinstance(value, list) else ():
                self.json(field, each, item=True)
            return
        self.count("list item" if item else kind(field.type, self.types), value is None)
        definition = self.types.get(field.type)
        if isinstance(definition, ComplexType) and isinstance(value, dict):
            fields = {f.wire_name.lower(): f for f in all_fields(definition, self.types)}
            for key, each in value.items():
                if key.lower() in fields:
                    self.json(fields[key.lower()], each)
        elif isinstance(definition, ArrayType) and isinstance(value, list):
            for each in value:
                self.json(definition.item, each, item=True)
        elif isinstance(definition, DictionaryType) and isinstance(value, dict):
            for each in value.values():
                self.json(definition.value, each)


def soap_samples(agent: Agent, tally: Tally) -> None:
    for part, node in sample_parts(agent):
        tally.node(part, node)


def rest_samples(agent: Agent, tally: Tally) -> None:
    for op in agent.operations:
        if op.rest is not None:
            for f, value in rest_sample_parts(op.rest):
                tally.json(f, value)


def wsdl_fields(agent: Agent, declared: Counter[tuple[str, str]]) -> None:
    """How the WSDL declares every field and parameter, by kind."""
    types = agent.type_map()
    fields = [
        (f, False)
        for t in agent.types
        if isinstance(t, ComplexType)
        for f in t.fields
        if not f.rest_only
    ]
    fields += [(t.item, True) for t in agent.types if isinstance(t, ArrayType)]
    fields += [(f, False) for op in agent.operations if op.soap for f in op.soap.input.fields]
    for f, item in fields:
        label = "list item" if item or f.repeated else kind(f.type, types)
        shape = ("nillable" if f.nillable else "not nillable") + (
            ", minOccurs=0" if f.optional and not item else ""
        )
        declared[(label, shape)] += 1


def required_query(agent: Agent) -> tuple[int, int, int]:
    """REST query parameters marked **Required**: all, those whose SOAP field is optional,
    and whole request bodies (``entity`` or an array)."""
    marked = optional = bodies = 0
    for op in agent.operations:
        if op.rest is None:
            continue
        soap = {f.wire_name.lower(): f for f in op.soap.input.fields} if op.soap else {}
        for row in op.rest.query:
            if row.required:
                marked += 1
                known = soap.get(row.name.lower().replace("_", ""))
                optional += known is not None and known.optional
        bodies += op.rest.body_kind in (BodyKind.ENTITY, BodyKind.ARRAY)
    return marked, optional, bodies


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=Path, default=DEFAULT_DOCS)
    args = parser.parse_args()
    found = find_root(args.docs)
    if found is None:
        print(f"{args.docs}: not a docs root", file=sys.stderr)
        return 2
    versions = DocsRoot(found).versions()
    soap_seen: Counter[str] = Counter()
    soap_nil: Counter[str] = Counter()
    declared: Counter[tuple[str, str]] = Counter()
    rest_seen: Counter[str] = Counter()
    rest_nil: Counter[str] = Counter()
    totals = [0, 0, 0]
    for version in versions:
        result = load(Settings(docs=found, version=version, rest=version == versions[-1]))
        for agent in result.agents:
            soap_samples(agent, Tally(agent.type_map(), soap_seen, soap_nil))
            wsdl_fields(agent, declared)
        if version == versions[-1]:
            for agent in result.agents:
                rest_samples(agent, Tally(agent.type_map(), rest_seen, rest_nil))
                totals = [a + b for a, b in zip(totals, required_query(agent), strict=True)]
    print(f"Documented values and nil values, by kind (Services{versions[0]}-{versions[-1]})")
    print("| kind | SOAP samples | of them xsi:nil | REST samples | of them null |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for label in KINDS:
        print(
            f"| {label} | {soap_seen[label]:,} | {soap_nil[label]:,} "
            f"| {rest_seen[label]:,} | {rest_nil[label]:,} |"
        )
    print()
    print("SOAP nil values inside an object of a type that also holds it (a recursion cut):")
    for label in KINDS:
        print(f"- {label}: {soap_nil[label + ', in a repeated type']:,} of {soap_nil[label]:,}")
    print()
    print("WSDL declarations (fields, parameters and array items), every version")
    for (label, shape), count in sorted(declared.items()):
        print(f"- {label}, {shape}: {count:,}")
    print()
    marked, optional, bodies = totals
    print(f"REST query parameters marked Required (Services{versions[-1]}): {marked:,}")
    print(f"  of them optional in the SOAP operation of the same method: {optional:,}")
    print(f"REST methods whose body is a whole entity or array: {bodies:,}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
