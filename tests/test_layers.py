"""The layer rules of architecture.md: no Qt below gui/, each layer imports only lower ones."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HEADLESS_PACKAGES = ["core", "api", "store", "outbox", "sandbox"]


def _modules_of(package: str) -> list[str]:
    base = ROOT / "desktop_app" / package
    modules = sorted(
        "desktop_app." + ".".join(path.relative_to(ROOT / "desktop_app").with_suffix("").parts)
        for path in base.rglob("*.py")
        if path.name != "__init__.py"
    )
    return [f"desktop_app.{package}", *modules]


@pytest.mark.parametrize("package", [*HEADLESS_PACKAGES, "cli"])
def test_layer_imports_without_qt(package: str) -> None:
    """Import every module of the layer in a fresh interpreter where Qt cannot be imported."""
    modules = _modules_of(package)
    script = (
        "import sys\n"
        "for blocked in ('PySide6', 'shiboken6', 'qasync'):\n"
        "    sys.modules[blocked] = None  # any import of it now raises ImportError\n"
        "import importlib\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


def test_import_linter_contracts_hold() -> None:
    """The import-linter contracts in pyproject.toml (layers and no Qt below gui) are kept."""
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint_imports), "--no-cache"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
