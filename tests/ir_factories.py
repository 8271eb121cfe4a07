"""Small IR objects for unit tests of the passes, built in a line instead of read from pages.

Every factory fills in what a test does not care about with the values a Services86 page of
the User agent would give, so that a test names only what it is about.
"""

from __future__ import annotations

from codegen.ir import (
    XSD,
    Agent,
    BodyKind,
    EntityEndpoint,
    EntityPage,
    Field,
    Message,
    Operation,
    QName,
    RestEndpoint,
    RestField,
    RestPage,
    Sample,
    SampleNode,
    SoapOperation,
    SoapPage,
    TypeDef,
)

NS = "http://www.superoffice.net/ws/crm/NetServer/Services86"


def xsd(name: str) -> QName:
    return QName(XSD, name)


def ns(name: str) -> QName:
    return QName(NS, name)


def node(
    name: str,
    xsi_type: QName | None = None,
    text: str = "",
    children: tuple[SampleNode, ...] = (),
    nil: bool = False,
    line: int = 0,
) -> SampleNode:
    """A sample element; ``name`` is local (in ``NS``) or a Clark name."""
    namespace, _, local = name.rpartition("}")
    return SampleNode(
        QName(namespace.lstrip("{") or NS, local), xsi_type, nil, text, children, line
    )


def soap_page(
    method: str,
    request: tuple[SampleNode, ...] = (),
    response: tuple[SampleNode, ...] = (),
    file: str = "",
    agent: str = "User",
    version: int | None = 86,
    doc: str = "",
    parameters: tuple[tuple[str, str], ...] = (),
) -> SoapPage:
    """A SOAP method page whose samples hold ``request`` and ``response`` in their bodies."""
    file = file or f"{method}.md"
    headers = (
        node("ApplicationToken", text="t"),
        node("Credentials", children=(node("Ticket"),)),
    )
    return SoapPage(
        file=file,
        agent=agent,
        version=version,
        method=method,
        doc=doc,
        parameters=parameters,
        request=Sample(file, 1, headers, node(method, children=request)),
        response=Sample(file, 20, (), node(f"{method}Response", children=response)),
    )


def field(wire_name: str, type: QName | None = None, doc: str = "", min_occurs: int = 0) -> Field:
    """An optional field in ``NS``, a string unless ``type`` says otherwise."""
    return Field(wire_name, NS, type or xsd("string"), min_occurs=min_occurs, doc=doc)


def operation(
    name: str, inputs: tuple[Field, ...] = (), outputs: tuple[Field, ...] = ()
) -> Operation:
    """A SOAP operation as a WSDL declares it: wrapper elements, fields, no text."""
    soap = SoapOperation(
        action=f"{NS}/User/{name}",
        input=Message(ns(name), inputs),
        output=Message(ns(f"{name}Response"), outputs),
    )
    return Operation(name=name, soap=soap)


def wsdl_agent(*operations: Operation, types: tuple[TypeDef, ...] = ()) -> Agent:
    """The User agent as a WSDL would give it: only ``operations`` and ``types``."""
    return Agent("User", 86, NS, "Remote/Services86/User.svc", operations, types)


def rest_page(
    method: str,
    query: tuple[RestField, ...] = (),
    body_kind: BodyKind = BodyKind.NONE,
    body: tuple[RestField, ...] = (),
    response_kind: str = "none",
    response_fields: tuple[RestField, ...] = (),
    doc: str = "",
    sample_response: str | None = None,
    response_doc: str = "",
) -> RestPage:
    """A REST method page of the User agent, at ``/api/v1/Agents/User/<method>``."""
    file = f"{method}.rest.md"
    endpoint = RestEndpoint(
        method="POST",
        path=f"/api/v1/Agents/User/{method}",
        file=file,
        line=1,
        query=query,
        body_kind=body_kind,
        body_name="request" if body_kind is BodyKind.REQUEST else "",
        body=body,
        response_kind=response_kind,
        response_fields=response_fields,
        response_doc=response_doc,
        doc=doc,
        sample_response=sample_response,
    )
    return RestPage(file=file, agent="User", method=method, endpoint=endpoint)


def entity_page(
    folder: str,
    name: str,
    agent: str = "",
    calls: str = "",
    path_parts: tuple[RestField, ...] = (),
    archive: str = "",
    response_kind: str = "none",
    response_fields: tuple[RestField, ...] = (),
    sample_response: str | None = None,
    response_type: str = "",
    body_name: str = "",
    body: tuple[RestField, ...] = (),
) -> EntityPage:
    """An entity endpoint page of ``folder`` (``GET /api/v1/<folder>/{parts}``) that names
    ``agent`` and calls ``calls``; with a ``body_name``, it sends that ``entity`` body."""
    file = f"restful/rest/{folder}/v1{folder}_{name}.md"
    path = "/".join([f"/api/v1/{folder}", *(f"{{{part.name}}}" for part in path_parts)])
    rest = RestEndpoint(
        method="GET",
        path=path,
        file=file,
        line=8,
        path_parts=path_parts,
        response_kind=response_kind,
        response_fields=response_fields,
        sample_response=sample_response,
        response_type=response_type,
        body_kind=BodyKind.ENTITY if body_name else BodyKind.NONE,
        body_name=body_name,
        body=body,
    )
    endpoint = EntityEndpoint(folder, folder, name, rest, calls=calls, archive=archive)
    return EntityPage(file=file, agent=agent, endpoint=endpoint)


def rest_operation(
    name: str,
    parameters: tuple[Field, ...] = (),
    returns: Field | None = None,
    path: str = "",
    select: bool = False,
) -> Operation:
    """A WebAPI method of the User agent as the merge pass leaves it: typed ``parameters``
    (all in the body's ``request`` object) and ``returns``, at ``path`` (by default
    ``/api/v1/Agents/User/<name>``), with no SOAP side."""
    path = path or f"/api/v1/Agents/User/{name}"
    endpoint = RestEndpoint(
        method="POST",
        path=path,
        file=f"{name}.rest.md",
        line=1,
        body_kind=BodyKind.REQUEST if parameters else BodyKind.NONE,
        response_kind="object" if returns else "none",
        select=select,
        parameters=parameters,
        returns=returns,
    )
    return Operation(name=name, rest=endpoint)
