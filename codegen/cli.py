"""The command line: ``superoffice-codegen`` / ``python -m codegen``.

Every diagnostic, error or warning, is printed to stderr with its file and line.

Exit codes: 0 done; 1 ``generate --check`` found stale output, ``verify`` a sample the
client misses, or ``diff --fail-on`` a change of its kind; 2 bad usage or configuration; 3 the input has errors, or warnings under
``--strict`` (nothing is written); 4 the output could not be written (the previous output
is left as it was, unless the renames had begun: then the next ``generate`` finishes).

Only what every command needs is imported up front: a ``generate`` whose output is current
(the pre-commit hook's usual case) never imports the readers or the templates.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import stat
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from codegen import __version__
from codegen.config import Config, ConfigError, load_config
from codegen.generate import Outcome, generate
from codegen.naming import is_distribution_name, is_package_name
from codegen.output.journal import interrupted
from codegen.settings import ALL, DEFAULT_AGENT, Settings, settings_for
from codegen.sources.docs_root import find_root
from codegen.templates import TemplateError

if TYPE_CHECKING:
    from codegen.diff import Reading
    from codegen.ir import Diagnostic

EXIT_OK = 0
EXIT_STALE = 1
EXIT_USAGE = 2
EXIT_INPUT = 3
EXIT_OUTPUT = 4
EXIT_FOUND = 1
"""``diff --fail-on`` found a change of the kind it names."""
FAIL_ON_ANY = "any"
FAIL_ON = ("breaking", FAIL_ON_ANY)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="superoffice-codegen",
        description="Typed Python clients from the SuperOffice NetServer API reference docs.",
    )
    parser.add_argument("-V", "--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    generate = commands.add_parser("generate", help="write the client packages")
    _add_input_options(generate, versioned=True)
    generate.add_argument("--out", type=Path, help="output folder (default: generated)")
    generate.add_argument("--package", help="top-level package name (default: superoffice)")
    generate.add_argument(
        "--check", action="store_true", help="write nothing; print a diff, exit 1 if stale"
    )
    generate.add_argument(
        "--templates",
        type=Path,
        metavar="DIR",
        help="a folder of templates, each replacing the shipped template of its name",
    )
    generate.add_argument(
        "--lock-timeout",
        type=_seconds,
        metavar="SECONDS",
        help="how long to wait for another run on the output (default: 60)",
    )
    generate.add_argument(
        "--project",
        action=argparse.BooleanOptionalAction,
        help="write pyproject.toml and README.md beside the package, to install it with pip"
        " (default: yes; --no-project for an output inside a project of your own)",
    )
    generate.add_argument(
        "--quiet", action="store_true", help="no closing line of what was written and how fast"
    )

    ir = commands.add_parser("ir", help="print the intermediate representation as JSON")
    _add_input_options(ir, versioned=True)

    diff = commands.add_parser(
        "diff",
        help="print what changed between two API versions, or two docs roots",
        description="Two API versions of one docs root (--from, --to) compare the SOAP"
        " surface; two docs roots (OLD NEW) compare SOAP, at the newest version of each"
        " unless --from and --to say, and REST.",
    )
    diff.add_argument(
        "roots", nargs="*", type=Path, metavar="OLD NEW", help="an old and a new docs root"
    )
    _add_input_options(diff, versioned=False)
    diff.add_argument("--from", dest="old", type=int, metavar="NN", help="the older version")
    diff.add_argument("--to", dest="new", type=int, metavar="NN", help="the newer version")
    diff.add_argument("--json", action="store_true", help="JSON for tools instead of Markdown")
    diff.add_argument(
        "--fail-on",
        choices=FAIL_ON,
        help="exit 1 when a breaking change, or any change, is found (for a CI gate)",
    )

    verify = commands.add_parser(
        "verify", help="run every documented sample through the generated package"
    )
    _add_input_options(verify, versioned=True)
    verify.add_argument("--out", type=Path, help="where the package is (default: generated)")
    verify.add_argument("--package", help="top-level package name (default: superoffice)")
    return parser


def _seconds(text: str) -> float:
    seconds = float(text)
    if not 0 <= seconds < float("inf"):
        raise ValueError(text)
    return seconds


def _add_input_options(parser: argparse.ArgumentParser, versioned: bool) -> None:
    parser.add_argument("--docs", type=Path, help="a docs root (soap/... or restful/... below)")
    parser.add_argument(
        "--wsdl",
        type=Path,
        action="append",
        default=[],
        metavar="FILE",
        help="a raw WSDL file (any suffix); may be given more than once",
    )
    if versioned:
        parser.add_argument(
            "--api-version", type=int, metavar="NN", help="API version, e.g. 86 (default: newest)"
        )
        parser.add_argument(
            "--version",
            dest="deprecated_version",
            type=int,
            metavar="NN",
            help="the old spelling of --api-version",
        )
    parser.add_argument(
        "--agent", action="append", metavar="NAME", help="an agent name, or 'all'; repeatable"
    )
    parser.add_argument(
        "--strict", action="store_true", help="warnings fail the run as errors do (exit 3)"
    )


def _report(diagnostics: Sequence[Diagnostic], settings: Settings) -> int | None:
    """Print every diagnostic, then a count; the exit code when they refuse the run: 2 when
    one is about the command's words, else 3."""
    from codegen.ir import Level

    for diagnostic in diagnostics:
        print(diagnostic, file=sys.stderr)
    errors = sum(1 for d in diagnostics if d.level is Level.ERROR)
    warnings = len(diagnostics) - errors
    counts = [f"{errors} error(s)"] if errors else []
    counts += [f"{warnings} warning(s)"] if warnings else []
    summary = ", ".join(counts)
    refused = settings.refuses(diagnostics)
    if refused:
        summary += f"{'' if errors else ' (--strict)'}; nothing written"
    if summary:
        print(summary, file=sys.stderr)
    if not refused:
        return None
    return EXIT_USAGE if any(d.usage for d in diagnostics) else EXIT_INPUT


def _summary(outcome: Outcome, check: bool, seconds: float) -> str:
    """The closing line of a ``generate``: what it wrote, left and removed, and its time."""
    how = ", the stamp showed it current" if outcome.current else ""
    if check:
        counts = f"{outcome.changed + outcome.removed} file(s) stale"
        counts += f" ({outcome.changed} to write, {outcome.removed} to remove)"
        counts += f", {outcome.unchanged} current"
    else:
        counts = f"{outcome.changed} written, {outcome.unchanged} unchanged"
        counts += f", {outcome.removed} removed"
    return f"{counts} in {seconds:.2f} s{how}"


def _run_generate(args: argparse.Namespace, config: Config) -> int:
    started = time.monotonic()
    settings = settings_for(args, config, (DEFAULT_AGENT,))
    if not is_package_name(settings.package):
        print(f"--package {settings.package!r}: not a Python package name", file=sys.stderr)
        return EXIT_USAGE
    if settings.project and not is_distribution_name(settings.package):
        print(
            f"--package {settings.package!r}: the project is named after the package, and"
            " this is no distribution name (ASCII letters and digits, '_' only between them);"
            " choose another, or --no-project",
            file=sys.stderr,
        )
        return EXIT_USAGE
    if (
        settings.docs is not None
        and find_root(settings.docs)
        and _inside(settings.out, settings.docs)
    ):
        # The output would become input: the second run would read what the first wrote. A
        # folder that is no docs root is left for the loader to say so.
        message = f"--out {settings.out} is inside the docs root {settings.docs}"
        print(f"{message}: choose an output folder outside it", file=sys.stderr)
        return EXIT_USAGE
    try:
        outcome = generate(settings)
    except TemplateError as error:
        print(f"{error}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as error:
        print(f"{error.filename or settings.out}: cannot write: {error.strerror}", file=sys.stderr)
        if not isinstance(error, TimeoutError) and interrupted(settings.out):
            print(
                f"{settings.out}: the output may be part old, part new: the next generate"
                " finishes it",
                file=sys.stderr,
            )
        return EXIT_OUTPUT
    refused = _report(outcome.diagnostics, settings)
    if refused is not None:
        return refused
    for note in outcome.notes:
        print(note, file=sys.stderr)
    if settings.check:
        sys.stdout.write(outcome.diff)
    if not args.quiet:
        print(_summary(outcome, settings.check, time.monotonic() - started), file=sys.stderr)
    return EXIT_STALE if settings.check and outcome.stale else EXIT_OK


def _inside(path: Path, folder: Path) -> bool:
    """``path`` is ``folder`` or below it, links resolved."""
    real, within = os.path.realpath(path), os.path.realpath(folder)
    return real == within or real.startswith(within.rstrip(os.sep) + os.sep)


def _run_ir(args: argparse.Namespace, config: Config) -> int:
    from codegen.dump import agents_json
    from codegen.load import load

    settings = settings_for(args, config, (ALL,))
    result = load(settings)
    refused = _report(result.diagnostics, settings)
    if refused is not None:
        return refused
    sys.stdout.write(agents_json(result.agents))
    return EXIT_OK


def _run_diff(args: argparse.Namespace, config: Config) -> int:
    from codegen.diff import compare, to_json, to_markdown
    from codegen.load import load

    started = time.monotonic()
    sides = _diff_sides(args, settings_for(args, config, (ALL,)))
    if isinstance(sides, str):
        print(f"superoffice-codegen diff: error: {sides}", file=sys.stderr)
        return EXIT_USAGE
    old, new = load(sides[0]), load(sides[1])
    refused = _report((*old.diagnostics, *new.diagnostics), sides[0])
    if refused is not None:
        return refused
    readings = (_reading(sides[0]), _reading(sides[1]))
    log = compare(old.agents, new.agents, readings, rest=sides[0].rest)
    sys.stdout.write(to_json(log) if args.json else to_markdown(log))
    print(f"{log.summary()} in {time.monotonic() - started:.2f} s", file=sys.stderr)
    found = log.changes if args.fail_on == FAIL_ON_ANY else log.breaking
    return EXIT_FOUND if args.fail_on and found else EXIT_OK


def _diff_sides(args: argparse.Namespace, settings: Settings) -> tuple[Settings, Settings] | str:
    """The two readings ``diff`` compares: two versions of one docs root, SOAP only (the
    REST pages are not versioned), or two docs roots, SOAP and REST; or why the command's
    words name neither."""
    if not args.roots:
        if args.old is None or args.new is None:
            return "give --from and --to (two versions of one docs root), or two docs roots"
        return (
            dataclasses.replace(settings, version=args.old, rest=False),
            dataclasses.replace(settings, version=args.new, rest=False),
        )
    if len(args.roots) != 2:
        return f"give two docs roots, OLD and NEW, not {len(args.roots)}"
    if args.docs is not None or args.wsdl:
        return "two docs roots are the input: --docs and --wsdl name another"
    return (
        dataclasses.replace(settings, docs=args.roots[0], wsdls=(), version=args.old),
        dataclasses.replace(settings, docs=args.roots[1], wsdls=(), version=args.new),
    )


def _reading(settings: Settings) -> Reading:
    """The docs root ``settings`` names (``--wsdl`` for raw WSDLs alone) and the version
    ``load`` read of it."""
    from codegen.diff import Reading
    from codegen.load import agent_names

    version, _, _ = agent_names(settings)
    return Reading(str(settings.docs or "--wsdl"), version)


def _run_verify(args: argparse.Namespace, config: Config) -> int:
    """``verify``: the pages read, then every sample through the generated package, with
    the cycle collector paused from the first page to the report: the IR lives until the
    end, and a collection in between would scan all of it, finding nothing to free."""
    from codegen.load import cycle_collector_paused, load
    from codegen.output.cache import Cache
    from codegen.verify import verify

    settings = settings_for(args, config, (ALL,))
    if not is_package_name(settings.package):
        print(f"--package {settings.package!r}: not a Python package name", file=sys.stderr)
        return EXIT_USAGE
    missing = _no_package(settings)
    if missing:
        print(f"{missing} (generate it first, with the same --out)", file=sys.stderr)
        return EXIT_USAGE
    with cycle_collector_paused():
        # The pages are read as generate read them, through what it kept: a page unchanged
        # since is not parsed again.
        result = load(settings, Cache.of_every_part(settings.out))
        refused = _report(result.diagnostics, settings)
        if refused is not None:
            return refused
        report = verify(result.agents, settings.out, settings.package)
        sys.stdout.write(report.table())
    return EXIT_STALE if report.misses else EXIT_OK


def _no_package(settings: Settings) -> str:
    """Why ``verify`` has no generated package to run the samples through, if it has none."""
    if not settings.out.is_dir():
        return f"{settings.out}: no such folder"
    if not (settings.out / settings.package).is_dir():
        return f"{settings.out}: no package {settings.package!r} in it"
    return ""


_COMMANDS = {"generate": _run_generate, "ir": _run_ir, "diff": _run_diff, "verify": _run_verify}


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        config = load_config(Path.cwd())
    except ConfigError as error:
        print(error, file=sys.stderr)
        return EXIT_USAGE
    for warning in (*config.deprecations, *_deprecations(args)):
        print(f"warning: {warning}", file=sys.stderr)
    with _pipes_read_once(args):
        try:
            return _COMMANDS[args.command](args, config)
        except RecursionError:
            # The readers drop any sample nested deeper than the walks after them survive
            # (codegen.sources.nesting); this is the last resort should one still get past.
            message = "superoffice-codegen: error: the input nests too deeply to process"
            print(f"{message} (a bug: please report it with the input)", file=sys.stderr)
            return EXIT_INPUT


@contextmanager
def _pipes_read_once(args: argparse.Namespace) -> Iterator[None]:
    """A ``--wsdl`` that is a pipe (``--wsdl <(curl ...)``) can be read only once, and a run
    reads its WSDLs more than once (to choose the agents, in each worker, for the stamp):
    its bytes are kept in a temporary folder for the run, which they all read instead."""
    if all(_regular(path) for path in args.wsdl):
        yield
        return
    with tempfile.TemporaryDirectory(prefix="superoffice-codegen-") as folder:
        args.wsdl = [_kept(path, Path(folder, str(n))) for n, path in enumerate(args.wsdl)]
        yield


def _regular(path: Path) -> bool:
    """Not a pipe or a device; a path that cannot be looked at is left for the loader to report."""
    try:
        return stat.S_ISREG(path.stat().st_mode)
    except OSError:
        return True


def _kept(path: Path, folder: Path) -> Path:
    if _regular(path):
        return path
    from codegen.load import MAX_FILE_BYTES

    copy = folder / path.name
    folder.mkdir()
    try:
        with path.open("rb") as pipe:
            copy.write_bytes(pipe.read(MAX_FILE_BYTES + 1))
    except OSError:
        return path
    return copy


def _deprecations(args: argparse.Namespace) -> list[str]:
    """The old spellings in ``args``, each taken as its new one."""
    old = getattr(args, "deprecated_version", None)
    if old is None:
        return []
    args.api_version = args.api_version or old
    return [f"--version {old} is deprecated: write --api-version {old} (-V is the generator's)"]
