"""``guide narration build`` from the command line: summary, exit codes, clear errors."""

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli import app
from api.settings import get_settings
from sites_data.db import Database, make_engine, upgrade
from sites_data.store import SiteStore
from tests.factories import make_site


@pytest.fixture
def guide_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    database = f"sqlite:///{tmp_path / 'guide.db'}"
    engine = make_engine(database)
    upgrade(engine)
    SiteStore(Database(engine)).load([make_site("test-tower")])
    monkeypatch.setenv("DATABASE_URL", database)
    monkeypatch.setenv("GUIDE_AUDIO_DIR", str(tmp_path / "audio"))
    get_settings.cache_clear()
    yield tmp_path / "audio"
    get_settings.cache_clear()


def test_build_prints_a_summary_and_fails_for_what_it_could_not_build(guide_env: Path) -> None:
    result = CliRunner().invoke(app, ["narration", "build", "--lang", "vi", "--lang", "ko"])
    assert result.exit_code == 1
    assert "Narration: 1 built, 0 reused, 1 failed." in result.stdout
    assert "failed: test-tower (ko): translation model 'facebook/m2m100_418M' is not on" in (
        result.stderr
    )
    assert len(list(guide_env.glob("*/*.mp3"))) == 1
    result = CliRunner().invoke(app, ["narration", "build", "--lang", "vi"])
    assert result.exit_code == 0, result.output
    assert "Narration: 0 built, 1 reused, 0 failed." in result.stdout


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--lang", "xx"], "unknown language 'xx'; the supported ones are vi, en, zh, ko, ja"),
        (["--site", "nowhere"], "no site has the key 'nowhere'"),
    ],
)
def test_bad_input_is_a_clear_message_and_a_non_zero_exit(
    guide_env: Path, arguments: list[str], message: str
) -> None:
    result = CliRunner().invoke(app, ["narration", "build", *arguments])
    assert result.exit_code == 1
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_an_empty_database_gets_advice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    get_settings.cache_clear()
    result = CliRunner().invoke(app, ["narration", "build"])
    get_settings.cache_clear()
    assert result.exit_code == 1
    assert "run `guide sites load`" in result.stderr


def test_voices_names_the_offline_voice_auto_uses_for_every_language(guide_env: Path) -> None:
    result = CliRunner().invoke(app, ["narration", "voices"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    for line in (
        "vi  Vietnamese: auto uses espeak (vi)",
        "en  English: auto uses rhvoice (slt)",
        "zh  Chinese (Simplified): auto uses espeak (cmn)",
        "ko  Korean: auto uses espeak (ko)",
        "ja  Japanese: auto uses openjtalk (mei_normal)",
        "fr  French: auto uses pico (fr-FR)",
        "ru  Russian: auto uses rhvoice (anna)",
        "de  German: auto uses pico (de-DE)",
    ):
        assert line in lines
    assert "    espeak    available, voice vi" in lines
    mms = [line for line in lines if line.startswith("    mms       unavailable")]
    assert mms and all(line.endswith("never auto)") for line in mms)
    assert "No offline voice" not in result.stdout


def test_a_missing_voice_names_what_to_install_without_a_traceback(
    guide_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_which = shutil.which
    monkeypatch.setattr(
        "narration.speech.programs.shutil.which",
        lambda program: None if program == "pico2wave" else real_which(program),
    )
    result = CliRunner().invoke(app, ["narration", "build", "--lang", "en", "--engine", "pico"])
    assert result.exit_code == 1
    assert (
        "failed: test-tower (en): pico cannot speak en: pico2wave is not installed: run "
        "`apt-get install libttspico-utils` (or `make setup`) (Debian non-free)"
    ) in result.stderr
    assert "Traceback" not in result.output
    result = CliRunner().invoke(app, ["narration", "build", "--lang", "vi", "--engine", "pico"])
    assert "pico cannot speak vi: SVOX Pico has no voice for vi" in result.stderr
