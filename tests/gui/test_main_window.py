"""MainWindow: pages and shortcuts, status bar from events, banner, restored state, opening forms."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, QSettings, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QFileDialog, QLabel
from pytestqt.qtbot import QtBot

from desktop_app.cli.paths import SAMPLE_FORMS_DIR
from desktop_app.core.form.model import Form
from desktop_app.gui.context import AppContext
from desktop_app.gui.main_window import SANDBOX_BANNER, STARTING_TEXT, MainWindow
from desktop_app.gui.pages import PAGE_KEYS
from desktop_app.gui.status import ConnectionState
from desktop_app.outbox import Accepted, Failed, ProfilePaused
from desktop_app.store import Status
from tests.gui.conftest import sample_answers, sample_form

PROJECT = Path(__file__).resolve().parents[2]

MakeWindow = Callable[[], MainWindow]


@pytest.fixture
def make_window(qtbot: QtBot, context: AppContext, window_settings: QSettings) -> MakeWindow:
    def make() -> MainWindow:
        window = MainWindow(context, window_settings)
        qtbot.addWidget(window)
        return window

    return make


@pytest.fixture
def window(make_window: MakeWindow, qtbot: QtBot) -> MainWindow:
    shown = make_window()
    shown.show()
    qtbot.waitExposed(shown)
    shown.activateWindow()
    qtbot.waitUntil(shown.isActiveWindow, timeout=2000)
    return shown


def test_ctrl_number_switches_pages(qtbot: QtBot, window: MainWindow) -> None:
    assert window.current_page() == "forms"
    for number, key in zip(
        "32541", ["outbox", "drafts", "settings", "profiles", "forms"], strict=True
    ):
        with qtbot.waitSignal(window.page_changed, timeout=1000) as blocker:
            qtbot.keyClick(
                window.sidebar,
                getattr(Qt.Key, f"Key_{number}"),
                Qt.KeyboardModifier.ControlModifier,
            )
        assert blocker.args == [key]
        assert window.current_page() == key
        assert window.stack.currentIndex() == PAGE_KEYS.index(key)
        assert window.sidebar.currentRow() == PAGE_KEYS.index(key)
        assert window.page_action(key).isChecked()


def test_shortcuts_are_shown_in_tooltips_and_menus(window: MainWindow) -> None:
    for row, key in enumerate(PAGE_KEYS):
        shortcut = f"Ctrl+{row + 1}"
        assert shortcut in window.sidebar.item(row).toolTip()
        assert window.page_action(key).shortcut().toString() == shortcut
    assert window.open_action.shortcut().toString() == "Ctrl+O"
    assert window.quit_action.shortcut().toString() == "Ctrl+Q"
    assert window.sidebar.accessibleName() == "Sections"
    assert window.library.view.accessibleName() == "Form library"


def test_a_plugged_in_widget_replaces_the_placeholder(window: MainWindow) -> None:
    placeholder = window.page_widget("outbox")
    assert isinstance(placeholder, QLabel)
    assert "Coming soon" in placeholder.text()
    results = QLabel("results view")
    window.set_page_widget("outbox", results)
    window.show_page("outbox")
    assert window.page_widget("outbox") is results
    assert results.isVisible()
    runner = QLabel("runner")
    window.set_page_widget("forms", runner)
    window.show_page("forms")
    assert runner.isVisible()
    assert window.library.isVisible()  # the library stays beside the runner
    with pytest.raises(KeyError):
        window.set_page_widget("nowhere", QLabel())


def test_unsent_count_follows_store_events(
    qtbot: QtBot, window: MainWindow, context: AppContext
) -> None:
    assert window.status.unsent == 0
    assert window.status.unsent_label.text() == "Unsent: 0"
    form, answers = sample_form(), sample_answers()

    with qtbot.waitSignal(window.status.unsent_changed, timeout=1000) as blocker:
        context.store.queue_submission(form, answers, "sandbox")
        context.store.queue_submission(form, answers, "sandbox")
    assert blocker.args == [2]
    assert window.status.unsent_label.text() == "Unsent: 2"

    # A cancelled ticket is no longer unsent.
    first = context.store.submissions(limit=1)[0].id
    with qtbot.waitSignal(window.status.unsent_changed, timeout=1000) as blocker:
        context.store.cancel(first)
    assert blocker.args == [1]
    assert context.store.count_by_status()[Status.CANCELLED] == 1


def test_unsent_count_is_driven_by_events_not_polling(
    qtbot: QtBot, window: MainWindow, context: AppContext
) -> None:
    context.bridge.detach()  # no events reach the window any more
    context.store.queue_submission(sample_form(), sample_answers(), "sandbox")
    qtbot.wait(200)
    assert window.status.unsent == 0


def test_connection_state_comes_from_outcome_events(
    qtbot: QtBot, window: MainWindow, context: AppContext
) -> None:
    status = window.status
    assert status.connection is ConnectionState.UNKNOWN
    later = datetime(2030, 1, 1, tzinfo=UTC)
    context.events.publish(Accepted("s1", "sandbox", 1001))
    assert status.connection is ConnectionState.REACHABLE
    assert status.connection_label.text() == "Connection: reachable"
    # Another profile's outcome says nothing about the active one.
    context.events.publish(Failed("s2", "acme", "no answer", later))
    assert status.connection is ConnectionState.REACHABLE
    context.events.publish(ProfilePaused("sandbox", "The tenant refused the form (403)."))
    assert status.connection is ConnectionState.PAUSED
    assert any("403" in m.text for m in window.message_bar.messages())


def test_the_sandbox_banner_shows_for_the_sandbox_profile_only(window: MainWindow) -> None:
    assert window.banner.isVisible()
    assert window.banner_label.text() == SANDBOX_BANNER
    assert "Sandbox" in window.status.profile_label.text()
    window.set_active_profile("acme")
    assert not window.banner.isVisible()
    assert window.status.profile_label.text() == "Profile: acme"
    window.set_active_profile("sandbox")
    assert window.banner.isVisible()


def test_geometry_page_and_splitters_are_restored(
    qtbot: QtBot, make_window: MakeWindow, window_settings: QSettings
) -> None:
    first = make_window()
    first.show()
    qtbot.waitExposed(first)
    first.resize(640, 470)  # inside the offscreen screen (800x600)
    # The left panes (not the defaults 160 and 300) keep their width; the right ones stretch.
    first.forms_splitter.setSizes([200, 500])
    first.splitter.setSizes([150, 600])
    first.show_page("profiles")
    first.close()

    second = make_window()
    second.show()
    qtbot.waitExposed(second)
    assert (second.width(), second.height()) == (640, 470)
    assert second.current_page() == "profiles"
    assert second.splitter.sizes()[0] == 150
    second.show_page("forms")
    assert second.forms_splitter.sizes()[0] == 200


def test_a_garbled_settings_file_falls_back_to_defaults(
    qtbot: QtBot, context: AppContext, tmp_path: Path
) -> None:
    path = tmp_path / "garbled.ini"
    path.write_text("[window]\ngeometry=not bytes\npage=nowhere\n", encoding="utf-8")
    window = MainWindow(context, QSettings(str(path), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    assert window.current_page() == "forms"


def test_open_form_shortcut_and_dialog_emit_form_opened(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.keyClick(window.sidebar, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    dialog = window.findChild(QFileDialog, "open-form-dialog")
    assert isinstance(dialog, QFileDialog)
    assert dialog.isVisible()

    with qtbot.waitSignal(window.form_opened, timeout=2000) as blocker:
        dialog.fileSelected.emit(str(SAMPLE_FORMS_DIR / "walk-in-intake.json"))
    form = blocker.args[0]
    assert isinstance(form, Form)
    assert form.id == "walk-in-intake"
    dialog.close()


def test_activating_a_library_form_emits_form_opened(qtbot: QtBot, window: MainWindow) -> None:
    model = window.library.model
    row = next(r for r, e in enumerate(model.entries()) if e.path.name == "bug-report.json")
    with qtbot.waitSignal(window.form_opened, timeout=1000) as blocker:
        window.library.view.activated.emit(model.index(row, 0))
    assert blocker.args[0].id == "bug-report"


def _drop(window: MainWindow, paths: list[Path]) -> tuple[bool, bool]:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    enter = QDragEnterEvent(
        QPoint(50, 50),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(window, enter)
    drop = QDropEvent(
        QPointF(50, 50),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(window, drop)
    return enter.isAccepted(), drop.isAccepted()


def test_dropping_a_json_form_opens_it(qtbot: QtBot, window: MainWindow) -> None:
    with qtbot.waitSignal(window.form_opened, timeout=1000) as blocker:
        assert _drop(window, [SAMPLE_FORMS_DIR / "it-support.json"]) == (True, True)
    assert blocker.args[0].id == "it-support"


def test_other_files_are_not_accepted_and_bad_forms_show_an_error(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    opened: list[object] = []
    window.form_opened.connect(opened.append)
    text = tmp_path / "notes.txt"
    text.write_text("hello", encoding="utf-8")
    assert _drop(window, [text]) == (False, False)
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "something/else"}', encoding="utf-8")
    assert _drop(window, [bad]) == (True, True)
    assert opened == []
    [message] = window.message_bar.messages()
    assert message.text.startswith("bad.json: not a DeskForms form file")
    assert window.message_bar.isVisible()


def test_messages_sent_before_the_window_exists_show_when_it_opens(
    make_window: MakeWindow, context: AppContext
) -> None:
    context.messages.error("profiles.json was not imported; fix or remove the file")
    assert len(context.messages.pending) == 1
    window = make_window()
    assert [m.text for m in window.message_bar.messages()] == [
        "profiles.json was not imported; fix or remove the file"
    ]
    assert context.messages.pending == []


def test_quit_closes_the_window_and_says_so(qtbot: QtBot, window: MainWindow) -> None:
    with qtbot.waitSignal(window.closed, timeout=1000):
        window.quit_action.trigger()
    assert not window.isVisible()


def _highlighted(window: MainWindow) -> list[str]:
    view = window.library.view
    rows = {index.row() for index in view.selectionModel().selectedIndexes()}
    if view.currentIndex().isValid():
        rows.add(view.currentIndex().row())
    return [window.library.model.entries()[row].path.name for row in sorted(rows)]


def test_a_form_opened_from_elsewhere_does_not_leave_the_first_row_highlighted(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    first = window.library.model.entries()[0].path.name
    assert _highlighted(window) == [first]
    outside = tmp_path / "elsewhere.json"
    source = (SAMPLE_FORMS_DIR / "bug-report.json").read_text(encoding="utf-8")
    outside.write_text(source.replace("Report a bug", "Report a bug (local copy)"), "utf-8")

    assert _drop(window, [outside]) == (True, True)
    assert _highlighted(window) == []
    assert "Report a bug (local copy)" in window.library.detail.text()
    window.refresh_action.trigger()  # F5 reads the folders again: still nothing highlighted
    assert _highlighted(window) == []

    # A file that is in the library highlights its own entry (not the first row).
    with qtbot.waitSignal(window.form_opened, timeout=1000):
        window.open_form_file(SAMPLE_FORMS_DIR / "walk-in-intake.json")
    assert _highlighted(window) == ["walk-in-intake.json"]
    assert first != "walk-in-intake.json"
    window.refresh_action.trigger()
    assert _highlighted(window) == ["walk-in-intake.json"]


def test_the_frame_says_starting_until_attached_then_is_the_whole_window(
    qtbot: QtBot, context: AppContext, window_settings: QSettings
) -> None:
    frame = MainWindow(settings=window_settings)
    qtbot.addWidget(frame)
    frame.show()
    qtbot.waitUntil(lambda: frame.painted, timeout=2000)
    starting = frame.statusBar().findChild(QLabel, "starting-status")
    assert isinstance(starting, QLabel) and starting.text() == STARTING_TEXT
    assert not frame.attached
    with pytest.raises(RuntimeError, match="not attached"):
        _ = frame.context
    assert [frame.sidebar.item(row).text() for row in range(frame.sidebar.count())] == [
        "Forms",
        "Drafts",
        "Outbox & results",
        "Profiles",
        "Settings",
    ]
    assert not frame.open_action.isEnabled() and not frame.refresh_action.isEnabled()
    assert not frame.banner.isVisible()
    sizes = frame.forms_splitter.sizes()

    frame.attach(context)

    assert frame.attached and frame.context is context
    assert frame.status is frame.statusBar()
    assert frame.statusBar().findChild(QLabel, "starting-status") is None
    assert frame.status.profile_label.text() == "Profile: Sandbox (built-in)"
    assert frame.library.model.rowCount() > 0
    assert frame.forms_splitter.widget(0) is frame.library
    assert frame.forms_splitter.sizes() == sizes  # in the frame's place and size
    assert frame.open_action.isEnabled() and frame.refresh_action.isEnabled()
    assert frame.banner.isVisible()
    assert frame.sidebar.item(1).data(Qt.ItemDataRole.AccessibleDescriptionRole)
    with pytest.raises(RuntimeError, match="attached already"):
        frame.attach(context)


def test_the_frame_loads_qt_only(tmp_path: Path) -> None:
    """What the window needs to paint first: none of the store, engine, CLI or form model."""
    code = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from desktop_app.gui.startup import application, show_frame\n"
        "application([])\n"
        "window = show_frame(Path(sys.argv[1]), time.perf_counter())\n"
        "assert window.painted\n"
        "heavy = ('pydantic', 'httpx', 'qasync', 'desktop_app.store', 'desktop_app.cli',\n"
        "         'desktop_app.outbox', 'desktop_app.api', 'desktop_app.core.form')\n"
        "print(sorted({m for m in sys.modules if m.startswith(heavy)}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path)],
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(PROJECT)},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert done.stdout.splitlines()[-1] == "[]"
