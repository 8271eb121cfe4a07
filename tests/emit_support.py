"""Generated packages in tests: render agents into an importable package and read values
back through it, and the IR factories that build small agents for the emitter's corners."""

from __future__ import annotations

import gc
import importlib
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from types import ModuleType
from typing import Any

import black

from codegen.emit import render_sources, write_output
from codegen.ir import (
    XSD,
    Agent,
    ComplexType,
    Field,
    Message,
    Operation,
    QName,
    SoapOperation,
    TypeDef,
)
from codegen.load import cycle_collector_paused

TNS = "http://example.com/ns"
HOSTILE = 'He said """hi""" \\ C:\\path {{ x }} {% if y %} {# z #} \x00 nul \x1b end"'


def format_python(source: str) -> str:
    """What black makes of ``source``; a generated module must already be exactly that."""
    with young_objects_freed_after():
        return black.format_str(source, mode=black.Mode())


@contextmanager
def young_objects_freed_after() -> Iterator[None]:
    """Python's cycle collector paused for a block that makes and drops many objects (black's
    syntax tree, whose nodes point at their parents; an ``ast`` tree), then run over only
    what is new since: the tests black over 200,000 lines, and with the collector running
    a tenth of that time (a fifth with all that a test run keeps alive) went to its full
    passes over everything alive, finding each time only the last tree to free."""
    try:
        with cycle_collector_paused():
            yield
    finally:
        gc.collect(0)


@dataclass
class Generated:
    """A package written below ``out`` and importable as ``package``."""

    out: Path
    package: str
    files: dict[PurePosixPath, str]

    def module(self, dotted: str) -> ModuleType:
        return importlib.import_module(f"{self.package}.{dotted}")


def generate_package(agents: list[Agent], package: str, out: Path) -> Generated:
    files = render_sources(agents, package)
    write_output(files, out)
    return Generated(out, package, files)


def forget(packages: list[Generated]) -> None:
    for generated in packages:
        sys.path.remove(str(generated.out))
        for name in [m for m in sys.modules if m.split(".")[0] == generated.package]:
            del sys.modules[name]


def make_importable(generated: Generated, packages: list[Generated]) -> Generated:
    sys.path.insert(0, str(generated.out))
    packages.append(generated)
    return generated


def wrap(models: ModuleType, tag: str, pieces: list[str]) -> bytes:
    """Written child elements inside one element that declares the writers' prefixes."""
    xmlns = "".join(f' xmlns:{p}="{ns}"' for p, ns in sorted(models.NAMESPACES.items()))
    return f"<tns:{tag}{xmlns}>{''.join(pieces)}</tns:{tag}>".encode()


def round_trip(generated: Generated, agent: str, type_id: str, value: Any) -> Any:
    models = generated.module(f"{agent}.models")
    runtime = generated.module("_runtime")
    out: list[str] = []
    getattr(models, f"write_{type_id}")(out, value)
    element = runtime.parse_xml(wrap(models, "Value", out))
    return getattr(models, f"read_{type_id}")(element)


def q(name: str) -> QName:
    return QName(TNS, name)


def xs(name: str) -> QName:
    return QName(XSD, name)


def field(
    name: str, type_: QName, nillable: bool = True, min_occurs: int = 0, doc: str = ""
) -> Field:
    return Field(name, TNS, type_, nillable=nillable, min_occurs=min_occurs, doc=doc)


_HEADERS = (
    Field("ApplicationToken", TNS, xs("string"), nillable=True),
    Field("Credentials", TNS, q("SoCredentials"), nillable=True),
)


_CREDENTIALS = ComplexType(q("SoCredentials"), (field("Ticket", xs("string")),))


def operation(
    name: str, parameters: tuple[Field, ...] = (), parts: tuple[Field, ...] = (), doc: str = ""
) -> Operation:
    soap = SoapOperation(
        action=f"{TNS}/Agent/{name}",
        input=Message(q(name), parameters, _HEADERS),
        output=Message(q(f"{name}Response"), parts),
    )
    return Operation(name=name, doc=doc, soap=soap)


def agent_of(
    types: tuple[TypeDef, ...], operations: tuple[Operation, ...], name: str = "Thing"
) -> Agent:
    return Agent(
        name=name,
        version=1,
        namespace=TNS,
        service_path=f"Remote/Services1/{name}.svc",
        operations=operations,
        types=(_CREDENTIALS, *types),
        doc=HOSTILE,
    )
