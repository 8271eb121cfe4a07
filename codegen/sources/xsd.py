"""Read the XML Schema subset that WCF's DataContract serializer writes into IR types.

This module owns the ``xs:schema`` elements of a document: it indexes their named types and
elements in one pass, and turns only what is reached from given roots into IR: primitives,
structures with one base, enums and flag enums, ``ArrayOfX`` wrappers, ``IsDictionary``
types, and the fields of each. ``SchemaReader`` also owns how such a reading reports a
problem (file and line) and resolves a name: every prefix through the element's in-scope
namespaces, never by its spelling. ``codegen.sources.wsdl`` reads the WSDL around it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from typing import TypeVar

from codegen.ir import (
    ANY_TYPE,
    SERIALIZATION,
    UNBOUNDED,
    XSD,
    ArrayType,
    ComplexType,
    Diagnostic,
    DictionaryType,
    EnumType,
    EnumValue,
    Field,
    Level,
    Primitive,
    QName,
    TypeDef,
)
from codegen.sources.text import clean_doc
from codegen.sources.xml_input import is_safe_uri, is_xml_name
from codegen.sources.xml_parser import Element

_SCHEMA = f"{{{XSD}}}schema"
_ELEMENT = f"{{{XSD}}}element"
_COMPLEX_TYPE = f"{{{XSD}}}complexType"
_SIMPLE_TYPE = f"{{{XSD}}}simpleType"
_SEQUENCE = f"{{{XSD}}}sequence"
_COMPLEX_CONTENT = f"{{{XSD}}}complexContent"
_EXTENSION = f"{{{XSD}}}extension"
_RESTRICTION = f"{{{XSD}}}restriction"
_ENUMERATION = f"{{{XSD}}}enumeration"
_LIST = f"{{{XSD}}}list"
_ANNOTATION = f"{{{XSD}}}annotation"
_APPINFO = f"{{{XSD}}}appinfo"
_XSD_DOCUMENTATION = f"{{{XSD}}}documentation"
_APPINFO_PATH = f"{_ANNOTATION}/{_APPINFO}/{{{SERIALIZATION}}}"

# Schema-level declarations that name no type and no element: nothing to read.
_SCHEMA_IGNORED = frozenset(
    {_ANNOTATION, f"{{{XSD}}}import", f"{{{XSD}}}include", f"{{{XSD}}}attribute"}
)
# The XSD built-in datatypes, which no schema in the WSDL declares.
# fmt: off
_XSD_BUILTINS = frozenset([
    "anyType", "anySimpleType", "string", "normalizedString", "token", "language", "Name",
    "NCName", "ID", "IDREF", "IDREFS", "ENTITY", "ENTITIES", "NMTOKEN", "NMTOKENS", "QName",
    "NOTATION", "anyURI", "boolean", "base64Binary", "hexBinary", "decimal", "integer",
    "nonPositiveInteger", "negativeInteger", "nonNegativeInteger", "positiveInteger", "long",
    "int", "short", "byte", "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte",
    "float", "double", "duration", "dateTime", "date", "time", "gYearMonth", "gYear",
    "gMonthDay", "gDay", "gMonth",
])
# fmt: on
_TRUE = frozenset({"true", "1"})
_T = TypeVar("_T")


@dataclass(frozen=True)
class _Schema:
    """What a declaration inherits from the ``xs:schema`` around it."""

    namespace: str
    qualified: bool


@dataclass(frozen=True)
class Declaration:
    """A named type or element, with the schema it is declared in."""

    element: Element
    schema: _Schema


class SchemaReader:
    """One reading of the schemas of one document: the indexes, the diagnostics, the names."""

    def __init__(self, file: str, line_offset: int) -> None:
        self.file = file
        self.line_offset = line_offset
        self.diagnostics: list[Diagnostic] = []
        self.types: dict[QName, Declaration] = {}
        self.elements: dict[QName, Declaration] = {}
        self.reference_lines: dict[QName, int] = {}

    # --- diagnostics and names ---------------------------------------------------------

    def line(self, element: Element) -> int:
        return int(element.sourceline or 1) + self.line_offset

    def report(self, element: Element, level: Level, message: str) -> None:
        self.diagnostics.append(Diagnostic(self.file, self.line(element), level, message))

    def reference(self, element: Element, attribute: str) -> QName | None:
        """Resolve the QName in ``attribute`` through ``element``'s in-scope namespaces."""
        value = element.get(attribute)
        if value is None:
            return None
        prefix, _, local = value.strip().rpartition(":")
        namespace = element.nsmap.get(prefix or None)
        if namespace is None and prefix:
            self.report(element, Level.ERROR, f"undeclared prefix {prefix!r} in {value!r}")
            return None
        return QName(str(namespace or ""), local)

    def name(self, element: Element, what: str) -> str | None:
        """The ``name`` attribute, when it is an XML name; it becomes code and file names."""
        name = str(element.get("name", ""))
        if is_xml_name(name):
            return name
        self.report(element, Level.ERROR, f"{what} {name!r} is not an XML name")
        return None

    def namespace(self, element: Element) -> str:
        """The ``targetNamespace``, when it is safe inside attributes, Clark names and headers."""
        namespace = str(element.get("targetNamespace", ""))
        if not is_safe_uri(namespace):
            message = f"targetNamespace {namespace!r} is not a namespace URI"
            self.report(element, Level.ERROR, message)
        return namespace

    def type_reference(self, element: Element, attribute: str) -> QName | None:
        """Resolve a type name, remembering where it was first named for diagnostics."""
        name = self.reference(element, attribute)
        if name is not None and name not in self.reference_lines:
            self.reference_lines[name] = self.line(element)
        return name

    # --- the schemas -------------------------------------------------------------------

    def index_schemas(self, holder: Element) -> None:
        """Index the named types and elements of the schemas directly below ``holder``."""
        for schema in holder.iterchildren(_SCHEMA):
            self.index_schema(schema)

    def index_schema(self, schema_element: Element) -> None:
        schema = _Schema(
            namespace=self.namespace(schema_element),
            qualified=schema_element.get("elementFormDefault") == "qualified",
        )
        for child in schema_element:
            if child.tag == _ELEMENT:
                self.declare(self.elements, child, schema)
            elif child.tag in (_COMPLEX_TYPE, _SIMPLE_TYPE):
                self.declare(self.types, child, schema)
            elif child.tag not in _SCHEMA_IGNORED:
                self.report(child, Level.WARNING, f"unsupported schema construct {child.tag}")

    def declare(self, table: dict[QName, Declaration], element: Element, schema: _Schema) -> None:
        local = self.name(element, "schema declaration")
        if local is None:
            return
        name = QName(schema.namespace, local)
        if name in table:
            self.report(element, Level.WARNING, f"{name} is declared twice; the first is read")
            return
        table[name] = Declaration(element, schema)

    def global_element(self, owner: Element, attribute: str) -> tuple[QName, Declaration] | None:
        name = self.reference(owner, attribute)
        declaration = lookup(self.elements, name)
        if name is None or declaration is None:
            self.report(owner, Level.ERROR, f"element {owner.get(attribute)} is not declared")
            return None
        return name, declaration

    def element_fields(self, declaration: Declaration) -> tuple[Field, ...]:
        """The children of a wrapper element, from its anonymous type or a named one."""
        element = declaration.element
        inline = element.find(_COMPLEX_TYPE)
        if inline is not None:
            return self.sequence_fields(inline, declaration.schema)
        named = lookup(self.types, self.type_reference(element, "type"))
        if named is None or named.element.tag != _COMPLEX_TYPE:
            self.report(element, Level.ERROR, "a message element must hold a complex type")
            return ()
        return self.sequence_fields(named.element, named.schema)

    # --- fields ------------------------------------------------------------------------

    def sequence_fields(self, holder: Element, schema: _Schema) -> tuple[Field, ...]:
        """The elements of the ``xs:sequence`` directly below ``holder``, in order."""
        fields: list[Field] = []
        seen: set[str] = set()
        for child in holder:
            if child.tag == _SEQUENCE:
                fields.extend(self.sequence(child, schema, seen))
            elif child.tag != _ANNOTATION:
                self.report(child, Level.WARNING, f"unsupported content {child.tag}, ignored")
        return tuple(fields)

    def sequence(self, sequence: Element, schema: _Schema, seen: set[str]) -> Iterator[Field]:
        """The fields of one sequence; ``seen`` holds the names already taken in the type."""
        for child in sequence:
            if child.tag == _ELEMENT:
                field = self.local_field(child, schema)
                if field.wire_name in seen:
                    # Two fields of one name would be two parameters or attributes of one name.
                    message = f"element {field.wire_name} appears twice in one type"
                    self.report(child, Level.ERROR, message)
                    continue
                seen.add(field.wire_name)
                yield field
            elif child.tag != _ANNOTATION:
                self.report(child, Level.WARNING, f"unsupported particle {child.tag}, ignored")

    def local_field(self, element: Element, schema: _Schema) -> Field:
        """A field declared inside a type: namespaced as the schema's form rules say."""
        form = element.get("form")
        qualified = schema.qualified if form is None else form == "qualified"
        return self.field(element, schema.namespace if qualified else "")

    def field(self, element: Element, namespace: str) -> Field:
        name = element.get("name")
        if name is None:
            self.report(element, Level.ERROR, "element without a name (ref= is not supported)")
        else:
            name = self.name(element, "element")
        return Field(
            wire_name=str(name or ""),
            namespace=namespace,
            type=self.field_type(element),
            nillable=element.get("nillable") in _TRUE,
            min_occurs=self.occurs(element, "minOccurs"),
            max_occurs=self.occurs(element, "maxOccurs"),
            doc=_annotation_doc(element),
        )

    def field_type(self, element: Element) -> QName:
        named = self.type_reference(element, "type")
        if named is not None:
            return named
        if element.find(_COMPLEX_TYPE) is not None or element.find(_SIMPLE_TYPE) is not None:
            self.report(element, Level.WARNING, "anonymous element type read as anyType")
        return ANY_TYPE

    def occurs(self, element: Element, attribute: str) -> int:
        value = element.get(attribute)
        if value is None:
            return 1
        if value == "unbounded":
            return UNBOUNDED
        if value.isdigit():
            return int(value)
        self.report(element, Level.ERROR, f"{attribute}={value!r} is not a number")
        return 1

    # --- types -------------------------------------------------------------------------

    def reachable_types(self, roots: Iterable[QName]) -> tuple[TypeDef, ...]:
        """Every named type reached from ``roots``, through fields, bases, items, keys, values."""
        pending = list(roots)
        found: dict[QName, TypeDef] = {}
        seen: set[QName] = set()
        while pending:
            name = pending.pop()
            if name in seen:
                continue
            seen.add(name)
            definition = self.type_def(name)
            if definition is not None:
                found[name] = definition
                pending.extend(_references(definition))
        for name in sorted(found):
            self.check_ancestry(name, found)
        self.break_required_cycles(found)
        return tuple(found[name] for name in sorted(found))

    def check_ancestry(self, name: QName, found: dict[QName, TypeDef]) -> None:
        """A type must not be its own ancestor: the emitter walks base chains to the root."""
        chain = [name]
        definition = found.get(name)
        while isinstance(definition, ComplexType) and definition.base is not None:
            if definition.base in chain:
                cycle = " -> ".join(n.name for n in (*chain, definition.base))
                element = self.types[name].element
                self.report(element, Level.ERROR, f"inheritance cycle: {cycle}")
                return
            chain.append(definition.base)
            definition = found.get(definition.base)

    def break_required_cycles(self, found: dict[QName, TypeDef]) -> None:
        """A field that requires its own type again, through required fields, has no finite
        value (no server can send one, no model can be made): it is reported and read as
        optional, so that the rest of the agent still generates."""
        for name in sorted(found):
            definition = found[name]
            if not isinstance(definition, (ComplexType, ArrayType)):
                continue
            cut = []
            for f in _own_fields(definition):
                back = _required_path(f.type, name, found)
                if back is None:
                    continue
                through = " -> ".join((f"{name.name}.{f.wire_name}", *back))
                message = f"type {name.name} requires itself through {through}: read as optional"
                self.report(self.types[name].element, Level.WARNING, message)
                cut.append(f.wire_name)
            if cut:
                found[name] = _optional(definition, frozenset(cut))

    def type_def(self, name: QName) -> TypeDef | None:
        if name.namespace == XSD and name.name in _XSD_BUILTINS:
            return Primitive(name, xsd=name.name)
        declaration = self.types.get(name)
        if declaration is None:
            line = self.reference_lines.get(name, 1 + self.line_offset)
            message = f"unknown type {name}"
            self.diagnostics.append(Diagnostic(self.file, line, Level.ERROR, message))
            return None
        if declaration.element.tag == _SIMPLE_TYPE:
            return self.simple_type(name, declaration.element)
        return self.complex_type(name, declaration)

    def simple_type(self, name: QName, element: Element) -> TypeDef:
        doc = _annotation_doc(element)
        restriction = element.find(_RESTRICTION)
        if restriction is not None:
            values = self.enum_values(element)
            if values:
                return EnumType(name, values, actual_type=_actual_type(element), doc=doc)
            return Primitive(name, xsd=self.builtin_base(restriction, {name}), doc=doc)
        item = self.list_item(element)
        flags = () if item is None else self.enum_values(item)
        if item is not None and flags:
            actual_type = _actual_type(element, item)
            return EnumType(name, flags, flags=True, actual_type=actual_type, doc=doc)
        self.report(element, Level.WARNING, f"simple type {name} is read as a string")
        return Primitive(name, xsd="string", doc=doc)

    def builtin_base(self, restriction: Element, seen: set[QName]) -> str:
        """The XSD built-in a chain of restrictions stands on."""
        base = self.type_reference(restriction, "base")
        if base is None or base in seen:
            self.report(restriction, Level.ERROR, "restriction without a usable base")
            return "string"
        if base.namespace == XSD:
            return base.name
        declaration = self.types.get(base)
        inner = None if declaration is None else declaration.element.find(_RESTRICTION)
        if inner is None:
            self.report(restriction, Level.ERROR, f"unknown simple base type {base}")
            return "string"
        return self.builtin_base(inner, seen | {base})

    def enum_values(self, simple_type: Element) -> tuple[EnumValue, ...]:
        restriction = simple_type.find(_RESTRICTION)
        if restriction is None:
            return ()
        return tuple(
            EnumValue(
                name=str(value.get("value", "")),
                value=self.enumeration_value(value),
                doc=_annotation_doc(value),
            )
            for value in restriction.iterchildren(_ENUMERATION)
        )

    def enumeration_value(self, enumeration: Element) -> int | None:
        number = enumeration.find(f"{_APPINFO_PATH}EnumerationValue")
        if number is None:
            return None
        text = (number.text or "").strip()
        try:
            return int(text)
        except ValueError:
            self.report(number, Level.WARNING, f"EnumerationValue {text!r} is not a number")
            return None

    def list_item(self, simple_type: Element) -> Element | None:
        """The item type of an ``xs:list``: anonymous inside it or named by ``itemType``."""
        listed = simple_type.find(_LIST)
        if listed is None:
            return None
        inline = listed.find(_SIMPLE_TYPE)
        if inline is not None:
            return inline
        declaration = lookup(self.types, self.type_reference(listed, "itemType"))
        return None if declaration is None else declaration.element

    def complex_type(self, name: QName, declaration: Declaration) -> TypeDef:
        element, schema = declaration.element, declaration.schema
        doc = _annotation_doc(element)
        if _appinfo_flag(element, "IsDictionary"):
            dictionary = self.dictionary(name, element, schema, doc)
            if dictionary is not None:
                return dictionary
        base: QName | None = None
        holder = element
        content = element.find(_COMPLEX_CONTENT)
        if content is not None:
            holder = content.find(_EXTENSION)
            if holder is None:
                self.report(content, Level.WARNING, "complexContent without an extension")
                return ComplexType(name, (), doc=doc)
            base = self.type_reference(holder, "base")
        fields = self.sequence_fields(holder, schema)
        if base is None and len(fields) == 1 and fields[0].max_occurs == UNBOUNDED:
            return ArrayType(name, fields[0], doc=doc)
        abstract = element.get("abstract") in _TRUE
        return ComplexType(name, fields, base=base, abstract=abstract, doc=doc)

    def dictionary(
        self, name: QName, element: Element, schema: _Schema, doc: str
    ) -> DictionaryType | None:
        """An ``IsDictionary`` type: one repeated anonymous entry holding Key and Value."""
        entries = element.findall(f"{_SEQUENCE}/{_ELEMENT}")
        pair = entries[0].findall(f"{_COMPLEX_TYPE}/{_SEQUENCE}/{_ELEMENT}") if entries else []
        by_name = {child.get("name"): child for child in pair}
        if len(entries) != 1 or "Key" not in by_name or "Value" not in by_name:
            message = f"dictionary {name} has no single Key/Value entry; read as a structure"
            self.report(element, Level.WARNING, message)
            return None
        entry_name = self.name(entries[0], "dictionary entry")
        return DictionaryType(
            name,
            entry_name=entry_name or "",
            key=self.local_field(by_name["Key"], schema),
            value=self.local_field(by_name["Value"], schema),
            doc=doc,
        )


# --- helpers that need no reader state ------------------------------------------------


def lookup(table: dict[QName, _T], name: QName | None) -> _T | None:
    """What ``table`` holds under ``name``; None for no name or nothing there."""
    return None if name is None else table.get(name)


def _own_fields(definition: ComplexType | ArrayType) -> tuple[Field, ...]:
    """The fields a value of ``definition`` must hold, before any is read as optional."""
    fields = definition.fields if isinstance(definition, ComplexType) else (definition.item,)
    return tuple(f for f in fields if f.min_occurs > 0 and not f.nillable)


def _required_path(start: QName, goal: QName, found: dict[QName, TypeDef]) -> list[str] | None:
    """The required fields (and bases) leading from ``start`` back to ``goal``, breadth
    first; None when a value of ``start`` can be made without a ``goal``."""
    paths: dict[QName, list[str]] = {start: []}
    pending = [start]
    for name in pending:
        if name == goal:
            return paths[name]
        definition = found.get(name)
        steps: list[tuple[QName, str]] = []
        if isinstance(definition, (ComplexType, ArrayType)):
            steps = [(f.type, f"{name.name}.{f.wire_name}") for f in _own_fields(definition)]
        if isinstance(definition, ComplexType) and definition.base is not None:
            steps.append((definition.base, f"{name.name} extends {definition.base.name}"))
        for following, step in steps:
            if following not in paths:
                paths[following] = [*paths[name], step]
                pending.append(following)
    return None


def _optional(definition: ComplexType | ArrayType, names: frozenset[str]) -> TypeDef:
    def loosened(f: Field) -> Field:
        return replace(f, min_occurs=0) if f.wire_name in names and not f.nillable else f

    if isinstance(definition, ArrayType):
        return replace(definition, item=loosened(definition.item))
    return replace(definition, fields=tuple(loosened(f) for f in definition.fields))


def _references(definition: TypeDef) -> Iterator[QName]:
    """The named types one type definition points at."""
    if isinstance(definition, ComplexType):
        yield from (f.type for f in definition.fields)
        if definition.base is not None:
            yield definition.base
    elif isinstance(definition, ArrayType):
        yield definition.item.type
    elif isinstance(definition, DictionaryType):
        yield definition.key.type
        yield definition.value.type


def _annotation_doc(element: Element) -> str:
    documentation = element.find(f"{_ANNOTATION}/{_XSD_DOCUMENTATION}")
    return "" if documentation is None else clean_doc("".join(documentation.itertext()))


def _actual_type(*elements: Element) -> str:
    """The .NET underlying type WCF declares for an enum (``short``), else ``int``."""
    for element in elements:
        actual = element.find(f"{_APPINFO_PATH}ActualType")
        if actual is not None and actual.get("Name"):
            return str(actual.get("Name"))
    return "int"


def _appinfo_flag(element: Element, name: str) -> bool:
    flag = element.find(f"{_APPINFO_PATH}{name}")
    return flag is not None and (flag.text or "").strip() in _TRUE
