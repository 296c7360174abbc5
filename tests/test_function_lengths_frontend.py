"""No function in frontend/src is longer than 120 lines (frontend/scripts/function-lengths.mjs), and the
checker does fail on one that is."""

import shutil
import subprocess
from pathlib import Path

import pytest

FRONTEND = Path(__file__).resolve().parent.parent / "frontend"
SCRIPT = FRONTEND / "scripts" / "function-lengths.mjs"


@pytest.fixture
def node():
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not on PATH, so the TypeScript checker cannot run")
    if not (FRONTEND / "node_modules" / "typescript").is_dir():
        pytest.skip("frontend/node_modules is not installed (cd frontend && npm ci)")
    return node


def run_checker(node, *args):
    return subprocess.run(
        [node, str(SCRIPT), *args], cwd=FRONTEND, capture_output=True, text=True, timeout=120, check=False
    )


def test_no_frontend_function_is_longer_than_120_lines(node):
    result = run_checker(node)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_checker_names_a_function_over_the_limit(node, tmp_path):
    # 130 lines from `function` to the closing brace: the signature, 128 statements, the closing brace.
    body = "".join(f"  total += {i};\n" for i in range(126))
    (tmp_path / "long.ts").write_text(
        f"export function tooLong(): number {{\n  let total = 0;\n{body}  return total;\n}}\n"
    )
    (tmp_path / "short.ts").write_text("export const short = (): number => 1;\n")

    result = run_checker(node, str(tmp_path), "--max", "120")

    assert result.returncode == 1, result.stdout + result.stderr
    assert "long.ts:1 tooLong 130" in result.stdout, result.stdout
    assert "short.ts" not in result.stdout, result.stdout
