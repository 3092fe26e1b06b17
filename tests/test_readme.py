"""The README's commands and code work as written."""

import re
import shlex
from pathlib import Path

from nakpump.cli import main

README = (Path(__file__).parents[1] / "README.md").read_text()


def _blocks(lang):
    return re.findall(rf"```{lang}\n(.*?)```", README, flags=re.S)


def test_quick_start_has_two_commands_and_ci_runs_the_test_one():
    bash = [b.strip() for b in _blocks("bash")]
    assert len(bash) == 2
    assert "nakpump run" in bash[0] and "pytest" in bash[1]
    ci = (Path(__file__).parents[1] / ".ci" / "run").read_text()
    assert 'pip install -e ".[test]"' in ci and "README.md" in ci
    assert 'pip install -e ".[test]"' in bash[1]


def test_quick_start_main_job(tmp_path, monkeypatch, capsys):
    first = _blocks("bash")[0].strip()
    job = first[first.index("nakpump run"):]
    argv = shlex.split(job)[1:]
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "ischemia" in out and "anoxic depolarisation" in out
    assert (tmp_path / "ischemia.png").stat().st_size > 10000
    assert (tmp_path / "ischemia.csv").stat().st_size > 100000


def test_python_example(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    code = _blocks("python")[0]
    exec(compile(code, "README.md", "exec"), {})
    out = capsys.readouterr().out
    assert "spikes; Na_i" in out and "the pump adds" in out
    assert (tmp_path / "run.csv").exists() and (tmp_path / "run.nc").exists()


def test_every_example_runs(tmp_path, monkeypatch):
    """Each script in examples/ runs as written (PyBaMM-style script tests)."""
    import runpy
    examples = sorted((Path(__file__).parents[1] / "examples").glob("*.py"))
    assert examples
    monkeypatch.chdir(tmp_path)
    for script in examples:
        runpy.run_path(str(script), run_name="__main__")
