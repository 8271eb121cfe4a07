"""Generated SOAP modules are black-stable by construction: black would change nothing.

Generation never runs black (it would dominate the time to generate a corpus), so
``models.py``, ``soap.py``, ``_runtime.py`` and the ``__init__.py`` files must come out of
the templates exactly as ``black.format_str(source, mode=black.Mode())`` prints them.
Every module of the Services86 package generated for the run (``build_support``) is
checked, in chunks that pytest-xdist spreads over its workers; then the User agent of
every version and a few Services86 agents chosen for their corners (anyType, the longest
names, flags, many operations), each rendered on its own. ``rest.py`` has its own owner
and test.

Black is the slow part, and the agents share much of their code (the models of common
types, above all), so black sees each piece once. Black lays out each top-level
statement on its own, from its text alone; only the blank lines between two statements
depend on both. So a module is cut into its top-level statements (an attribute's
docstring kept with its assignment), and a module is given to black whole when it has a
seam no module before it had (the kinds of the statements on either side and the lines
between them); otherwise each of its statements not seen before is given to black on its
own. Every statement and every seam of every module is checked, each once; the modules
rendered on their own then give black only the statements and seams the chunks did not.
"""

from __future__ import annotations

import ast
import difflib
import functools
import pickle
import tempfile
from itertools import pairwise
from pathlib import Path, PurePosixPath

import pytest
from build_support import Services86, built_once, generated_version, read_agents
from conftest import ROOT
from emit_support import format_python, young_objects_freed_after
from schedule_support import build_params

from codegen.emit import render_sources
from codegen.ir import Agent

CHECKED = frozenset({"__init__.py", "_runtime.py", "models.py", "soap.py"})
CHUNKS = 8
"""About 170,000 lines for black in all (of 240,000): parts of some seconds each."""
DIVERSE_86 = ("Webhook", "SoPrincipal", "Sentry", "Quote")
"""Webhook reads and writes anyType; SoPrincipal has the longest type names; Sentry is
small with flags; Quote has many operations and long method names."""


def _checked(files: dict[PurePosixPath, str]) -> dict[PurePosixPath, str]:
    return {path: text for path, text in files.items() if path.name in CHECKED}


def _built(services86: Services86) -> dict[PurePosixPath, str]:
    """The modules of the run's Services86 package, by path below its folder."""
    return _built_below(services86.out)


@functools.cache
def _built_below(root: Path) -> dict[PurePosixPath, str]:
    paths = sorted(root.rglob("*.py"))
    return _checked({PurePosixPath(p.relative_to(root)): p.read_text("utf-8") for p in paths})


class Cutter:
    """What black must see of modules so that every statement and every seam is checked
    once: whole modules and single statements, each under the path of its module. It
    remembers what it has handed out, so modules cut later yield only what is new."""

    def __init__(self) -> None:
        self.seams: set[tuple[str, str, str]] = set()
        self.statements: set[str] = set()

    def cut(self, modules: dict[PurePosixPath, str]) -> list[tuple[PurePosixPath, str]]:
        pieces: list[tuple[PurePosixPath, str]] = []
        for path, source in sorted(modules.items()):
            cut = _statements(source)
            starts = [("", "", ""), *cut]
            new_seams = {
                (before[0], between, kind) for before, (kind, between, _) in pairwise(starts)
            }
            if not new_seams <= self.seams:
                self.seams |= new_seams
                self.statements.update(text for _, _, text in cut)
                pieces.append((path, source))
                continue
            for _, _, text in cut:
                if text and text not in self.statements:
                    self.statements.add(text)
                    pieces.append((path, text))
        return pieces


Checked = tuple[Cutter, tuple[tuple[PurePosixPath, str], ...]]
"""A cutter and the pieces it handed out."""


@functools.cache
def _pieces(out: Path) -> Checked:
    """The pieces of the Services86 package below ``out``, and the cutter that saw them."""
    cutter = Cutter()
    return cutter, tuple(cutter.cut(_built_below(out)))


def _statements(source: str) -> list[tuple[str, str, str]]:
    """The top-level statements of ``source`` as ``(kind, lines before it, its text)``, a
    string statement (an attribute's docstring) kept with the statement before it, and
    last the lines after them all (kind and text empty)."""
    lines = source.splitlines(keepends=True)
    spans: list[list[object]] = []
    with young_objects_freed_after():
        body = ast.parse(source).body
    for node in body:
        start = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", []))])
        is_string = isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
        if spans and is_string:
            spans[-1][2] = node.end_lineno
            continue
        decorated = "@" if getattr(node, "decorator_list", None) else ""
        spans.append([decorated + type(node).__name__, start, node.end_lineno])
    cut: list[tuple[str, str, str]] = []
    end = 0
    for kind, start, stop in spans:
        assert isinstance(kind, str) and isinstance(start, int) and isinstance(stop, int)
        cut.append((kind, "".join(lines[end : start - 1]), "".join(lines[start - 1 : stop])))
        end = stop
    return [*cut, ("", "".join(lines[end:]), "")]


def _rendered(agents: list[Agent]) -> dict[PurePosixPath, str]:
    """The modules of ``agents`` rendered on their own."""
    assert agents, "no agents read"
    return _checked(render_sources(agents, "superoffice"))


def _difference(path: PurePosixPath, source: str) -> str:
    """What black would change in one module, as a short diff; empty when nothing."""
    formatted = format_python(source)
    if formatted == source:
        return ""
    diff = difflib.unified_diff(
        source.splitlines(), formatted.splitlines(), str(path), "black", n=1, lineterm=""
    )
    return "\n".join(list(diff)[:40])


def _assert_black_stable(sources: dict[PurePosixPath, str], seen: Cutter) -> None:
    """Every statement and seam of ``sources`` that the chunks did not check is stable."""
    _assert_pieces_black_stable(seen.cut(sources))


def _assert_pieces_black_stable(pieces: list[tuple[PurePosixPath, str]]) -> None:
    found = [d for d in (_difference(p, s) for p, s in pieces) if d]
    assert not found, f"{len(found)} of {len(pieces)} pieces differ:\n" + "\n".join(found[:5])


@pytest.fixture(scope="session")
def services86_pieces(services86: Services86, tmp_path_factory: pytest.TempPathFactory) -> Checked:
    """``_pieces`` of the run's Services86 package, cut once for all the workers."""

    def build(folder: Path) -> None:
        cutter, pieces = _pieces(services86.out)
        kept = (cutter.seams, cutter.statements, pieces)
        (folder / "pieces.pickle").write_bytes(pickle.dumps(kept))

    folder = built_once(tmp_path_factory, "black-pieces", build)
    seams, statements, pieces = pickle.loads((folder / "pieces.pickle").read_bytes())
    cutter = Cutter()
    cutter.seams, cutter.statements = seams, statements
    return cutter, pieces


@pytest.mark.parametrize("chunk", range(CHUNKS))
def test_every_services86_agent_is_black_stable(
    services86: Services86, services86_pieces: Checked, chunk: int
) -> None:
    assert len(_built(services86)) > 100
    _, pieces = services86_pieces
    _assert_pieces_black_stable(list(pieces[chunk::CHUNKS]))


def test_a_statement_or_seam_black_would_change_is_found_wherever_it_is() -> None:
    """The cutting leaves nothing out: a wrong statement in a module whose seams were all
    seen, and a wrong seam between statements all seen, each reach black."""
    module = 'X = 1\n"""One."""\n\n\ndef f() -> None:\n    pass\n'
    assert [kind for kind, _, _ in _statements(module)] == ["Assign", "FunctionDef", ""]
    assert "".join(between + text for _, between, text in _statements(module)) == module
    bad_statement = module.replace("pass", "pass ;")
    bad_seam = module.replace("\n\n\ndef", "\ndef")
    for bad in (bad_statement, bad_seam, "\n" + module, module + "\n"):
        with tempfile.TemporaryDirectory() as folder:
            for name, text in (("a", module), ("b", bad)):
                (Path(folder) / name).mkdir()
                (Path(folder) / name / "models.py").write_text(text, encoding="utf-8")
            _, pieces = _pieces(Path(folder))
        assert any(_difference(path, text) for path, text in pieces), bad


@pytest.mark.parametrize("version", build_params(84, 85, 86, 87))
def test_the_user_agent_of_every_version_is_black_stable(
    corpus: Path,
    services86: Services86,
    services86_pieces: Checked,
    tmp_path_factory: pytest.TempPathFactory,
    version: int,
) -> None:
    if version == 86:
        agents = [a for a in services86.result.agents if a.name == "User"]
    else:
        out = generated_version(corpus, ROOT, version, tmp_path_factory)
        agents = list(read_agents(corpus, out, version, ("User",)))
    _assert_black_stable(_rendered(agents), services86_pieces[0])


def test_diverse_services86_agents_are_black_stable(
    services86: Services86, services86_pieces: Checked
) -> None:
    agents = [a for a in services86.result.agents if a.name in DIVERSE_86]
    assert len(agents) == len(DIVERSE_86)
    _assert_black_stable(_rendered(agents), services86_pieces[0])
