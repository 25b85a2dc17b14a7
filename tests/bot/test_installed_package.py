"""The actions' data travels with the package: a built wheel carries the training phrases
that ``ordinary_words()`` reads, and reads them from where the wheel is installed."""

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from bot.actions.knowledge import ordinary_words

ROOT = Path(__file__).parents[2]
NLU_DIR = ROOT / "bot" / "data" / "nlu"
PACKAGES = ("api", "bot", "maps", "narration", "sites_data")
# Build outputs and links to them are no part of the package.
NOT_SOURCES = shutil.ignore_patterns(
    "__pycache__", "models", "generated", "results", "vendor", ".rasa", "*.egg-info"
)
READ_WORDS = (
    "import sys; sys.path.insert(0, sys.argv[1]); import bot; "
    "from bot.actions.knowledge import ordinary_words; "
    "print(bot.__file__); print(' '.join(sorted(ordinary_words())))"
)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = tmp_path_factory.mktemp("source")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source)
    for package in PACKAGES:
        shutil.copytree(ROOT / package, source / package, ignore=NOT_SOURCES)
    out = tmp_path_factory.mktemp("wheel")
    pip_wheel = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q"]
    subprocess.run(
        [*pip_wheel, "--wheel-dir", str(out), str(source)],
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("heritage_guide-*.whl")
    return built


def test_the_wheel_carries_every_training_phrase_file(wheel: Path) -> None:
    shipped = {name for name in zipfile.ZipFile(wheel).namelist() if name.startswith("bot/data/")}
    expected = {path.relative_to(ROOT).as_posix() for path in NLU_DIR.glob("*/*.yml")}
    assert len(expected) >= 8 * 4
    assert shipped == expected


def test_the_installed_package_reads_the_same_words(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site-packages"
    pip_install = [sys.executable, "-m", "pip", "install", "--no-deps", "-q"]
    subprocess.run(
        [*pip_install, "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
    )
    result = subprocess.run(
        [sys.executable, "-c", READ_WORDS, str(target)],
        cwd=tmp_path,
        check=True,
        capture_output=True,
        text=True,
    )
    package_file, words = result.stdout.splitlines()
    assert Path(package_file).is_relative_to(target)
    assert set(words.split()) == ordinary_words()
