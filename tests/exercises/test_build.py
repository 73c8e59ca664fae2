"""Deriving student and solution notebooks: placeholders, determinism, the committed notebooks
in sync with their sources (the `--check` of `brainobs exercises build`), the notebook
conventions, and the book pages with their solution dropdowns."""

from __future__ import annotations

import json
import shutil

import nbformat
import pytest

from brainobs.cli import main
from brainobs.exercises.book import book_notebook, write_book_pages
from brainobs.exercises.build import (
    build_exercises,
    notebook_text,
    parse_source,
    solution_notebook,
    stale_notebooks,
    student_notebook,
)
from tests.settings import REPO

SOURCES = REPO / "exercises" / "source"
STUDENTS = REPO / "exercises" / "student"
SETUP = ("# Set-up: in Colab this installs brainobs (no restart needed); elsewhere the "
         "installed one is used.\n") + """import sys

if "google.colab" in sys.modules:
    %pip install --quiet "brainobs[widgets,plot] @ git+https://github.com/brainobs/brainobs"

import brainobs

print(brainobs.describe_source())"""
EXAMPLE = """# %% [markdown]
# # Title
#
# Intro.

# %%
x = 2
### BEGIN SOLUTION: y, z
y = x + 1
z = y * 2
### END SOLUTION
print("after")

# %% tags=["nbval-ignore-output"]
check(y)
"""


def _sources():
    return sorted(SOURCES.glob("*.py"))


def test_there_are_at_least_eight_exercises():
    assert len(_sources()) >= 8


def test_parse_and_derive(tmp_path):
    source = tmp_path / "01_example.py"
    source.write_text(EXAMPLE)
    cells = parse_source(EXAMPLE)
    assert [c.kind for c in cells] == ["markdown", "code", "code"]
    assert cells[1].answers == ("y", "z") and cells[2].tags == ("nbval-ignore-output",)
    student = student_notebook(source)
    code = "".join(student["cells"][1]["source"])
    assert code == ("x = 2\ny = ...  # your answer: replace ... with your code\n"
                    "z = ...  # your answer: replace ... with your code\nprint(\"after\")")
    solution = "".join(solution_notebook(source)["cells"][1]["source"])
    assert solution == 'x = 2\ny = x + 1\nz = y * 2\nprint("after")'
    title = "".join(student["cells"][0]["source"])
    assert title.startswith("# Title\n\n[![Open In Colab]")
    assert "exercises/student/01_example.ipynb)" in title and title.endswith("Intro.")
    assert student["cells"][2]["metadata"] == {"tags": ["nbval-ignore-output"]}


@pytest.mark.parametrize("text, message", [
    ("x = 1\n# %%\ny = 2\n", "before the first"),
    ("# %%\n### BEGIN SOLUTION: a\na = 1\n", "exactly one"),
    ("# %%\n### BEGIN SOLUTION: 1a\na = 1\n### END SOLUTION\n", "Python names"),
    ("# %% [markdown]\nnot a comment\n", "must start with '#'"),
])
def test_malformed_sources_are_refused(text, message):
    with pytest.raises(ValueError, match=message):
        parse_source(text)


def test_derivation_is_deterministic_and_committed_notebooks_match():
    for source in _sources():
        assert notebook_text(student_notebook(source)) == notebook_text(student_notebook(source))
    assert stale_notebooks(SOURCES, STUDENTS) == []
    assert main(["exercises", "build", "--check", "--source", str(SOURCES),
                 "--student", str(STUDENTS)]) == 0


def test_check_fails_on_a_stale_notebook(tmp_path, capsys):
    students = tmp_path / "student"
    shutil.copytree(STUDENTS, students)
    first = sorted(students.glob("*.ipynb"))[0]
    first.write_text(first.read_text().replace("...", "42", 1))
    (students / "99_orphan.ipynb").write_text("{}")
    args = ["exercises", "build", "--check", "--source", str(SOURCES), "--student", str(students)]
    assert main(args) == 1
    out = capsys.readouterr().out
    assert "differs from its source" in out and first.name in out and "no source" in out
    assert main(["exercises", "build", "--source", str(SOURCES), "--student", str(students),
                 "--solutions", str(tmp_path / "solutions")]) == 0
    assert main(args) == 0
    assert not (students / "99_orphan.ipynb").exists()
    assert len(list((tmp_path / "solutions").glob("*.ipynb"))) == len(_sources())


@pytest.mark.parametrize("source", _sources(), ids=lambda p: p.stem)
def test_notebook_conventions(source):
    student = student_notebook(source)
    nbformat.validate(nbformat.from_dict(student))
    assert student["metadata"]["kernelspec"]["name"] == "python3"
    cells = student["cells"]
    lines = "".join(cells[0]["source"]).split("\n")
    assert cells[0]["cell_type"] == "markdown" and lines[0].startswith("# Exercise")
    assert lines[2] == ("[![Open In Colab](https://colab.research.google.com/assets/colab-badge"
                        ".svg)](https://colab.research.google.com/github/brainobs/brainobs/blob/"
                        f"main/exercises/student/{source.stem}.ipynb)")
    code = [c for c in cells if c["cell_type"] == "code"]
    assert "".join(code[0]["source"]) == SETUP
    assert "vc = brainobs.VisualCoding2P()" in "".join(code[1]["source"])
    assert all(c["outputs"] == [] and c["execution_count"] is None for c in code)
    text = json.dumps(student)
    assert "BEGIN SOLUTION" not in text and "= ...  # your answer" in text
    assert "BEGIN SOLUTION" not in json.dumps(solution_notebook(source))
    checks = [c for c in code if "check_" in "".join(c["source"]) and "import" not in
              "".join(c["source"])]
    assert checks, "every exercise has a check cell"


def test_book_pages_hide_each_solution_in_a_dropdown(tmp_path):
    source = _sources()[3]
    page = book_notebook(source)
    answers = [c for c in parse_source(source.read_text()) if c.has_solution]
    dropdowns = [c for c in page["cells"] if c["cell_type"] == "markdown"
                 and "".join(c["source"]).startswith(":::{admonition} Solution\n:class: dropdown")]
    assert len(dropdowns) == len(answers) >= 1
    assert answers[0].solution in "".join(dropdowns[0]["source"])
    position = page["cells"].index(dropdowns[0])
    assert "= ...  # your answer" in "".join(page["cells"][position - 1]["source"])
    written = write_book_pages(tmp_path / "book", SOURCES)
    assert [p.name for p in written] == [f"{s.stem}.ipynb" for s in _sources()]
    nbformat.validate(nbformat.read(written[0], as_version=4))


def test_build_writes_students_and_solutions(tmp_path):
    written = build_exercises(SOURCES, tmp_path / "s", tmp_path / "sol")
    assert len(written) == 2 * len(_sources())
    for path in (tmp_path / "s").glob("*.ipynb"):
        assert path.read_text() == (STUDENTS / path.name).read_text()


def test_missing_source_folder_is_a_clear_error(tmp_path, capsys):
    assert main(["exercises", "build", "--check", "--source", str(tmp_path / "none")]) == 2
    assert "No exercise sources" in capsys.readouterr().err
