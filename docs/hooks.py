"""MkDocs hook: fills three reference pages from the code itself, so they cannot
drift from it.

- ``api/index.md``: every public name of ``nakpump`` (``nakpump._PUBLIC``) with
  the first line of its docstring and a link to where the reference documents it;
- ``api/parameters.md``: every registered mechanism's parameters (name,
  default, unit, allowed range, meaning);
- ``cli.md``: the help of ``nakpump`` and of each of its commands.
"""

from __future__ import annotations

import importlib
import re
import sys
from pathlib import Path

PUBLIC = "<!-- public names -->"
PARAMETERS = "<!-- mechanism parameters -->"
CLI = "<!-- cli help -->"
PAGES = {"nakpump.model": "model.md", "nakpump.mechanisms": "mechanisms.md",
         "nakpump.compile": "compile.md", "nakpump.solve": "solve.md",
         "nakpump.results": "results.md", "nakpump.catalog": "catalog.md",
         "nakpump.errors": "errors.md", "nakpump.sweeps": "sweeps.md"}


def _import_src():
    src = str(Path(__file__).resolve().parents[1] / "src")
    if src not in sys.path:
        sys.path.insert(0, src)


def _cell(text) -> str:
    """``text`` for a table cell: one line, no column breaks, brackets outside code
    spans escaped (Markdown would read ``[a][b]`` as a link)."""
    parts = re.split(r"(``.*?``|`[^`]*`)", " ".join(str(text).split()))
    for k in range(0, len(parts), 2):
        parts[k] = parts[k].replace("[", "\\[").replace("<", "&lt;")
    return "".join(parts).replace("|", "\\|")


def _summary(obj) -> str:
    doc = (getattr(obj, "__doc__", None) or "").strip()
    return _cell(doc.split("\n\n")[0])


def public_names() -> str:
    _import_src()
    import nakpump

    groups: dict[str, list[str]] = {}
    for name, (module, attr) in nakpump._PUBLIC.items():
        obj = importlib.import_module(module)
        if attr is not None:
            obj = getattr(obj, attr)
        home = module if attr is None else getattr(obj, "__module__", module)
        target = home if attr is None else f"{home}.{attr}"
        package = ".".join(home.split(".")[:2])
        page = PAGES[package]
        groups.setdefault(package, []).append(f"| [`nk.{name}`]({page}#{target}) | {_summary(obj)} |")
    out = []
    for package, rows in groups.items():
        out += [f"## From [`{package}`]({PAGES[package]})", "", "| name | what it is |", "|---|---|",
                *rows, ""]
    return "\n".join(out)


def mechanism_tables() -> str:
    _import_src()
    from nakpump.mechanisms import REGISTRY

    by_module: dict[str, list] = {}
    for cls in REGISTRY.values():
        by_module.setdefault(cls.__module__, []).append(cls)
    out = []
    for module in sorted(by_module):
        for cls in by_module[module]:
            out += [f"## {cls.__name__}", "",
                    f"[`{module}.{cls.__name__}`](mechanisms.md#{module}.{cls.__name__}): "
                    f"{_cell(cls.title)} (family `{cls.family}`, site {cls.site}).", ""]
            if cls.source:
                out += [f"Source: {_cell(cls.source)}", ""]
            out += ["| parameter | default | unit | allowed | meaning |", "|---|---:|---|---|---|"]
            for p in cls.all_params():
                out.append(f"| `{p.name}` | {p.default:g} | {_cell(p.unit)} | {p.lo:g} to {p.hi:g} "
                           f"| {_cell(p.doc)} |")
            out.append("")
    return "\n".join(out)


def cli_help() -> str:
    """``nakpump --help`` and each command's help, as the parser prints them."""
    _import_src()
    import argparse
    import os

    from nakpump.cli.parser import build_parser

    os.environ["COLUMNS"] = "100"
    parser = build_parser()
    out = ["### nakpump", "", "```text", parser.format_help().rstrip(), "```", ""]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                out += [f"### nakpump {name}", "", "```text", sub.format_help().rstrip(), "```", ""]
    return "\n".join(out)


def on_page_markdown(markdown, page, config, files):
    if PUBLIC in markdown:
        markdown = markdown.replace(PUBLIC, public_names())
    if PARAMETERS in markdown:
        markdown = markdown.replace(PARAMETERS, mechanism_tables())
    if CLI in markdown:
        markdown = markdown.replace(CLI, cli_help())
    return markdown
