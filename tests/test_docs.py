"""The documentation stands alone: every page is reachable, every citation of
the reference sheet resolves inside the repository, and CI builds the site
with warnings as errors.  (Building the site needs the ``docs`` extra; CI
does it, see ``.ci/run``.)"""

import re
from pathlib import Path

ROOT = Path(__file__).parents[1]
DOCS = ROOT / "docs"
_CITATION = re.compile(r"REFERENCES(?:\.md)?,?(?: section)? (\d[0-9a-z.]*(?:(?:, | and )\d[0-9a-z.]*)*)")


def _sections() -> set[str]:
    text = (DOCS / "references.md").read_text()
    return {m.replace("-", ".").replace("ref.", "", 1) for m in re.findall(r"\{ #(ref-[0-9a-z-]+) \}", text)}


def citations(text: str) -> list[str]:
    """The sections that ``text`` cites as "REFERENCES 2.7", "REFERENCES.md section 2.2",
    "REFERENCES 1b.2, 1b.3"."""
    found = []
    for group in _CITATION.findall(text):
        found += [s.rstrip(".") for s in re.split(r", | and ", group)]
    return found


def test_the_citation_parser_reads_the_forms_in_use():
    assert citations("see REFERENCES 2.2, 2.3, 2.7): x; REFERENCES.md section 2.6. and "
                     "(REFERENCES 1b.4].") == ["2.2", "2.3", "2.7", "2.6", "1b.4"]
    assert citations("REFERENCES = (") == []


def test_every_citation_of_the_reference_sheet_resolves_in_docs_references():
    sections = _sections()
    assert {"0", "1a", "1b.4", "1c", "2.2", "2.7"} <= sections
    files = [*ROOT.glob("src/nakpump/**/*.py"), *ROOT.glob("src/nakpump/data/*.csv"),
             *ROOT.glob("tests/*.py"), *ROOT.glob("crosscheck/*.py"), *DOCS.glob("**/*.md"),
             ROOT / "README.md"]
    cited = {(path.relative_to(ROOT).as_posix(), s) for path in files for s in citations(path.read_text())}
    assert len(cited) > 30
    missing = sorted((f, s) for f, s in cited if s not in sections)
    assert not missing, f"citations of sections docs/references.md does not have: {missing}"


def test_every_page_is_in_the_navigation():
    config = (ROOT / "mkdocs.yml").read_text()
    listed = set(re.findall(r":\s*([\w/.-]+\.md)\s*$", config, flags=re.M))
    pages = {p.relative_to(DOCS).as_posix() for p in DOCS.glob("**/*.md")}
    assert pages == listed, f"not in nav: {sorted(pages - listed)}; missing files: {sorted(listed - pages)}"


def test_ci_builds_the_docs_strictly_and_the_readme_says_how():
    ci = (ROOT / ".ci" / "run").read_text()
    assert '-e ".[docs]"' in ci and "mkdocs build --strict" in ci
    assert "docs = [" in (ROOT / "pyproject.toml").read_text()
    readme = (ROOT / "README.md").read_text()
    assert "## Documentation" in readme and "mkdocs serve" in readme
    assert (ROOT / "LICENSE").read_text().startswith("BSD 3-Clause License")
    assert 'license = { text = "BSD-3-Clause" }' in (ROOT / "pyproject.toml").read_text()
