"""The intermediate representation: what the readers learned, with nothing of how.

Every class here is a frozen dataclass of plain values (strings, numbers, tuples and
other IR classes). No lxml element or markdown-it token ever reaches this module, so
the IR can be compared, hashed, pickled across processes and dumped as JSON.

Data flows one way: ``codegen.sources`` read pages into the page records at the bottom
of this module and into ``Agent`` objects from WSDLs; ``codegen.passes`` merge them into
one ``Agent`` per service; emitters render that ``Agent``.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

XSD = "http://www.w3.org/2001/XMLSchema"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SERIALIZATION = "http://schemas.microsoft.com/2003/10/Serialization/"
ARRAYS = "http://schemas.microsoft.com/2003/10/Serialization/Arrays"


@dataclass(frozen=True, order=True)
class QName:
    """An XML name resolved through its namespace, never through its prefix."""

    namespace: str
    name: str

    def __str__(self) -> str:
        return f"{{{self.namespace}}}{self.name}" if self.namespace else self.name


ANY_TYPE = QName(XSD, "anyType")
"""``xs:anyType``: a value of any type, the type of a field whose type is not known."""


def is_untyped(name: QName, definition: object) -> bool:
    """Whether values of type ``name`` (defined as ``definition``, None if the IR has no
    definition) are of any type: ``xs:anyType``, or a name outside the XSD and
    serialization namespaces that nothing defines."""
    return name == ANY_TYPE or (definition is None and name.namespace not in (XSD, SERIALIZATION))


class Level(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One finding about the input, pointing at the file and line it concerns."""

    file: str
    line: int
    level: Level
    message: str
    hint: str = ""
    usage: bool = field(default=False, compare=False)
    """The finding is about the command's words (an agent or version the docs lack, a
    missing folder), not the docs: the run exits 2, not 3."""

    def __str__(self) -> str:
        text = f"{self.file}:{self.line}: {self.level}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text


# --- The type system -------------------------------------------------------------------

UNBOUNDED = -1
"""``Field.max_occurs`` for ``maxOccurs="unbounded"``."""


@dataclass(frozen=True)
class Field:
    """An element inside a complex type, a message wrapper or an array."""

    wire_name: str
    namespace: str
    type: QName
    nillable: bool = False
    min_occurs: int = 1
    max_occurs: int = 1
    doc: str = ""
    rest_only: bool = False
    """Documented on the REST side only (newer than this WSDL): never sent over SOAP."""

    @property
    def optional(self) -> bool:
        return self.min_occurs == 0

    @property
    def repeated(self) -> bool:
        return self.max_occurs == UNBOUNDED or self.max_occurs > 1


@dataclass(frozen=True)
class Primitive:
    """A built-in XSD type, or a simple type that restricts one without enumerating.

    ``xsd`` names the built-in it stands on: ``int`` for ``ser:char``, ``string`` for
    ``ser:guid``, ``duration`` for ``ser:duration``.
    """

    name: QName
    xsd: str
    doc: str = ""


@dataclass(frozen=True)
class ComplexType:
    """A structure with an ordered sequence of fields and at most one base type."""

    name: QName
    fields: tuple[Field, ...]
    base: QName | None = None
    abstract: bool = False
    doc: str = ""


@dataclass(frozen=True)
class EnumValue:
    name: str
    value: int | None = None
    doc: str = ""


@dataclass(frozen=True)
class EnumType:
    """An enumeration; ``flags`` when the schema makes it an ``xs:list`` of the values.

    ``actual_type`` is the .NET underlying type the WSDL declares (``short``), else ``int``.
    """

    name: QName
    values: tuple[EnumValue, ...]
    flags: bool = False
    actual_type: str = "int"
    doc: str = ""

    def numbers(self) -> tuple[int, ...]:
        """The number behind each value: the WSDL's, else .NET's default.

        Plain enums count on from the previous value; flag enums take the next bit, except
        ``UndefinedValueN``, which .NET writes for the bit N.
        """
        numbers: list[int] = []
        for index, value in enumerate(self.values):
            if value.value is not None:
                numbers.append(value.value)
            elif not self.flags:
                numbers.append(numbers[-1] + 1 if numbers else 0)
            else:
                suffix = value.name.removeprefix("UndefinedValue")
                undefined = suffix != value.name and suffix.isdigit()
                numbers.append(int(suffix) if undefined else 1 << index)
        return tuple(numbers)

    @property
    def zero(self) -> EnumValue | None:
        """The value a field of the enum holds until set, as .NET's ``default(T)``: the one
        numbered 0, else, in a plain enum (.NET could not send a 0 it does not list), the
        first; None for a flag set with no value numbered 0 (its default is the empty set)
        or an enum with no values."""
        numbers = self.numbers()
        if 0 in numbers:
            return self.values[numbers.index(0)]
        return self.values[0] if self.values and not self.flags else None


@dataclass(frozen=True)
class ArrayType:
    """An ``ArrayOfX`` wrapper: one repeated ``item`` element and nothing else."""

    name: QName
    item: Field
    doc: str = ""
    nil_items: bool = False
    """A documented sample holds a nil item (``codegen.passes.nil_items``): only then may
    an item be None, whatever ``item.nillable`` says."""

    @property
    def item_as_read(self) -> Field:
        """``item`` nillable exactly where a sample shows a nil one."""
        return replace(self.item, nillable=self.nil_items)


@dataclass(frozen=True)
class DictionaryType:
    """An ``IsDictionary`` type: repeated ``entry_name`` elements holding Key and Value."""

    name: QName
    entry_name: str
    key: Field
    value: Field
    doc: str = ""


TypeDef = Primitive | ComplexType | EnumType | ArrayType | DictionaryType


def all_fields(definition: ComplexType, types: Mapping[QName, TypeDef]) -> list[Field]:
    """The fields of ``definition`` with its bases', the bases' first (a base met again
    ends the chain: the WSDL reader reports such a type, and nothing may loop on it)."""
    chain = [definition]
    while chain[-1].base is not None:
        base = types.get(chain[-1].base)
        if not isinstance(base, ComplexType) or base in chain:
            break
        chain.append(base)
    return [f for each in reversed(chain) for f in each.fields]


# --- Samples ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SampleNode:
    """One element of a documented sample envelope, with prefixes already resolved."""

    name: QName
    xsi_type: QName | None = None
    nil: bool = False
    text: str = ""
    children: tuple[SampleNode, ...] = ()
    line: int = 0


@dataclass(frozen=True)
class Sample:
    """A documented SOAP envelope: its header elements and the body's first element."""

    file: str
    line: int
    headers: tuple[SampleNode, ...]
    body: SampleNode | None
    soap_version: str = "1.2"


# --- Operations ------------------------------------------------------------------------


@dataclass(frozen=True)
class Message:
    """One direction of a SOAP operation.

    ``element`` is the body's wrapper element (``CreateExternalUser``,
    ``CreateExternalUserResponse``); ``fields`` are its children in schema order: the
    parameters of a request, the parts (``Response``, ``Length``...) of a response.
    ``headers`` are the header elements the binding declares for this direction.
    """

    element: QName
    fields: tuple[Field, ...]
    headers: tuple[Field, ...] = ()


@dataclass(frozen=True)
class SoapOperation:
    action: str
    input: Message
    output: Message
    request_sample: Sample | None = None
    response_sample: Sample | None = None


@dataclass(frozen=True)
class RestField:
    """A row of a REST page table: a query parameter or a body/response property."""

    name: str
    type: str
    doc: str = ""
    required: bool = False


class BodyKind(enum.StrEnum):
    NONE = "none"
    REQUEST = "request"
    """A JSON object whose properties are the ``request`` table's rows."""
    ENTITY = "entity"
    """The ``entity`` table: one carrier flattened into the body."""
    ARRAY = "array"
    """A raw JSON array with no table; on an entity page, also an array of the objects
    its table describes (``entities``, a JSON Patch's ``changes``)."""
    BINARY = "binary"
    """Raw bytes (an entity page's ``Request Body: image binary``)."""


@dataclass(frozen=True)
class RestEndpoint:
    """One WebAPI method page.

    ``response_kind`` is the page's ``## Response:`` word (``object``, ``array``,
    ``string``, ``bool``, ``int32``, ``date-time``, ``binary``...), or ``none`` for
    ``204 No Content``. ``response_type`` names the carrier the page says it returns
    (``Carrier object for User``), when it says one.
    """

    method: str
    path: str
    file: str
    line: int
    query: tuple[RestField, ...] = ()
    path_parts: tuple[RestField, ...] = ()
    """The ``| Path Part |`` table's rows: the ``{id}`` and friends of ``path``, in the
    order the path names them (entity pages; agent pages have none)."""
    body_kind: BodyKind = BodyKind.NONE
    body_name: str = ""
    """The word after ``## Request Body:`` (``request``, ``entity``, ``userInfoIds``)."""
    body: tuple[RestField, ...] = ()
    response_kind: str = "none"
    response_type: str = ""
    response_doc: str = ""
    """The response section's prose: what the answer is (``SuperOffice User, with login
    credentials and an associated person.``), the carrier's description."""
    response_fields: tuple[RestField, ...] = ()
    statuses: tuple[tuple[int, str], ...] = ()
    select: bool = False
    sample_request: str | None = None
    sample_response: str | None = None
    sample_request_line: str = ""
    """The request sample's first line, as the page shows it (``POST /api/v1/Agents/...``)."""
    sample_request_headers: tuple[tuple[str, str], ...] = ()
    """The request sample's headers, ``(name, value)`` as the page shows them."""
    doc: str = ""
    parameters: tuple[Field, ...] = ()
    """The typed parameters, named as the page names them: path parts first, then query
    ones, then the body's (one Field for an ``entity`` or a raw array). Filled in by the
    merge pass."""
    returns: Field | None = None
    """The typed response, None for no content. Filled in by the merge pass."""


@dataclass(frozen=True)
class Operation:
    """A method of an agent, as SOAP offers it, as REST offers it, or both."""

    name: str
    doc: str = ""
    online_restricted: str = ""
    returns_doc: str = ""
    soap: SoapOperation | None = None
    rest: RestEndpoint | None = None


@dataclass(frozen=True)
class EntityEndpoint:
    """One WebAPI entity endpoint (``GET /api/v1/User/{id}``), from its page under
    ``restful/rest/<folder>/`` (``v1User_GetUser.md``).

    ``folder`` is the page's folder (``User``, ``List_ReasonSold``); ``entity`` the page
    id's word before the method (``User``, ``ReasonSoldList``); ``name`` the method
    (``GetUser``, ``GetAll``). ``calls`` is the agent method the page says it calls
    (``GetUser``), empty if it names none; ``archive`` the archive provider an OData list
    page reads (``AllUsers``), empty for every other page.
    """

    folder: str
    entity: str
    name: str
    rest: RestEndpoint
    calls: str = ""
    archive: str = ""
    online_restricted: str = ""

    @property
    def odata(self) -> bool:
        """An OData list: ``$filter``, ``$top`` and ``$skip`` over an archive provider."""
        return bool(self.archive)


@dataclass(frozen=True)
class Agent:
    """One service (``User``) of one API version (``86``), with every type it reaches.

    ``namespace`` is the service's target namespace; ``service_path`` the endpoint path
    below the installation root (``Remote/Services86/User.svc``). ``types`` is keyed by
    qualified name; ``operations`` are sorted by name.
    """

    name: str
    version: int | None
    namespace: str
    service_path: str
    operations: tuple[Operation, ...]
    types: tuple[TypeDef, ...]
    doc: str = ""
    entities: tuple[EntityEndpoint, ...] = ()
    """The entity endpoints joined to this agent, sorted by folder, then name."""
    entity_types: tuple[TypeDef, ...] = ()
    """The types only ``entities`` reach (the ``ODataList`` an OData list returns, carriers
    and nested objects only entity pages document; a field of one may name a type of
    ``types``), sorted by name; kept apart so that the entity pages change nothing the
    SOAP and agent REST clients are rendered from (``codegen.passes.entities``)."""

    def type_map(self) -> dict[QName, TypeDef]:
        return {t.name: t for t in self.types}

    def operation(self, name: str) -> Operation:
        for op in self.operations:
            if op.name == name:
                return op
        raise KeyError(name)


# --- Page records: what one documentation page says, before merging --------------------


@dataclass(frozen=True)
class SoapPage:
    """A SOAP method page. ``parameters`` maps bullet names, as written, to their text."""

    file: str
    agent: str
    version: int | None
    method: str
    doc: str = ""
    online_restricted: str = ""
    parameters: tuple[tuple[str, str], ...] = ()
    returns_doc: str = ""
    request: Sample | None = None
    response: Sample | None = None
    service_path: str = ""
    """The endpoint the page names (``Remote/Services86/User.svc``), empty if it names none."""


@dataclass(frozen=True)
class RestPage:
    file: str
    agent: str
    method: str
    endpoint: RestEndpoint
    online_restricted: str = ""


@dataclass(frozen=True)
class EntityPage:
    """An entity endpoint page. ``agent`` is the agent the page names (in ``Calls the User
    agent service GetUser``, ``{SuperOffice.CRM.Services.IUserAgent}`` or its Online
    Restricted line), empty if it names none: the join decides then."""

    file: str
    agent: str
    endpoint: EntityEndpoint


@dataclass(frozen=True)
class ReadResult:
    """What reading a docs root gave: agents for the versions asked, and every finding."""

    agents: tuple[Agent, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return not any(d.level is Level.ERROR for d in self.diagnostics)
