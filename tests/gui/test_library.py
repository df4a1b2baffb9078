"""The Forms library lists the sample forms and the data folder's, invalid files with their error."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from desktop_app.cli.paths import SAMPLE_FORMS_DIR
from desktop_app.core.form.model import Form
from desktop_app.gui.library import ErrorRole, FormLibrary, FormLibraryModel, FormRole, PathRole

SAMPLE_TITLES = {"IT support request", "Report a bug", "Welcome to the help desk"}


@pytest.fixture
def forms_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "forms"
    folder.mkdir()
    return folder


def _titles(model: FormLibraryModel) -> list[str]:
    return [model.data(model.index(row, 0)) for row in range(model.rowCount())]


def test_the_three_sample_forms_are_listed(
    qtbot: QtBot, forms_dir: Path, qtmodeltester: ModelTester
) -> None:
    model = FormLibraryModel([SAMPLE_FORMS_DIR, forms_dir])
    qtmodeltester.check(model)
    entries = model.entries()
    assert len(entries) == 3
    assert all(entry.form is not None and entry.error is None for entry in entries)
    assert {entry.path.name for entry in entries} == {
        "it-support.json",
        "bug-report.json",
        "walk-in-intake.json",
    }
    # The answer examples in forms/examples are not forms and are not listed.
    assert all(entry.path.parent == SAMPLE_FORMS_DIR for entry in entries)
    titles = _titles(model)
    assert set(titles) == SAMPLE_TITLES
    form = model.data(model.index(0, 0), FormRole)
    assert isinstance(form, Form)
    assert titles[0] == form.title


def test_invalid_files_are_listed_with_their_one_line_error(
    qtbot: QtBot, forms_dir: Path, qtmodeltester: ModelTester
) -> None:
    (forms_dir / "broken.json").write_text('{"format": "deskforms/form", "id": ', encoding="utf-8")
    (forms_dir / "empty.json").write_text("", encoding="utf-8")
    (forms_dir / "binary.json").write_bytes(b"\xff\xfe\x00garbage")
    (forms_dir / "notes.txt").write_text("not a form", encoding="utf-8")
    model = FormLibraryModel([SAMPLE_FORMS_DIR, forms_dir])
    qtmodeltester.check(model)

    invalid = {e.path.name: e.error for e in model.entries() if e.form is None}
    assert set(invalid) == {"broken.json", "empty.json", "binary.json"}
    for name, error in invalid.items():
        assert error is not None
        assert error.startswith(name)
        assert "\n" not in error
    assert "empty" in (invalid["empty.json"] or "")
    row = next(r for r in range(model.rowCount()) if model.entries()[r].path.name == "empty.json")
    index = model.index(row, 0)
    assert model.data(index) == "empty.json: cannot be opened"
    assert model.data(index, ErrorRole) == invalid["empty.json"]
    assert invalid["empty.json"] in model.data(index, Qt.ItemDataRole.ToolTipRole)
    assert model.data(index, PathRole) == str(forms_dir / "empty.json")


def test_enter_on_a_form_emits_form_opened(qtbot: QtBot, forms_dir: Path) -> None:
    library = FormLibrary([SAMPLE_FORMS_DIR, forms_dir])
    qtbot.addWidget(library)
    library.show()
    qtbot.waitExposed(library)
    library.view.setFocus()
    row = next(r for r, e in enumerate(library.model.entries()) if e.path.name == "it-support.json")
    library.view.setCurrentIndex(library.model.index(row, 0))

    with qtbot.waitSignal(library.form_opened, timeout=1000) as blocker:
        qtbot.keyClick(library.view, Qt.Key.Key_Return)

    form = blocker.args[0]
    assert isinstance(form, Form)
    assert form.id == "it-support"


def test_opening_an_invalid_file_reports_its_error_instead(qtbot: QtBot, forms_dir: Path) -> None:
    (forms_dir / "zz-broken.json").write_text("[1, 2]", encoding="utf-8")
    library = FormLibrary([forms_dir])
    qtbot.addWidget(library)
    opened: list[object] = []
    library.form_opened.connect(opened.append)
    library.view.setCurrentIndex(library.model.index(0, 0))
    assert "zz-broken.json" in library.detail.text()

    with qtbot.waitSignal(library.open_failed, timeout=1000) as blocker:
        library.open_index(library.model.index(0, 0))

    assert blocker.args[0].startswith("zz-broken.json")
    assert opened == []


def test_refresh_picks_up_new_files_and_missing_folders_are_skipped(
    qtbot: QtBot, forms_dir: Path, tmp_path: Path
) -> None:
    library = FormLibrary([tmp_path / "nowhere", forms_dir])
    qtbot.addWidget(library)
    assert library.model.rowCount() == 0
    assert "No forms yet" in library.detail.text()
    (forms_dir / "copy.json").write_text(
        (SAMPLE_FORMS_DIR / "bug-report.json").read_text(encoding="utf-8"), encoding="utf-8"
    )
    library.refresh()
    assert [e.path.name for e in library.model.entries()] == ["copy.json"]
    assert library.view.currentIndex().row() == 0


def test_a_form_opened_elsewhere_selects_its_entry_or_none(qtbot: QtBot, forms_dir: Path) -> None:
    library = FormLibrary([SAMPLE_FORMS_DIR, forms_dir])
    qtbot.addWidget(library)
    entries = library.model.entries()
    last = entries[-1]
    assert last.form is not None and library.view.currentIndex().row() == 0
    # A draft of a listed form (no path): its entry, by the form.
    assert library.select_opened(last.form)
    assert library.view.currentIndex().row() == len(entries) - 1
    # A form the list does not have: nothing highlighted, the detail says what is open.
    other = last.form.model_copy(update={"title": "Not listed"})
    assert not library.select_opened(other)
    assert not library.view.currentIndex().isValid()
    assert library.view.selectionModel().selectedIndexes() == []
    assert library.detail.text() == "Open now: Not listed (not in this list)"
