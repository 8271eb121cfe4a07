"""Property tests: mutated seed pages and WSDLs give compiling code.

Hypothesis takes the seeds under ``specs/`` and the trimmed WSDL of the bad-input suite and
damages them the way hand edits and bad downloads do (``mutation_support``): when the
damaged input reads without errors, the package rendered from it compiles, module by
module, and every sample envelope in it is well-formed XML. That the readers never raise
on damaged real pages is in ``tests/e2e/test_properties_corpus.py``.
"""

from __future__ import annotations

from conftest import GOLDEN
from hypothesis import event, given, settings
from hypothesis import strategies as st
from lxml import etree  # type: ignore[import-untyped]
from mutation_support import (
    EXPLORE,
    READER_SETTINGS,
    SEED_PAGES,
    SEED_REST,
    mutated,
    mutated_tree,
    text_of,
)

from codegen.emit import render_sources
from codegen.ir import Agent, Diagnostic, Level, RestPage, SoapPage
from codegen.passes import AgentSources, run_passes
from codegen.sources.rest_page import read_rest_page
from codegen.sources.soap_page import read_soap_page
from codegen.sources.wsdl import read_wsdl

GENERATE_SETTINGS = settings(READER_SETTINGS, max_examples=200 if EXPLORE else 25)

TRIMMED_WSDL = GOLDEN / "bad_inputs/wsdl-trimmed-baseline/user.wsdl"


# --- Property: what is generated compiles ----------------------------------------------------


def _assert_package_compiles(agent: Agent) -> None:
    for path, source in render_sources([agent], "superoffice").items():
        if path.suffix == ".py":
            compile(source, str(path), "exec")
        elif path.suffix == ".xml":
            etree.fromstring(source.encode("utf-8"))


def _errors(diagnostics: list[Diagnostic]) -> bool:
    return any(d.level is Level.ERROR for d in diagnostics)


@GENERATE_SETTINGS
@given(st.data())
def test_mutated_seeds_generate_compiling_code(data: st.DataObject) -> None:
    victim = data.draw(st.sampled_from(SEED_PAGES + SEED_REST))
    diagnostics: list[Diagnostic] = []
    soap_pages: list[SoapPage] = []
    rest_pages: list[RestPage] = []
    for path in SEED_PAGES + SEED_REST:
        text = data.draw(mutated(text_of(path))) if path == victim else text_of(path)
        if path in SEED_REST:
            rest, found = read_rest_page(str(path), text)
            rest_pages += [rest] if rest else []
        else:
            soap, found = read_soap_page(str(path), text)
            soap_pages += [soap] if soap else []
        diagnostics += found
    agent, found = run_passes(AgentSources("User", 86, None, soap_pages, rest_pages))
    event("errors" if _errors(diagnostics + found) else "generated")
    if not _errors(diagnostics + found):
        _assert_package_compiles(agent)


@GENERATE_SETTINGS
@given(st.data())
def test_mutated_wsdl_generates_compiling_code(data: st.DataObject) -> None:
    wsdl, diagnostics = read_wsdl("user.wsdl", data.draw(mutated_tree(TRIMMED_WSDL.read_bytes())))
    event("errors" if wsdl is None or _errors(diagnostics) else "read")
    if wsdl is None or _errors(diagnostics):
        return
    agent, found = run_passes(AgentSources(wsdl.name, wsdl.version, wsdl))
    if not _errors(found):
        _assert_package_compiles(agent)
