"""The view model of ``entities.py``: the entity endpoints of one agent, a client class
per entity (``UserEntities`` and ``AsyncUserEntities`` for ``restful/rest/User/``), on
the codecs of the REST view (``codegen.emit.rest.view.RestBuilder``).

``build_entity_view(agent, names)`` decides, for every endpoint, its Python method, its
parameters (path parts first and positional, then the body, then the query options as
keywords) and the codec of each; for a PATCH endpoint, the JSON Patch and Merge Patch
classes of the model it patches; for an OData list (``$top`` and ``$skip``), the
iterator over its rows. Declarations come out laid out as black would print them
(``codegen.emit.layout``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from codegen.emit.layout import INDENT, Call, Expr, keyword, lines, store
from codegen.emit.literals import first_sentence, literal
from codegen.emit.rest.view import (
    SELECT_OPTION,
    RestBuilder,
    RestEnum,
    RestMethod,
    RestModel,
    RestParameter,
    TypeCode,
    method_doc,
    model_imports,
    nullable,
    relative_path,
)
from codegen.ir import (
    Agent,
    BodyKind,
    ComplexType,
    EntityEndpoint,
    Field,
    Operation,
    QName,
    RestEndpoint,
    RestField,
)
from codegen.naming import Scope, pascal_case, safe, snake_case, upper_snake
from codegen.passes.names import (
    CLASS_RESERVED,
    METHOD_RESERVED,
    Names,
    assign_entity_names,
    offline_classes,
)

PAGE_SIZE = 200
"""The rows an OData iterator asks for a page at a time, unless told otherwise."""
PAGER_OPTIONS = frozenset({"page_size", "limit", "fetch"})
"""What an OData iterator names besides the list's parameters."""
_TOP, _SKIP, _SELECT = "$top", "$skip", "$select"
_ENUM = re.compile(r"\s*Enum:\s*(.+)", re.IGNORECASE)
"""A query parameter's documented values: ``Enum: Slim, Wide, Full``."""
_PATCH_DOC = (
    "The changes: a ``{patch}`` (JSON Patch, RFC 6902) or a ``{merge}`` (JSON Merge"
    " Patch, RFC 7396)."
)
_CONTENT_TYPE = RestParameter(
    "Content-Type",
    "content_type",
    "header",
    TypeCode("str", "", '"application/octet-stream"'),
    True,
    "The file's media type, as the page lists them (``image/png``).",
)
"""What a file sent as the body goes with."""
_PAGING_ERROR = (
    "PagingError",
    (
        "A page is longer than asked, or repeats the one before: the server ignores"
        " ``$top`` or ``$skip``."
    ),
)
"""What an OData iterator raises besides what its list's method does."""
_PAGER_ARGS = (
    ("page_size", "The rows asked for a request (``$top``)."),
    ("limit", "The most rows to give in all; None for every row of the list."),
)


# --- View records -------------------------------------------------------------------------


@dataclass(frozen=True)
class QueryEnum:
    """The documented values of a query parameter (``$mode``: ``Enum: Slim, Wide, Full``),
    as a ``StrEnum`` of ``entities.py``."""

    class_name: str
    constant: str
    members: tuple[tuple[str, str], ...]
    """``(value, Python member name)``, in the page's order."""
    doc: str

    @property
    def registration(self) -> list[str]:
        """Its codec, as the REST view declares an enum's."""
        return RestEnum(self.constant, self.class_name, False, self.members).definition


@dataclass(frozen=True)
class PatchModel:
    """The patch classes of one model a PATCH endpoint changes."""

    model: str
    field_alias: str
    changes: str
    patch: str
    merge: str
    fields: tuple[tuple[str, str], ...]
    """``(Python name, annotation)`` of every field, the base's first."""

    @property
    def alias_definition(self) -> list[str]:
        names = tuple(literal(name) for name, _ in self.fields)
        return store(
            f"{self.field_alias}: typing.TypeAlias = ", Call("typing.Literal", names, "[]")
        )

    @property
    def classes(self) -> tuple[str, str]:
        return (self.patch, self.merge)

    def head(self, name: str, base: str) -> list[str]:
        """The ``class`` line of one of the patch classes."""
        return lines(Call(f"class {name}", (base,)), 0, ":")

    @property
    def docs(self) -> dict[str, str]:
        """The docstrings of the alias and the classes, by name."""
        model, first = self.model, self.fields[0][0] if self.fields else "name"
        return {
            self.field_alias: f"The fields of a ``{model}`` that a ``{self.patch}`` names.",
            self.changes: f"A partial ``{model}``, the fields a ``{self.merge}`` sets.",
            self.patch: (
                f"A JSON Patch (RFC 6902) of a ``{model}``: ``add``, ``replace``, ``remove``"
                f" and ``test`` of its fields, by name (``{first}``)."
            ),
            self.merge: (
                f"A JSON Merge Patch (RFC 7396) of a ``{model}``, from a partial one: the"
                " fields to set, by name; None clears one."
            ),
        }

    @property
    def fields_expr(self) -> str:
        return f"_entity.Fields({self.model}, _MODELS)"


@dataclass(frozen=True)
class EntityModel:
    """A dataclass of ``entities.py``: a type only entity endpoints reach (a carrier only
    their pages document), which ``models.py`` does not hold."""

    class_name: str
    base: str
    doc: str
    fields: tuple[tuple[str, str, str, str], ...]
    """``(Python name, annotation, default, doc)``: every field None, a value type's
    default or an empty list or dictionary until given, as the models' are."""


@dataclass(frozen=True)
class EntityMethod:
    folder: str
    wire_name: str
    python_name: str
    constant: str
    http_method: str
    path: str
    path_parts: tuple[RestParameter, ...]
    parameters: tuple[RestParameter, ...]
    """The operation's: the query, then the body's (a whole body, or its properties)."""
    trailing: tuple[RestParameter, ...]
    """What the endpoint sends as the body itself: a PATCH's patch, or a file and its
    ``content_type``."""
    returns: str
    response: Expr
    json_body: bool
    select: bool
    doc: str
    summary: str
    patch_classes: tuple[str, ...] = ()
    """A PATCH's JSON Patch and Merge Patch classes."""
    binary: bool = False
    """The body is a file's bytes."""
    pager: str = ""
    """The OData iterator's name; empty when the endpoint is no OData list."""
    pager_doc: str = ""

    @property
    def positional(self) -> tuple[RestParameter, ...]:
        """Path parts, then a whole body, a patch or a file: what the call is about."""
        whole = ("body", "patch", "file")
        return (*self.path_parts, *(p for p in self.every if p.place in whole))

    @property
    def keywords(self) -> tuple[RestParameter, ...]:
        return tuple(p for p in self.every if p not in self.positional)

    @property
    def every(self) -> tuple[RestParameter, ...]:
        """Every parameter, in the order the endpoint takes them."""
        return (*self.path_parts, *self.parameters, *self.trailing)

    @property
    def definition(self) -> list[str]:
        operation = RestMethod(
            wire_name=self.wire_name,
            python_name=self.python_name,
            http_method=self.http_method,
            path=self.path,
            parameters=self.parameters,
            returns=self.returns,
            response=self.response,
            json_body=self.json_body,
            select=self.select,
            doc="",
            summary="",
        ).operation
        endpoint: list[Expr] = [keyword("operation", operation)]
        if self.path_parts:
            parts = tuple(_path_part(p) for p in self.path_parts)
            endpoint.append(Call("path_parts=", parts, one_tuple=True))
        if self.patch_classes:
            endpoint.append(f"patch=({', '.join(self.patch_classes)})")
        if self.binary:
            endpoint.append("binary=True")
        return store(f"{self.constant} = ", Call("_entity.Endpoint", tuple(endpoint)))

    @property
    def registry_entry(self) -> list[str]:
        """Its line of ``ENDPOINTS``: ``("User", "GetUser"): _USER_ENTITIES__GET_USER,``."""
        key = Call("", (literal(self.folder), literal(self.wire_name)))
        return lines(key, len(INDENT), f": {self.constant},")

    def invocation(self, is_async: bool, indent: int) -> list[str]:
        """The method's body: ``return self._call(endpoint, select, arguments...)``."""
        head = "return await self._call" if is_async else "return self._call"
        select = "select" if self.select else "None"
        names = (p.python_name for p in self.every)
        return lines(Call(head, (self.constant, select, *names)), indent)

    @property
    def pager_keywords(self) -> tuple[RestParameter, ...]:
        return tuple(p for p in self.keywords if p.wire_name not in (_TOP, _SKIP))

    def fetch(self, is_async: bool, indent: int) -> list[str]:
        """The OData iterator's ``fetch``: the list's method for one page."""
        arguments: list[str] = [p.python_name for p in self.positional]
        for p in self.keywords:
            value = {_TOP: "top", _SKIP: "skip"}.get(p.wire_name, p.python_name)
            arguments.append(f"{p.python_name}={value}")
        if self.select:
            arguments.append("select=select")
        head = (
            f"return await self.{self.python_name}"
            if is_async
            else f"return self.{self.python_name}"
        )
        return lines(Call(head, tuple(arguments)), indent)


@dataclass(frozen=True)
class EntityClass:
    """The clients of one entity folder (``restful/rest/User/``)."""

    folder: str
    class_name: str
    async_class_name: str
    methods: tuple[EntityMethod, ...]

    @property
    def registry_entry(self) -> list[str]:
        """Its line of ``CLIENTS``: ``"User": (UserEntities, AsyncUserEntities),``."""
        classes = Call(f"{literal(self.folder)}: ", (self.class_name, self.async_class_name))
        return lines(classes, len(INDENT), ",")

    def client_doc(self, is_async: bool) -> str:
        flavour = "asyncio" if is_async else "blocking"
        client = "httpx.AsyncClient" if is_async else "httpx.Client"
        return (
            f"The WebAPI entity endpoints of ``{self.folder}`` ({flavour}), on an"
            f" ``{client}``.\n\n"
            "The client's ``base_url`` is the WebAPI root "
            "(``https://host/Cust12345/api/v1/``); ``auth`` and the options are sent as the "
            "REST clients send them. An answer that is not 2xx raises ``RestError``: "
            "``NotFound`` for 404, ``Conflict`` for 409, ``PreconditionFailed`` for 412."
        )


@dataclass(frozen=True)
class EntityAgentView:
    name: str
    enums: tuple[RestEnum, ...]
    models: tuple[RestModel, ...]
    entity_models: tuple[EntityModel, ...]
    query_enums: tuple[QueryEnum, ...]
    patches: tuple[PatchModel, ...]
    classes: tuple[EntityClass, ...]

    @property
    def methods(self) -> tuple[EntityMethod, ...]:
        return tuple(m for c in self.classes for m in c.methods)

    @property
    def standard_imports(self) -> tuple[str, ...]:
        """The standard library modules the module's code names: ``enum`` for the query
        enums, ``datetime`` and ``decimal`` for annotations; ``typing`` always."""
        annotations = " ".join(
            [
                *(a for p in self.patches for _, a in p.fields),
                *(a for m in self.entity_models for _, a, _, _ in m.fields),
                *(m.returns for m in self.methods),
                *(p.type.annotation for m in self.methods for p in (*m.path_parts, *m.parameters)),
            ]
        )
        needed = [name for name in ("datetime", "decimal") if f"{name}." in annotations]
        if self.entity_models:
            needed.insert(0, "dataclasses")
        return (*needed, *(("enum",) if self.query_enums else ()), "typing")

    @property
    def model_names(self) -> tuple[str, ...]:
        """What ``entities.py`` takes from ``models.py``: the classes, and the constants
        that defaults name."""
        own = {m.class_name for m in self.entity_models}
        models = [m for m in self.models if m.class_name not in own]
        parameters = (p for m in self.methods for p in m.every)
        return model_imports(self.enums, models, parameters)

    @property
    def public_names(self) -> tuple[str, ...]:
        """What the module offers: clients, patches, query enums."""
        names = [n for c in self.classes for n in (c.class_name, c.async_class_name)]
        names += [m.class_name for m in self.entity_models]
        names += [n for p in self.patches for n in (p.field_alias, p.changes, p.patch, p.merge)]
        names += [e.class_name for e in self.query_enums]
        return tuple(names)


def _path_part(parameter: RestParameter) -> Call:
    names = (literal(parameter.wire_name), literal(parameter.python_name))
    return Call("_entity.PathPart", (*names, parameter.type.codec))


# --- Building -----------------------------------------------------------------------------


def build_entity_view(agent: Agent, names: Names) -> EntityAgentView:
    """The entity endpoints of ``agent``, on ``names``."""
    return _Builder(agent, names).build()


def pageable(endpoint: EntityEndpoint) -> bool:
    """An OData list walked a page at a time: its query takes ``$top`` and ``$skip``."""
    query = {f.name for f in endpoint.rest.query}
    return _TOP in query and _SKIP in query


class _Builder:
    def __init__(self, agent: Agent, names: Names) -> None:
        self.agent = agent
        self.names = names = assign_entity_names(agent, names)
        every = replace(agent, types=(*agent.types, *agent.entity_types))
        self.rest = RestBuilder(every, names)
        self.types = every.type_map()
        self.entity_only = {t.name for t in agent.entity_types}
        self.classes = Scope(
            CLASS_RESERVED,
            taken={
                *names.classes.values(),
                names.client,
                names.async_client,
                *offline_classes(names.client),
            },
        )
        self.query_enums: dict[tuple[str, tuple[str, ...]], QueryEnum] = {}
        self.patches: dict[QName, PatchModel] = {}

    def claim(self, name: str) -> str:
        """A class name of the module, clashing with no model or client."""
        return self.classes.claim(safe(name, CLASS_RESERVED, "Entity"))

    def build(self) -> EntityAgentView:
        enums, models = self.rest.registry()
        folders: dict[str, list[EntityEndpoint]] = {}
        for endpoint in self.agent.entities:
            folders.setdefault(endpoint.folder, []).append(endpoint)
        classes = tuple(self.entity_class(f, folders[f]) for f in sorted(folders))
        entity_types = sorted(
            (t for t in self.agent.entity_types if isinstance(t, ComplexType)),
            key=lambda t: self.names.classes[t.name],
        )
        return EntityAgentView(
            name=self.agent.name,
            enums=enums,
            models=models,
            entity_models=tuple(self.entity_model(t) for t in entity_types),
            query_enums=tuple(self.query_enums.values()),
            patches=tuple(self.patches.values()),
            classes=classes,
        )

    def entity_model(self, definition: ComplexType) -> EntityModel:
        own = self.names.fields[definition.name]
        base = self.types.get(definition.base) if definition.base else None
        return EntityModel(
            class_name=self.names.classes[definition.name],
            base=self.names.classes[base.name] if isinstance(base, ComplexType) else "",
            doc=definition.doc or f"The {definition.name.name} of the WebAPI entity pages.",
            fields=tuple(
                (own[f.wire_name], *_annotated(self.rest.field_code(f)), f.doc)
                for f in definition.fields
            ),
        )

    def entity_class(self, folder: str, endpoints: Sequence[EntityEndpoint]) -> EntityClass:
        word = endpoints[0].entity.removesuffix("Entity") or endpoints[0].entity
        class_name = self.claim(pascal_case(word) + "Entities")
        async_name = self.claim("Async" + class_name)
        ordered = sorted(endpoints, key=lambda e: e.name)
        methods = Scope(METHOD_RESERVED).assign([e.name for e in ordered], snake_case)
        pagers = Scope(taken=methods.values()).assign(
            [e.name for e in ordered if pageable(e)], _pager_name
        )
        return EntityClass(
            folder=folder,
            class_name=class_name,
            async_class_name=async_name,
            methods=tuple(
                self.method(e, class_name, methods[e.name], pagers.get(e.name, "")) for e in ordered
            ),
        )

    def method(
        self, entity: EntityEndpoint, class_name: str, python_name: str, pager: str
    ) -> EntityMethod:
        endpoint = entity.rest
        binary = endpoint.body_kind is BodyKind.BINARY
        reserved = METHOD_RESERVED | SELECT_OPTION | (PAGER_OPTIONS if pager else frozenset())
        reserved |= {_CONTENT_TYPE.python_name} if binary else frozenset()
        fields = list(endpoint.parameters)
        parts = len(endpoint.path_parts)
        query = fields[parts : parts + len(endpoint.query)]
        body = fields[parts + len(endpoint.query) :]
        patched = self.patched(entity) if body else None
        python = Scope(reserved).assign([f.wire_name for f in fields], snake_case)
        documented = {f.name: f for f in endpoint.query}

        def parameter(f: Field, place: str, code: TypeCode, optional: bool) -> RestParameter:
            return RestParameter(f.wire_name, python[f.wire_name], place, code, optional, f.doc)

        path_parts = tuple(
            parameter(f, "path", self.rest.field_code(replace(f, min_occurs=1)), False)
            for f in fields[:parts]
        )
        queries = tuple(
            self.query_parameter(f, documented.get(f.wire_name), python[f.wire_name])
            for f in query
            if f.wire_name != _SELECT
        )
        whole = patched is not None or (binary and bool(body))
        bodies = () if whole else self.body(endpoint.body_kind, body, python)
        trailing: tuple[RestParameter, ...] = ()
        if patched is not None:
            trailing = (self.patch(patched, body[0], python),)
        elif whole:
            trailing = (parameter(body[0], "file", self.required(body[0]), False), _CONTENT_TYPE)
        classes = () if patched is None else self.patch_model(patched).classes
        returns, response = self.rest.response(_answered(endpoint))
        if pager:
            returns, response = "_entity.Page", "_rest.json_response(_entity.PAGE)"
        select = endpoint.select or _SELECT in documented
        op = Operation(entity.name, online_restricted=entity.online_restricted, rest=endpoint)
        documenting = replace(endpoint, select=select)
        every = (*path_parts, *queries, *bodies, *trailing)
        return EntityMethod(
            folder=entity.folder,
            wire_name=entity.name,
            python_name=python_name,
            constant=f"_{upper_snake(class_name)}__{python_name.upper()}",
            http_method=endpoint.method.upper(),
            path=relative_path(endpoint.path),
            path_parts=path_parts,
            parameters=(*queries, *bodies),
            trailing=trailing,
            returns=returns,
            response=response,
            json_body=bool(bodies),
            select=select,
            doc=method_doc(op, documenting, every),
            summary=first_sentence(endpoint.doc or entity.name),
            patch_classes=classes,
            binary=whole and patched is None,
            pager=pager,
            pager_doc=_pager_doc(op, documenting, every) if pager else "",
        )

    def query_parameter(self, source: Field, row: RestField | None, name: str) -> RestParameter:
        """A query parameter: its documented values an enum; left out unless required,
        since the WebAPI's own default may differ from the type's (``$top=0`` asks for no
        rows)."""
        required = row is not None and row.required
        values = _ENUM.fullmatch(row.type) if row is not None else None
        if values:
            code = self.query_enum(source, values.group(1))
            code = code if required else nullable(code)
        else:
            # Left out is None: a list, which has no None item, or a value.
            nillable = not required and not source.repeated
            given = replace(source, nillable=nillable, min_occurs=int(required))
            code = self.rest.parameter_code(given)
        return RestParameter(source.wire_name, name, "query", code, not required, source.doc)

    def query_enum(self, source: Field, values: str) -> TypeCode:
        members = tuple(dict.fromkeys(v.strip() for v in values.split(",") if v.strip()))
        key = (source.wire_name, members)
        found = self.query_enums.get(key)
        if found is None:
            class_name = self.claim(pascal_case(source.wire_name))
            python = Scope().assign(members, upper_snake, fallback="VALUE")
            found = QueryEnum(
                class_name=class_name,
                constant=f"_ENUM__{upper_snake(class_name)}",
                members=tuple((m, python[m]) for m in members),
                doc=source.doc or f"The values of ``{source.wire_name}``.",
            )
            self.query_enums[key] = found
        return TypeCode(found.class_name, found.constant)

    def body(
        self, kind: BodyKind, body: Sequence[Field], python: dict[str, str]
    ) -> tuple[RestParameter, ...]:
        place = "property" if kind is BodyKind.REQUEST else "body"
        return tuple(
            RestParameter(
                f.wire_name,
                python[f.wire_name],
                place,
                self.rest.parameter_code(f) if place == "property" else self.required(f),
                place == "property" and (f.nillable or f.optional),
                f.doc,
            )
            for f in body
        )

    def required(self, source: Field) -> TypeCode:
        """A whole body: what the call is for, never None."""
        return self.rest.field_code(replace(source, nillable=False, min_occurs=1))

    def patched(self, entity: EntityEndpoint) -> ComplexType | None:
        """The model a PATCH endpoint changes, which it answers with; None for another
        endpoint, or a PATCH that answers with no model (its body is sent as typed). An
        answer with links (``UserWithLinks``) patches the agent's carrier (``User``): the
        links are the server's to make."""
        returns = entity.rest.returns
        if entity.rest.method.upper() != "PATCH" or returns is None:
            return None
        model = self.types.get(returns.type)
        base = self.types.get(model.base) if isinstance(model, ComplexType) and model.base else None
        if isinstance(base, ComplexType) and returns.type in self.entity_only:
            return base
        return model if isinstance(model, ComplexType) else None

    def patch(self, model: ComplexType, source: Field, python: dict[str, str]) -> RestParameter:
        """The patch document of a PATCH endpoint: a JSON Patch or a Merge Patch."""
        found = self.patch_model(model)
        code = TypeCode(f"{found.patch} | {found.merge}", "")
        doc = _PATCH_DOC.format(patch=found.patch, merge=found.merge)
        return RestParameter(source.wire_name, python[source.wire_name], "patch", code, False, doc)

    def patch_model(self, model: ComplexType) -> PatchModel:
        found = self.patches.get(model.name)
        if found is None:
            class_name = self.names.classes[model.name]
            fields = tuple(
                (python, self.rest.field_code(f).annotation)
                for f, python in self.field_names(model)
            )
            found = PatchModel(
                model=class_name,
                field_alias=self.claim(class_name + "Field"),
                changes=self.claim(class_name + "Changes"),
                patch=self.claim(class_name + "Patch"),
                merge=self.claim(class_name + "MergePatch"),
                fields=fields,
            )
            self.patches[model.name] = found
        return found

    def field_names(self, model: ComplexType) -> Iterable[tuple[Field, str]]:
        """Every field of ``model`` with its Python name, the bases' first."""
        owners = {}
        chain: ComplexType | None = model
        while isinstance(chain, ComplexType) and chain.name not in owners:
            owners[chain.name] = chain
            base = self.types.get(chain.base) if chain.base else None
            chain = base if isinstance(base, ComplexType) else None
        for owner in reversed(owners.values()):
            for f in owner.fields:
                yield f, self.names.fields[owner.name][f.wire_name]


def _pager_doc(op: Operation, endpoint: RestEndpoint, parameters: Sequence[RestParameter]) -> str:
    """The OData iterator's docstring: the list's, read a page at a time."""
    walking = (
        f"Every row of ``{op.name}``, asked for ``page_size`` rows at a time (``$top``,"
        " ``$skip``) as the rows before are taken, up to ``limit``: one page is held at a"
        " time. The walk ends at an empty page, or one shorter than asked with no"
        " ``odata.nextLink``; a server that does not page as asked ends it with"
        " ``PagingError``."
    )
    paging = replace(endpoint, doc=f"{walking}\n\n{endpoint.doc}", response_doc="")
    parts = len(endpoint.path_parts)
    options = [RestParameter(n, n, "query", TypeCode("int", ""), True, d) for n, d in _PAGER_ARGS]
    kept = [p for p in parameters if p.wire_name not in (_TOP, _SKIP)]
    every = [*kept[:parts], *options, *kept[parts:]]
    return method_doc(op, paging, every, (_PAGING_ERROR,))


def _answered(endpoint: RestEndpoint) -> RestEndpoint:
    """``endpoint`` whose answer is never None where its page documents 404 for a missing
    entity: a 2xx answer then holds one, and null would be malformed."""
    if endpoint.returns is None or all(status != 404 for status, _ in endpoint.statuses):
        return endpoint
    return replace(endpoint, returns=replace(endpoint.returns, nillable=False, min_occurs=1))


def _annotated(code: TypeCode) -> tuple[str, str]:
    """A dataclass field's annotation and default: None where it may be None (an object
    with no default becomes so), a value type's default, an empty list or dictionary."""
    if code.annotation.endswith("| None"):
        return code.annotation, "None"
    if code.zero:
        return code.annotation, code.zero
    for kind in ("list", "dict"):
        if code.annotation.startswith(f"{kind}["):
            return code.annotation, f"dataclasses.field(default_factory={kind})"
    return f"{code.annotation} | None", "None"


def _pager_name(name: str) -> str:
    """``GetAll`` -> ``iter_all``."""
    return "iter_" + snake_case(name).removeprefix("get_")
