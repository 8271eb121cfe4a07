"""How long generating takes, beside ``xsdata generate`` on the same agents, in one run.

Every figure is a whole process (interpreter start, imports, reading, rendering, writing),
the median of ``--repeat`` runs, each side's runs interleaved so that a noisy machine slows
both alike. Scenarios, each with the goal it is held to:

- cold: the whole User agent (SOAP and REST clients, models, samples) into an empty
  output folder, from a docs root holding User's pages (copied to a temporary folder, so
  that one can be edited), beside ``xsdata generate`` on the User WSDL: at most 1.0x;
- no-op: ``superoffice-codegen generate`` with its configuration in ``pyproject.toml`` and
  the output current, as the pre-commit hook runs it: at most 0.3 s and 0.25x cold;
- one page changed: the same after the description of a method was edited on its SOAP
  page (so the clients' docstrings change, not only line numbers): at most 0.5x cold;
- all agents: ``--agent all`` over Services86 (56 agents, both cores) beside xsdata run
  once per WSDL over the same 56 WSDLs: at most 0.5x xsdata's total.

xsdata needs each WSDL copied with a ``.wsdl`` suffix (it takes ``.xml`` for a sample
document) and ruff on PATH (it formats its output with it). Both sides run from the
interpreter's own bin folder (no pyenv shims), with bytecode caching on, after a warm-up.

    python bench/generate.py [--docs ../shared/superoffice-docs] [--repeat 5] [--all-repeat 1]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared" / "superoffice-docs"
VERSION = 86
EDITED_PAGE = Path(f"soap/Services{VERSION}/User/GetUser.md")
EDITED_TEXT = "Gets a User object."
BIN = Path(sys.executable).parent
ENV = {
    **{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
    "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
}


@dataclass(frozen=True)
class Row:
    scenario: str
    ours: float
    reference: float | None
    reference_label: str
    goal: str
    met: bool


def _run(command: Sequence[str | Path], cwd: Path) -> float:
    """Seconds the command took as a whole process; it must succeed."""
    start = time.perf_counter()
    done = subprocess.run(
        [str(part) for part in command], cwd=cwd, env=ENV, capture_output=True, check=False
    )
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(map(str, command))} failed:\n{done.stderr.decode()}")
    return elapsed


def _median(times: Sequence[float]) -> float:
    return statistics.median(times)


def _ours() -> list[str]:
    script = BIN / "superoffice-codegen"
    return [str(script)] if script.exists() else [sys.executable, "-m", "codegen"]


def _xsdata() -> list[str]:
    script = BIN / "xsdata"
    return [str(script)] if script.exists() else [sys.executable, "-m", "xsdata"]


def _user_docs(docs: Path, into: Path) -> Path:
    """A docs root with only User's pages (WSDL page, SOAP pages, REST pages)."""
    root = into / "docs"
    services = f"soap/Services{VERSION}"
    (root / services).mkdir(parents=True)
    shutil.copy2(docs / services / f"Services{VERSION}-User.md", root / services)
    shutil.copytree(docs / services / "User", root / services / "User")
    shutil.copytree(docs / "restful/agent/User_Agent", root / "restful/agent/User_Agent")
    _settle(root)
    return root


def _settle(folder: Path) -> None:
    """Date every file a minute back: the generator does not stamp inputs that changed
    in the last seconds (they might still be changing), so no-op runs would not be."""
    past = time.time() - 60
    for path in [folder, *folder.rglob("*")]:
        os.utime(path, (past, past))


def _project(docs: Path, into: Path) -> Path:
    project = into / "project"
    project.mkdir()
    (project / "pyproject.toml").write_text(
        '[project]\nname = "bench"\n\n[tool.superoffice-codegen]\n'
        f'docs = "{docs}"\nversion = {VERSION}\nagents = ["User"]\nout = "generated"\n',
        encoding="utf-8",
    )
    return project


def _xsdata_once(wsdls: Sequence[Path], into: Path) -> float:
    """xsdata over each WSDL in a fresh folder, one process per WSDL; total seconds."""
    total = 0.0
    for wsdl in wsdls:
        folder = Path(tempfile.mkdtemp(dir=into))
        shutil.copy(wsdl, folder / wsdl.name)
        total += _run([*_xsdata(), "generate", wsdl.name, "--package", "generated"], folder)
        shutil.rmtree(folder)
    return total


def _as_wsdl(raw: Path, into: Path) -> Path:
    target = into / raw.with_suffix(".wsdl").name.removeprefix(f"WSDL-Services{VERSION}-")
    shutil.copy(raw, target)
    return target


def _interleaved(sides: Sequence[Callable[[], float]], repeat: int) -> list[float]:
    """Median of ``repeat`` runs of each side, the sides taking turns."""
    times: list[list[float]] = [[] for _ in sides]
    for _ in range(repeat):
        for side, measured in zip(sides, times, strict=True):
            measured.append(side())
    return [_median(measured) for measured in times]


def _user_scenarios(docs: Path, raw_wsdls: Path, work: Path, repeat: int) -> list[Row]:
    user_docs = _user_docs(docs, work)
    project = _project(user_docs, work)
    output = project / "generated"
    wsdl = _as_wsdl(raw_wsdls / f"WSDL-Services{VERSION}-User.xml", work)
    command = [*_ours(), "generate"]

    def cold() -> float:
        shutil.rmtree(output, ignore_errors=True)
        return _run(command, project)

    page = user_docs / EDITED_PAGE
    original = page.read_text(encoding="utf-8")
    if EDITED_TEXT not in original:
        raise SystemExit(f"{page} no longer says {EDITED_TEXT!r}: nothing to edit")
    edits = iter(range(1_000_000))

    def one_page_changed() -> float:
        edited = original.replace(EDITED_TEXT, f"{EDITED_TEXT} Edited ({next(edits)}).", 1)
        page.write_text(edited, encoding="utf-8")
        _settle(page.parent)
        elapsed = _run(command, project)
        page.write_text(original, encoding="utf-8")
        _settle(page.parent)
        _run(command, project)
        return elapsed

    _run([*_xsdata(), "generate", wsdl.name, "--package", "warmup"], work)
    cold()
    cold_ours, xsdata_user = _interleaved([cold, lambda: _xsdata_once([wsdl], work)], repeat)
    _run(command, project)
    no_op = _interleaved([lambda: _run(command, project)], repeat)[0]
    changed = _interleaved([one_page_changed], repeat)[0]
    return [
        Row(
            "cold: User agent",
            cold_ours,
            xsdata_user,
            "xsdata, User WSDL",
            "<= 1.0x",
            cold_ours <= xsdata_user,
        ),
        Row(
            "no-op (pre-commit)",
            no_op,
            cold_ours,
            "our cold run",
            "<= 0.25x, <= 0.3 s",
            no_op <= 0.25 * cold_ours and no_op <= 0.3,
        ),
        Row(
            "one page changed",
            changed,
            cold_ours,
            "our cold run",
            "<= 0.5x",
            changed <= 0.5 * cold_ours,
        ),
    ]


def _all_agents(docs: Path, raw_wsdls: Path, work: Path, repeat: int) -> Row:
    wsdls = [_as_wsdl(raw, work) for raw in sorted(raw_wsdls.glob(f"WSDL-Services{VERSION}-*.xml"))]
    output = work / "all"
    command = [
        *_ours(),
        "generate",
        "--docs",
        str(docs),
        "--api-version",
        str(VERSION),
        "--agent",
        "all",
    ]

    def ours() -> float:
        shutil.rmtree(output, ignore_errors=True)
        return _run([*command, "--out", output], work)

    ours()
    ours_all, xsdata_all = _interleaved([ours, lambda: _xsdata_once(wsdls, work)], repeat)
    return Row(
        f"all {len(wsdls)} agents, cold",
        ours_all,
        xsdata_all,
        f"xsdata, {len(wsdls)} WSDLs, one process each",
        "<= 0.5x",
        ours_all <= 0.5 * xsdata_all,
    )


def _print(rows: Sequence[Row]) -> None:
    print("| scenario | ours | compared with | that | ratio | goal | met |")
    print("| --- | ---: | --- | ---: | ---: | --- | --- |")
    for row in rows:
        ratio = f"{row.ours / row.reference:.2f}x" if row.reference else "-"
        reference = f"{row.reference:.2f} s" if row.reference else "-"
        met = "yes" if row.met else "NO"
        print(
            f"| {row.scenario} | {row.ours:.3f} s | {row.reference_label} | {reference} "
            f"| {ratio} | {row.goal} | {met} |"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=Path, default=SHARED, help="holds api-reference/, wsdl/")
    parser.add_argument("--repeat", type=int, default=5, help="runs per User scenario")
    parser.add_argument("--all-repeat", type=int, default=1, help="runs of the 56-agent scenario")
    parser.add_argument("--skip-all", action="store_true", help="only the User scenarios")
    args = parser.parse_args()
    docs, raw_wsdls = args.docs / "api-reference", args.docs / "wsdl"
    if shutil.which("ruff", path=ENV["PATH"]) is None:
        print("xsdata needs ruff on PATH", file=sys.stderr)
        return 2
    print(
        f"{os.cpu_count()} cores, Python {sys.version.split()[0]}; "
        f"median of {args.repeat} runs (all agents: {args.all_repeat}); whole processes"
    )
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        rows = _user_scenarios(docs, raw_wsdls, work, args.repeat)
        if not args.skip_all:
            rows.append(_all_agents(docs, raw_wsdls, work, args.all_repeat))
    startup = _interleaved([lambda: _run([sys.executable, "-c", "pass"], Path.cwd())], 5)[0]
    _print(rows)
    print(f"\n(for scale: `python -c pass` takes {startup:.3f} s here)")
    return 0 if all(row.met for row in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
