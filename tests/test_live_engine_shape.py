"""The live engine's Python stays easy to change (docs/architecture.md): in realtime/ and feedback/, no function
is longer than 50 lines, and none imports the project's own modules inside a function (a function-level import
hides a cycle between layers; the layers themselves are checked by import-linter in `make test`)."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("realtime", "feedback")
PROJECT = ("realtime", "feedback", "workshops", "config", "bench")
MAX_LINES = 50


def _functions(tree):
    return [node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)]


def _project_import(node):
    if isinstance(node, ast.ImportFrom):
        names = [node.module or ""] if node.level == 0 else ["(relative)"]
    elif isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    else:
        return None
    return next((name for name in names if name.split(".")[0] in PROJECT or name == "(relative)"), None)


def shape_problems(source, where):
    """Every function over MAX_LINES lines and every function-level import of the project, as text."""
    problems = []
    for function in _functions(ast.parse(source)):
        lines = function.end_lineno - function.lineno + 1
        if lines > MAX_LINES:
            problems.append(f"{where}:{function.lineno} {function.name} is {lines} lines")
        for node in ast.walk(function):
            imported = _project_import(node)
            if imported:
                problems.append(f"{where}:{node.lineno} {function.name} imports {imported}")
    return problems


def _sources():
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def test_no_live_engine_function_is_long_or_imports_the_project_inside_it():
    problems = [p for path in _sources() for p in shape_problems(path.read_text(), path.relative_to(ROOT))]
    assert problems == []


def test_the_check_finds_a_long_function_and_a_hidden_import():
    body = "\n".join(f"    x{n} = {n}" for n in range(MAX_LINES))
    source = f"def long():\n{body}\n\n\ndef hides():\n    from realtime import events\n    import json\n"
    assert shape_problems(source, "x.py") == [
        f"x.py:1 long is {MAX_LINES + 1} lines",
        f"x.py:{MAX_LINES + 5} hides imports realtime",
    ]


def test_every_module_of_the_live_engine_is_named_in_the_architecture():
    text = (ROOT / "docs" / "architecture.md").read_text()
    modules = [path.relative_to(ROOT) for path in (ROOT / "realtime").rglob("*.py") if "migrations" not in path.parts]
    unnamed = [str(module) for module in modules if module.name != "__init__.py" and str(module) not in text]
    assert unnamed == []
