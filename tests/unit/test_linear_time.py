"""The text-processing hot spots run in time linear in their input, however it is damaged.

Each test times one hot spot on inputs 1×, 2× and 4× as large (in CPU time, the best of a
few runs, so that a busy machine does not decide) and asserts near-linear growth: ``t(4×) / t(1×)``
under ``MAX_GROWTH``, where linear is 4 and quadratic 16. The sizes make the 1× run take a
few milliseconds: measurable, and all of these together take well under two seconds. A
regex that scans to the end of the text for each unclosed tag (finding 14: 2,000 / 4,000 /
8,000 unclosed ``<see cref>`` tags took 0.69 / 1.59 / 7.66 s) fails here.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from codegen.emit.literals import docstring
from codegen.sources.nesting import too_deep_json
from codegen.sources.rest_page import read_rest_page
from codegen.sources.soap_page import read_soap_page
from codegen.sources.text import clean_doc

MAX_GROWTH = 6.0
RUNS = 5
ATTEMPTS = 3
SLOW = 0.5
"""A run this long already shows the growth: the others are not waited for."""

REST_SEED = "restful/agent/User_Agent/v1UserAgent_CreateExternalUser.md"
SOAP_SEED = "soap/Services86/User/CreateUserGroup.md"
TABLE_ROW = "| PersonId | int32 |"


def _growth(run: Callable[[str], object], make: Callable[[int], str], size: int) -> float:
    """``t(4×) / t(1×)``, each the best of ``RUNS``, the sizes taken in turn so that a
    moment of load elsewhere slows them alike, with the cycle collector paused. A machine
    shared with other work can still spoil one measure: a growth over ``MAX_GROWTH`` is
    measured again, up to ``ATTEMPTS`` times (a quadratic one stays near 16 each time)."""
    texts = [make(size * factor) for factor in (1, 2, 4)]
    run(texts[0])  # warm up: imports, compiled patterns
    growth = float("inf")
    for _ in range(ATTEMPTS):
        growth = min(growth, _measured(run, texts))
        if growth < MAX_GROWTH:
            break
    return growth


def _measured(run: Callable[[str], object], texts: list[str]) -> float:
    best = [float("inf")] * len(texts)
    gc.disable()
    try:
        for _ in range(RUNS):
            for index, text in enumerate(texts):
                start = time.process_time()
                run(text)
                best[index] = min(best[index], time.process_time() - start)
            if best[-1] > SLOW:
                break
    finally:
        gc.enable()
    return best[-1] / best[0]


CLEAN_DOC_INPUTS = {
    "unclosed see tags": lambda n: '<see cref="M:SuperOffice.X.GetUser">text ' * n,
    "escaped unclosed see tags": lambda n: '&lt;see cref="T:X"&gt; text ' * n,
    "see tags without a closing quote": lambda n: '<see cref="x ' * n,
    "a reference never closed": lambda n: "{SuperOffice.Crm." + "Word" * n,
    "a break tag never closed": lambda n: "<" + " " * 6 * n + "para",
    "unclosed tags": lambda n: "<b class=x " * n,
    "paragraphs of spaces": lambda n: "\n \t" * 2 * n + "x",
}


@pytest.mark.parametrize("make", CLEAN_DOC_INPUTS.values(), ids=CLEAN_DOC_INPUTS.keys())
def test_description_cleaning_is_linear(make: Callable[[int], str]) -> None:
    assert _growth(clean_doc, make, 3000) < MAX_GROWTH


DOCSTRING_INPUTS = {
    "quotes and backslashes": lambda n: '"\\""' * 4 * n,
    "one long word": lambda n: "x" * 40 * n,
    "list items": lambda n: "\n- item" * n,
    "a long line of words": lambda n: "word " * 8 * n,
}


@pytest.mark.parametrize("make", DOCSTRING_INPUTS.values(), ids=DOCSTRING_INPUTS.keys())
def test_docstring_escaping_is_linear(make: Callable[[int], str]) -> None:
    assert _growth(docstring, make, 1000) < MAX_GROWTH


def test_a_long_rest_table_is_read_in_linear_time(specs: Path) -> None:
    seed = (specs / REST_SEED).read_text(encoding="utf-8")

    def page(rows: int) -> str:
        added = "".join(f"| P{n} | int32 | Row {n}. |\n" for n in range(rows))
        return seed.replace(TABLE_ROW, added + TABLE_ROW)

    assert _growth(lambda text: read_rest_page("x.md", text), page, 150) < MAX_GROWTH


def test_long_lines_are_read_in_linear_time(specs: Path) -> None:
    rest = (specs / REST_SEED).read_text(encoding="utf-8")
    soap = (specs / SOAP_SEED).read_text(encoding="utf-8")

    def rest_page(words: int) -> str:
        return rest.replace(TABLE_ROW, f"| Long | string | {'word | ' * words}\n{TABLE_ROW}")

    def soap_page(words: int) -> str:
        return soap.replace(
            "## CreateUserGroup Request",
            f"{'a <b>word</b> ' * words}\n\n## CreateUserGroup Request",
        )

    assert _growth(lambda text: read_rest_page("x.md", text), rest_page, 4000) < MAX_GROWTH
    assert _growth(lambda text: read_soap_page("x.md", text), soap_page, 4000) < MAX_GROWTH


JSON_INPUTS = {
    "a string never closed": lambda n: '{"k": "' + "x[{" * 8 * n,
    "escapes": lambda n: '"' + "\\\\\\" * 8 * n,
    "brackets": lambda n: "[]{}" * 8 * n,
}


@pytest.mark.parametrize("make", JSON_INPUTS.values(), ids=JSON_INPUTS.keys())
def test_sample_depth_is_measured_in_linear_time(make: Callable[[str], str]) -> None:
    assert _growth(too_deep_json, make, 500) < MAX_GROWTH
