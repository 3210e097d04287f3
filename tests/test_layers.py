"""The import rule (ARCHITECTURE.md): launch, benchmarks -> easyds (the product) -> rlhf, dpo -> common (the core).

Read from the source with ``ast``, so the rule holds for every import, taken or not: the core imports none of the
others; rlhf and dpo import the core only, never each other or the product; no import circles; no project import
inside a function. Imported for real with the upper layers blocked: the core, then each algorithm package.
"""
import ast
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PACKAGES = ("common", "rlhf", "dpo", "easyds")
# What each package may import from the project (besides itself).
ALLOWED = {"common": set(), "rlhf": {"common"}, "dpo": {"common"}, "easyds": {"common", "rlhf", "dpo"}}
# Old module paths kept for one release (their docstrings say where the code went): they import the product.
DEPRECATED_ALIASES = {"common.evaluation", "common.rubric", "common.inference"}


def modules() -> dict:
    """``{module name: path}`` of every module of the four packages."""
    out = {}
    for pkg in PACKAGES:
        for path in sorted((REPO / pkg).glob("*.py")):
            out[pkg if path.stem == "__init__" else f"{pkg}.{path.stem}"] = path
    return out


def project_imports(name: str, path: Path) -> list:
    """``(imported module, line, inside a function?)`` for every import of a project module in ``path``."""
    known = modules()
    pkg = name.split(".")[0]
    out = []

    def visit(node, in_function):
        for child in ast.iter_child_nodes(node):
            inner = in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef))
            if isinstance(child, ast.Import):
                targets = [a.name for a in child.names]
            elif isinstance(child, ast.ImportFrom):
                base = (pkg if child.level == 1 else None) if child.level else None
                module = child.module if not child.level else (f"{base}.{child.module}" if child.module else base)
                targets = [module] + [f"{module}.{a.name}" for a in child.names]
            else:
                visit(child, inner)
                continue
            hits = [t for t in targets if t in known or t in PACKAGES]
            out.extend((t, child.lineno, inner) for t in hits[:1] + [h for h in hits[1:] if h in known])
    visit(ast.parse(path.read_text(encoding="utf-8")), False)
    return out


def test_every_import_points_down_the_layers():
    wrong = []
    for name, path in modules().items():
        if name in DEPRECATED_ALIASES:
            continue
        pkg = name.split(".")[0]
        for target, line, _ in project_imports(name, path):
            other = target.split(".")[0]
            if other != pkg and other not in ALLOWED[pkg]:
                wrong.append(f"{path.relative_to(REPO)}:{line}: {pkg} imports {target}")
    assert not wrong, "\n".join(wrong)


def test_no_project_import_inside_a_function():
    lazy = [f"{path.relative_to(REPO)}:{line}: {target}" for name, path in modules().items()
            for target, line, inside in project_imports(name, path) if inside]
    assert not lazy, "\n".join(lazy)


def test_no_import_circles():
    graph = {name: {t for t, _, _ in project_imports(name, path) if t in modules() and t != name}
             for name, path in modules().items()}
    # Depth-first search for a back edge; the cycle found is reported as a path.
    state, stack = {}, []

    def visit(node):
        state[node] = "open"
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == "open":
                raise AssertionError("import circle: " + " -> ".join(stack[stack.index(nxt):] + [nxt]))
            if nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node)


def test_the_checker_sees_what_it_must_refuse(tmp_path):
    """The reader itself: an upward import, a lazy one and a relative one are all found."""
    bad = tmp_path / "m.py"
    bad.write_text("from easyds.rubric import CRITERIA\n\ndef f():\n    from .ops import masked_mean\n")
    found = project_imports("common.m", bad)
    assert ("easyds.rubric", 1, False) in found and ("common.ops", 4, True) in found


@pytest.mark.parametrize("package, blocked", [("common", ("rlhf", "dpo", "easyds")), ("rlhf", ("dpo", "easyds")),
                                              ("dpo", ("rlhf", "easyds"))])
def test_each_layer_imports_with_the_layers_above_it_blocked(package, blocked):
    names = [n for n in modules() if n.split(".")[0] == package and n not in DEPRECATED_ALIASES]
    code = textwrap.dedent(f"""
        import importlib, sys, warnings
        warnings.simplefilter("ignore")
        for name in {blocked!r}:
            sys.modules[name] = None  # any import of it, direct or indirect, raises ImportError
        for module in {names!r}:
            importlib.import_module(module)
        print("ok")
        """)
    env = dict(os.environ, PYTHONPATH=str(REPO))
    proc = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0 and proc.stdout.strip().endswith("ok"), proc.stderr[-3000:]


def test_launch_scripts_are_thin_and_leave_sys_path_alone():
    """Launch scripts parse, build and run; the packages are installed (run.sh setup). The one exception to the
    sys.path rule is launch/dpo.py, whose own folder would otherwise shadow the dpo package."""
    for path in sorted((REPO / "launch").glob("*.py")):
        text = path.read_text(encoding="utf-8")
        assert ("sys.path" in text) == (path.name == "dpo.py"), path
        loops = [n.lineno for n in ast.walk(ast.parse(text)) if isinstance(n, (ast.For, ast.While))]
        assert not loops, f"{path}: loops at lines {loops} (the work belongs below launch/)"
