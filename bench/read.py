"""How long reading the docs takes, beside the floor of parsing the same bytes.

The floor is markdown-it parsing every page plus lxml parsing every XML block of them
(the envelopes and the WSDL), nothing else. Our readers and the merge add the rest.

    python bench/read.py [--docs ../shared/superoffice-docs/api-reference] [--repeat 5]
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from lxml import etree
from markdown_it import MarkdownIt

from codegen.load import load
from codegen.settings import Settings
from codegen.sources.docs_root import DocsRoot, find_root

DEFAULT_DOCS = Path(__file__).resolve().parents[2] / "shared" / "superoffice-docs" / "api-reference"
_XML_FENCE = re.compile(r"^```xml[^\n]*\n(.*?)^```", re.MULTILINE | re.DOTALL)


def _pages(root: DocsRoot, version: int, agents: list[str]) -> list[Path]:
    pages: list[Path] = []
    for agent in agents:
        wsdl = root.wsdl_page(version, agent)
        pages += [wsdl] if wsdl else []
        pages += root.soap_pages(version, agent) + root.rest_pages(agent)
    return pages


def _floor(texts: list[str], xml_blocks: list[bytes]) -> None:
    markdown = MarkdownIt("commonmark").enable("table")
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    for text in texts:
        markdown.parse(text)
    for block in xml_blocks:
        etree.fromstring(block, parser)


def _median(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _measure(root: DocsRoot, version: int, agents: list[str], label: str, repeat: int) -> None:
    texts = [page.read_text(encoding="utf-8-sig") for page in _pages(root, version, agents)]
    xml_blocks = [block.strip().encode() for text in texts for block in _XML_FENCE.findall(text)]
    settings = Settings(docs=root.path, version=version, agents=tuple(agents))
    floor = _median(lambda: _floor(texts, xml_blocks), repeat)
    ours = _median(lambda: load(settings), repeat)
    print(
        f"{label:<24} pages {len(texts):>5}  floor {floor:6.3f} s  ours {ours:6.3f} s  "
        f"ours/floor {ours / floor:5.2f}x  (budget 1.50x)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=Path, default=DEFAULT_DOCS)
    parser.add_argument("--version", type=int, default=86)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    found = find_root(args.docs)
    if found is None:
        print(f"{args.docs}: not a docs root", file=sys.stderr)
        return 2
    root = DocsRoot(found)
    print(f"median of {args.repeat} runs, Services{args.version}")
    _measure(root, args.version, ["User"], "User agent", args.repeat)
    _measure(
        root,
        args.version,
        root.soap_agents(args.version),
        f"all of Services{args.version}",
        args.repeat,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
