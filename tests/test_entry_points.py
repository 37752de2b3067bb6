"""The console commands of `pip install -e .` run from any directory, not only the repository root."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

COMMANDS = {
    "credibility-server": "python -m server",
    "credibility-score": "python -m model score",
    "credibility-train": "python -m training",
}


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_command_answers_help_from_another_directory(name: str, tmp_path: Path) -> None:
    command = Path(sys.executable).parent / name
    if not command.exists():
        pytest.skip(f"{name} is not installed in this environment (pip install -e . installs it)")
    done = subprocess.run([str(command), "--help"], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert COMMANDS[name] in done.stdout


def test_scoring_from_another_directory_finds_the_shipped_model(tmp_path: Path) -> None:
    command = Path(sys.executable).parent / "credibility-score"
    if not command.exists():
        pytest.skip("credibility-score is not installed in this environment (pip install -e . installs it)")
    page = tmp_path / "page.txt"
    page.write_text("Colloidal silver kills every virus in the body.\n", encoding="utf-8")
    done = subprocess.run(
        [str(command), str(page)], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert "sentences flagged" in done.stdout
