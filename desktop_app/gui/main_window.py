"""MainWindow: sidebar of pages, menus and shortcuts, message bar, sandbox banner, status bar.

Built in two steps so that it can paint before the rest of the app is loaded: the frame
(menus, sections, the pages' placeholders, "Starting…") needs only a few Qt classes;
`attach(context)` then joins it to the started app (form library, status bar, banner).
Even the `Qt` namespace waits for `attach`: PySide6 makes all its enums on first use, ~15 ms,
a tenth of a bare window's start. Some overloads are resolved through it, so the frame
passes `QSplitter`'s parent by keyword and sets shortcuts with `setShortcuts`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings, QSize, Signal
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QStatusBar,
    QVBoxLayout,
    QWidget,
)

from desktop_app.gui.pages import PAGE_KEYS, PAGES, PageHost, page_spec, placeholder, plain_title
from desktop_app.paths import SAMPLE_FORMS_DIR

if TYPE_CHECKING:
    # Types only: the frame must not load the store, engine or form model (see above), and
    # each Qt class is made on first use (~1 ms for some): these are only annotations.
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent, QPaintEvent
    from PySide6.QtWidgets import QFileDialog

    from desktop_app.core.form.model import Form
    from desktop_app.gui.context import AppContext
    from desktop_app.gui.library import FormLibrary
    from desktop_app.gui.messages import MessageBar
    from desktop_app.gui.status import AppStatusBar
    from desktop_app.outbox import ProfilePaused

STARTING_TEXT = "Starting…"
# What File › Open form… and dropping files take (as the library lists).
FORM_SUFFIX = ".json"
SANDBOX_BANNER = "Sandbox tenant — tickets go to the local test server"
_GEOMETRY = "window/geometry"
_STATE = "window/state"
_PAGE = "window/page"
_MAIN_SPLITTER = "window/splitter"
_FORMS_SPLITTER = "forms/splitter"


class SectionList(QListWidget):
    """The sidebar: never narrower than its longest title (at any font size, after any drag)."""

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        frame = 2 * self.frameWidth() + 2 * self.spacing()
        return QSize(max(hint.width(), self.sizeHintForColumn(0) + frame), hint.height())


class MainWindow(QMainWindow):
    """The window support staff live in; pages are plugged in with `set_page_widget`.

    `MainWindow(context)` is the whole window. `MainWindow(settings=...)` is its frame only,
    for start-up: it can be shown at once (it says "Starting…"; opening forms waits) and
    becomes the whole window with `attach(context)` once the app has started.

    Signals: `form_opened(Form)` when a form is opened (library, File > Open form…, or a
    dropped .json file); `page_changed(str)` with the page key; `first_painted()` once, when
    the window has painted for the first time; `closed()` when it has closed (its state saved).
    """

    form_opened = Signal(object)  # Form
    page_changed = Signal(str)
    first_painted = Signal()
    closed = Signal()

    # Made by `attach`: the status bar of the started app (the frame's says "Starting…"),
    # the Forms page's library (reading forms needs the form model) and the message bar
    # (nothing to say before).
    status: AppStatusBar
    library: FormLibrary
    message_bar: MessageBar

    def __init__(
        self,
        context: AppContext | None = None,
        settings: QSettings | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        if settings is None:
            if context is None:
                raise TypeError("MainWindow needs its context or its window settings")
            settings = QSettings(str(context.window_settings_path), QSettings.Format.IniFormat)
        self.settings = settings
        self._context: AppContext | None = None
        self._painted = False
        self._closed = False
        self.setWindowTitle("DeskForms")
        self.setAcceptDrops(True)
        self.resize(1100, 720)

        self.banner = self._make_banner()
        self.banner.setVisible(False)  # until the active profile is known
        # Made first: Tab follows the order widgets are made in, and the eye goes from the
        # sections to the library to the page (the library is made by `attach`, before the
        # pages' content, and nothing in between takes focus).
        self.sidebar = SectionList(self)
        self._library_slot = placeholder("Forms", "Loading forms…", coming_soon=False)

        self.sidebar.setAccessibleName("Sections")
        self.sidebar.setAccessibleDescription("Choose a page; Ctrl+1 to Ctrl+5 switch pages")
        self.sidebar.setSizeAdjustPolicy(QListWidget.SizeAdjustPolicy.AdjustToContents)
        self.sidebar.setSpacing(3)
        self.stack = QStackedWidget(self)
        self._hosts: dict[str, PageHost] = {}
        self.forms_splitter = QSplitter(parent=self)  # horizontal; by keyword (see the docstring)
        self.forms_splitter.setObjectName("forms-splitter")
        self._build_pages()

        self.splitter = QSplitter(parent=self)  # horizontal; by keyword (see the docstring)
        self.splitter.setObjectName("main-splitter")
        self.splitter.addWidget(self.sidebar)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setCollapsible(0, False)
        self.splitter.setCollapsible(1, False)
        self.splitter.setSizes([160, 940])

        central = QWidget(self)
        self._central_layout = layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.banner)
        layout.addWidget(self.splitter, 1)
        self.setCentralWidget(central)

        self.setStatusBar(self._make_starting_status())
        self._build_menus()
        self.sidebar.currentRowChanged.connect(self._on_sidebar_current_row_changed)
        self.restore_state()
        if context is not None:
            self.attach(context)

    def attach(self, context: AppContext) -> None:
        """Join the frame to the started app: library, status bar, banner, messages, menus."""
        from desktop_app.gui.library import FormLibrary
        from desktop_app.gui.messages import MessageBar
        from desktop_app.gui.status import AppStatusBar

        if self._context is not None:
            raise RuntimeError("the main window is attached already")
        self._context = context
        self.message_bar = MessageBar(self)
        self._central_layout.insertWidget(0, self.message_bar)  # atop the banner
        self.library = FormLibrary([SAMPLE_FORMS_DIR, context.forms_dir])
        self.library.form_opened.connect(self._on_library_form_opened)
        self.library.open_failed.connect(self._on_library_open_failed)
        self.refresh_action.triggered.connect(self.library.refresh)
        # In the frame's place and size (a restored splitter keeps its sizes).
        self.forms_splitter.replaceWidget(0, self.library)
        self._library_slot.deleteLater()
        self._describe_sections()
        self.status = AppStatusBar(
            context.store, context.bridge, context.engine, context.active_profile, self
        )
        self.setStatusBar(self.status)  # the frame's "Starting…" bar is deleted
        for action in (self.open_action, self.refresh_action):
            action.setEnabled(True)
        context.bridge.profile_paused.connect(self._on_bridge_profile_paused)
        self.set_active_profile(context.active_profile)
        context.messages.attach(self.message_bar)

    @property
    def context(self) -> AppContext:
        """The started app's context (RuntimeError on the frame, before `attach`)."""
        if self._context is None:
            raise RuntimeError("the main window is not attached to the app yet")
        return self._context

    @property
    def attached(self) -> bool:
        return self._context is not None

    @property
    def painted(self) -> bool:
        """Whether the window has painted (`first_painted` was emitted)."""
        return self._painted

    @property
    def was_closed(self) -> bool:
        """Whether the window has been closed (`closed` was emitted)."""
        return self._closed

    # -- pages ------------------------------------------------------------------------------

    def set_page_widget(self, key: str, widget: QWidget) -> None:
        """Put `widget` on page `key` (forms, drafts, outbox, profiles, settings).

        It replaces the page's placeholder (or the widget set before, which is deleted). On
        the Forms page the library stays on the left and `widget` fills the right-hand pane
        (where the runner goes).
        """
        self._host(key).set_content(widget)

    def no_form_placeholder(self) -> QWidget:
        """What the Forms page shows with no form open (at start, or after Send closes one)."""
        return placeholder(
            "Fill a form",
            "Open a form from the list (Enter), with File › Open form… (Ctrl+O),"
            " or drop a .json form file on this window.",
            coming_soon=False,
        )

    def page_widget(self, key: str) -> QWidget:
        """The widget on page `key` now (a placeholder until one is set)."""
        return self._host(key).content()

    def show_page(self, key: str) -> None:
        self.sidebar.setCurrentRow(PAGE_KEYS.index(page_spec(key).key))

    def current_page(self) -> str:
        return PAGE_KEYS[max(0, self.stack.currentIndex())]

    def page_action(self, key: str) -> QAction:
        return self._page_actions[page_spec(key).key]

    # -- profile ---------------------------------------------------------------------------

    def set_active_profile(self, name: str) -> None:
        """Show `name` as the profile tickets go to (banner and status bar follow)."""
        self.context.active_profile = name
        self.banner.setVisible(self.context.sandbox_active)
        self.status.set_profile(name)

    # -- opening forms ---------------------------------------------------------------------

    def open_form_file(self, path: Path) -> Form | None:
        """Read a form file and emit `form_opened`; a bad file's error goes to the message bar."""
        from desktop_app.core.form.loading import FormFileError
        from desktop_app.gui.library import read_form_file

        try:
            form = read_form_file(path)
        except FormFileError as error:
            self.context.messages.error(f"{error} ({path})")
            return None
        self.library.select_opened(form, path)
        self.form_opened.emit(form)
        return form

    def ask_form_file(self) -> QFileDialog:
        """File > Open form…: a non-blocking file dialog; choosing a file opens it."""
        from PySide6.QtCore import Qt  # not at import: see the module's docstring
        from PySide6.QtWidgets import QFileDialog

        dialog = QFileDialog(self, "Open form", str(SAMPLE_FORMS_DIR), "Form files (*.json)")
        dialog.setObjectName("open-form-dialog")
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(self._on_open_dialog_file_selected)
        dialog.open()
        return dialog

    # -- window state ------------------------------------------------------------------------

    def save_state(self) -> None:
        self.settings.setValue(_GEOMETRY, self.saveGeometry())
        self.settings.setValue(_STATE, self.saveState())
        self.settings.setValue(_PAGE, self.current_page())
        self.settings.setValue(_MAIN_SPLITTER, self.splitter.saveState())
        self.settings.setValue(_FORMS_SPLITTER, self.forms_splitter.saveState())
        self.settings.sync()

    def restore_state(self) -> None:
        geometry = _bytes(self.settings.value(_GEOMETRY))
        if geometry is not None:
            self.restoreGeometry(geometry)
        state = _bytes(self.settings.value(_STATE))
        if state is not None:
            self.restoreState(state)
        for key, splitter in (
            (_MAIN_SPLITTER, self.splitter),
            (_FORMS_SPLITTER, self.forms_splitter),
        ):
            sizes = _bytes(self.settings.value(key))
            if sizes is not None:
                splitter.restoreState(sizes)
        page = self.settings.value(_PAGE)
        self.show_page(page if isinstance(page, str) and page in PAGE_KEYS else PAGE_KEYS[0])

    # -- Qt overrides ----------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_state()
        super().closeEvent(event)
        if event.isAccepted():
            self._closed = True
            self.closed.emit()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            self.first_painted.emit()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self.attached and _form_paths(event.mimeData().urls()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = _form_paths(event.mimeData().urls())
        if not paths or not self.attached:
            event.ignore()
            return
        event.acceptProposedAction()
        for path in paths:
            self.open_form_file(path)

    # -- building ----------------------------------------------------------------------------

    def _make_banner(self) -> QFrame:
        banner = QFrame(self)
        banner.setObjectName("sandbox-banner")
        banner.setStyleSheet(
            "#sandbox-banner { background: #fff4ce; border-bottom: 1px solid #e5c76b; }"
            " #sandbox-banner QLabel { color: #5c4400; }"
        )
        banner.setAccessibleName("Sandbox notice")
        label = QLabel(SANDBOX_BANNER, banner)
        label.setObjectName("sandbox-banner-text")
        layout = QVBoxLayout(banner)
        layout.setContentsMargins(10, 4, 10, 4)
        layout.addWidget(label)
        self.banner_label = label
        return banner

    def _make_starting_status(self) -> QStatusBar:
        bar = QStatusBar(self)
        label = QLabel(STARTING_TEXT, bar)
        label.setObjectName("starting-status")
        label.setAccessibleName("Status")
        bar.addPermanentWidget(label)
        return bar

    def _build_pages(self) -> None:
        for spec in PAGES:
            title = plain_title(spec)
            if spec.key == "forms":
                host = PageHost(spec, self.no_form_placeholder())
                self.forms_splitter.addWidget(self._library_slot)
                self.forms_splitter.addWidget(host)
                self.forms_splitter.setStretchFactor(1, 1)
                self.forms_splitter.setSizes([300, 620])
                self.stack.addWidget(self.forms_splitter)
            else:
                host = PageHost(spec, placeholder(title, spec.description))
                self.stack.addWidget(host)
            self._hosts[spec.key] = host
            item = QListWidgetItem(title, self.sidebar)
            item.setToolTip(f"{spec.description} ({spec.shortcut})")

    def _describe_sections(self) -> None:
        # Set by `attach`: the roles are in the `Qt` namespace (see the module's docstring).
        from PySide6.QtCore import Qt

        for row, spec in enumerate(PAGES):
            item = self.sidebar.item(row)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, plain_title(spec))
            item.setData(Qt.ItemDataRole.AccessibleDescriptionRole, spec.description)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        self.open_action = QAction("&Open form…", self)
        _set_shortcut(self.open_action, "Ctrl+O")
        self.open_action.setToolTip("Open a form file (Ctrl+O)")
        self.open_action.triggered.connect(self._on_open_action_triggered)
        self.open_action.setEnabled(False)  # until attached: reading a form needs the app
        file_menu.addAction(self.open_action)
        self.import_action = QAction("&Import answers…", self)
        _set_shortcut(self.import_action, "Ctrl+Shift+I")
        self.import_action.setToolTip(
            "Queue many tickets for the open form from a CSV or JSON Lines file (Ctrl+Shift+I)"
        )
        self.import_action.setEnabled(False)  # until a form is open
        file_menu.addAction(self.import_action)
        file_menu.addSeparator()
        self.quit_action = QAction("&Quit", self)
        _set_shortcut(self.quit_action, "Ctrl+Q")
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.quit_action.triggered.connect(self.close)
        file_menu.addAction(self.quit_action)

        view_menu = bar.addMenu("&View")
        group = QActionGroup(self)
        group.setExclusive(True)
        self._page_actions: dict[str, QAction] = {}
        for spec in PAGES:
            action = QAction(spec.title, self)
            action.setCheckable(True)
            _set_shortcut(action, spec.shortcut)
            action.setToolTip(f"{spec.description} ({spec.shortcut})")
            action.setData(spec.key)
            action.triggered.connect(self._on_page_action_triggered)
            group.addAction(action)
            view_menu.addAction(action)
            # On the window too: the shortcuts keep working when the menu bar is hidden.
            self.addAction(action)
            self._page_actions[spec.key] = action
        view_menu.addSeparator()
        self.refresh_action = QAction("&Refresh forms", self)
        _set_shortcut(self.refresh_action, "F5")
        self.refresh_action.setToolTip("Read the form folders again (F5)")
        self.refresh_action.setEnabled(False)  # until attached: the library is made then
        view_menu.addAction(self.refresh_action)
        for action in (self.open_action, self.import_action, self.quit_action, self.refresh_action):
            self.addAction(action)

    def _host(self, key: str) -> PageHost:
        return self._hosts[page_spec(key).key]

    # -- handlers ------------------------------------------------------------------------------

    def _on_sidebar_current_row_changed(self, row: int) -> None:
        if not 0 <= row < len(PAGES):
            return
        key = PAGES[row].key
        self.stack.setCurrentIndex(row)
        self._page_actions[key].setChecked(True)
        self.page_changed.emit(key)

    def _on_page_action_triggered(self) -> None:
        action = self.sender()
        if isinstance(action, QAction):
            self.show_page(str(action.data()))

    def _on_open_action_triggered(self) -> None:
        self.ask_form_file()

    def _on_open_dialog_file_selected(self, path: str) -> None:
        if path:
            self.open_form_file(Path(path))

    def _on_library_form_opened(self, form: Form) -> None:
        self.form_opened.emit(form)

    def _on_library_open_failed(self, error: str) -> None:
        self.context.messages.error(f"{error}. Fix the file, then press F5 to read it again.")

    def _on_bridge_profile_paused(self, event: ProfilePaused) -> None:
        self.context.messages.error(
            f"Sending with profile '{event.name}' stopped: {event.reason.rstrip('.')}. Fix the profile, then"
            " resume it; its tickets wait in the outbox."
        )


def _set_shortcut(action: QAction, keys: str) -> None:
    # As a list: `setShortcut`'s overloads load the `Qt` namespace (see the module docstring).
    action.setShortcuts([QKeySequence(keys)])


def _form_paths(urls: list[QUrl]) -> list[Path]:
    return [
        Path(url.toLocalFile())
        for url in urls
        if url.isLocalFile() and url.toLocalFile().lower().endswith(FORM_SUFFIX)
    ]


def _bytes(value: object) -> QByteArray | None:
    if isinstance(value, QByteArray) and not value.isEmpty():
        return value
    if isinstance(value, bytes | bytearray) and value:
        return QByteArray(bytes(value))
    return None
