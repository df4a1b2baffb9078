"""ProfilesPage: list, edit, test and import from the DeskHero tenant profiles (and drive the sandbox)."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListView,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.events import ProfileChanged
from desktop_app.gui.context import AppContext
from desktop_app.gui.profiles.connection import FAIL_STYLE, ConnectionPanel
from desktop_app.gui.profiles.editor import EditedProfile, ProfileEditor
from desktop_app.gui.profiles.import_panel import ImportPanel
from desktop_app.gui.profiles.model import NameRole, ProfileListModel, deletion_problem, is_builtin
from desktop_app.gui.profiles.sandbox_panel import SandboxPanel
from desktop_app.gui.profiles.widgets import (
    Ask,
    PausedBanner,
    ask_with_dialog,
    shortcut_action,
    tool_button,
)
from desktop_app.store import ProfileRecord, StoreError


class ProfilesPage(QWidget):
    """The Profiles page: `profile_activated(name)` when the user picks 'Use for new tickets'.

    `form_imported(Path)` tells the Forms library to read its folders again. `ask(title,
    question)` confirms deleting and discarding edits (a dialog; tests replace it).
    """

    profile_activated = Signal(str)
    form_imported = Signal(object)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Profiles")
        self.context = context
        self.ask: Ask = ask_with_dialog
        self._editing: str | None = None  # the saved profile in the editor; None: a new one
        self._loaded: EditedProfile | None = None  # what the editor was loaded with
        self._selecting = False
        self.model = ProfileListModel(
            context.store, context.bridge, active=context.active_profile, parent=self
        )
        self.list_view = QListView(self)
        self.list_view.setModel(self.model)
        self.list_view.setAccessibleName("Tenant profiles")
        self.editor = ProfileEditor(self)
        self.editor.taken_names = self.model.names
        self.paused = PausedBanner(self)
        self.resume_button = self.paused.resume_button
        self.status_label = QLabel(self)
        self.status_label.setWordWrap(True)
        self.status_label.setAccessibleName("Profiles page message")
        self.connection = ConnectionPanel(context.http, self.editor.profile_to_use, self)
        self.importer = ImportPanel(
            context.http, self.editor.profile_to_use, context.forms_dir, self
        )
        self.sandbox_panel: SandboxPanel | None = None
        if context.sandbox is not None and context.sandbox.started:
            self.sandbox_panel = SandboxPanel(context.http, context.sandbox.base_url, self)
        self._make_actions()
        self._build()
        self._connect()
        self._select(
            context.active_profile
            if self.model.row_of(context.active_profile) is not None
            else None
        )

    # -- building ----------------------------------------------------------------------------

    def _make_actions(self) -> None:
        self.new_action = shortcut_action(self, "&New", "Ctrl+N", "Add a new tenant profile")
        self.duplicate_action = shortcut_action(
            self, "D&uplicate", "Ctrl+D", "Copy this profile under a new name"
        )
        self.save_action = shortcut_action(self, "&Save", "Ctrl+S", "Save the profile")
        self.revert_action = shortcut_action(
            self, "Re&vert", "Ctrl+Shift+Z", "Undo the changes not saved yet"
        )
        self.use_action = shortcut_action(
            self, "Use for new &tickets", "Ctrl+U", "Send new tickets with this profile"
        )
        # Del only in the list: in a text box it deletes text, not the profile.
        self.delete_action = shortcut_action(
            self.list_view,
            "&Delete",
            QKeySequence(QKeySequence.StandardKey.Delete),
            "Delete this profile, in the list",
            context=Qt.ShortcutContext.WidgetShortcut,
        )
        for action, slot in (
            (self.new_action, self.new_profile),
            (self.duplicate_action, self.duplicate_profile),
            (self.save_action, self.save),
            (self.revert_action, self.revert),
            (self.use_action, self.use_profile),
            (self.delete_action, self.delete_profile),
        ):
            action.triggered.connect(slot)

    def _build(self) -> None:
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.addWidget(self.list_view, 1)
        row = QHBoxLayout()
        self.list_buttons = [
            tool_button(self, self.new_action, "New profile"),
            tool_button(self, self.duplicate_action, "Duplicate profile"),
            tool_button(self, self.delete_action, "Delete profile"),
        ]
        for button in self.list_buttons:
            row.addWidget(button)
        left_layout.addLayout(row)
        edit_row = QHBoxLayout()
        self.edit_buttons = [
            tool_button(self, self.save_action, "Save profile"),
            tool_button(self, self.revert_action, "Revert changes"),
            tool_button(self, self.use_action, "Use for new tickets"),
        ]
        for button in self.edit_buttons:
            edit_row.addWidget(button)
        edit_row.addStretch(1)
        content = QWidget(self)
        right = QVBoxLayout(content)
        for widget in (self.paused, self.editor):
            right.addWidget(widget)
        right.addLayout(edit_row)
        right.addWidget(self.status_label)
        right.addWidget(self.connection)
        right.addWidget(self.importer)
        if self.sandbox_panel is not None:
            right.addWidget(self.sandbox_panel)
        right.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(content)
        scroll.setAccessibleName("Profile details")
        splitter = QSplitter(self)
        splitter.addWidget(left)
        splitter.addWidget(scroll)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        QWidget.setTabOrder(self.list_view, self.list_buttons[0])

    def _connect(self) -> None:
        self.list_view.selectionModel().currentChanged.connect(self._on_list_current_changed)
        self.context.bridge.profile_changed.connect(self._on_bridge_profile_changed)
        for signal in (
            self.context.bridge.submission_accepted,
            self.context.bridge.submission_failed,
            self.context.bridge.submission_rejected,
            self.context.bridge.submission_turned_uncertain,
        ):
            signal.connect(self._on_bridge_outcome)
        self.editor.changed.connect(self._update_state)
        self.resume_button.clicked.connect(self.resume)
        self.importer.form_imported.connect(self.form_imported)

    # -- what is edited ----------------------------------------------------------------------

    @property
    def editing(self) -> str | None:
        return self._editing

    @property
    def dirty(self) -> bool:
        """True when the editor holds something other than what was loaded into it."""
        return self.editor.is_new or self._typed() != self._loaded

    def _typed(self) -> EditedProfile | None:
        return self.editor.check()[0]

    def _select(
        self,
        name: str | None,
        *,
        load: bool = True,
        template: ProfileRecord | None = None,
        new_name: str = "",
    ) -> None:
        """Make `name` the current row (None: no row) and, with `load`, edit it.

        With no row, the editor holds a new profile: empty, or a copy of `template`.
        """
        self._selecting = True
        try:
            row = None if name is None else self.model.row_of(name)
            index = self.model.index(row) if row is not None else QModelIndex()
            flag = QItemSelectionModel.SelectionFlag
            self.list_view.selectionModel().setCurrentIndex(
                index, flag.ClearAndSelect if row is not None else flag.Clear
            )
        finally:
            self._selecting = False
        if load:
            self._load(None if name is None else self.model.record(name), template, new_name)

    def _load(
        self, record: ProfileRecord | None, template: ProfileRecord | None, name: str
    ) -> None:
        self._editing = None if record is None else record.name
        if record is None:
            self.editor.load_new(template, name)
        else:
            self.editor.load(record)
        self._loaded = self._typed()
        self.connection.clear()
        self.importer.clear()
        self.status_label.clear()
        self._update_state()
        if self.sandbox_panel is not None and self.sandbox_panel.isVisibleTo(self):
            self.sandbox_panel.refresh()

    def _update_state(self) -> None:
        record = self.model.record(self._editing) if self._editing else None
        builtin = record is not None and is_builtin(record.name)
        self.duplicate_action.setEnabled(record is not None)
        self.delete_action.setEnabled(record is not None and not builtin)
        self.use_action.setEnabled(record is not None)
        self.revert_action.setEnabled(self.editor.is_new or self.dirty)
        self.paused.show_record(record)
        if self.sandbox_panel is not None:
            self.sandbox_panel.setVisible(builtin)

    def _say(self, text: str, *, error: bool = False) -> None:
        self.status_label.setStyleSheet(FAIL_STYLE if error else "")
        self.status_label.setText(text)
        self.status_label.setAccessibleDescription(text)

    def _may_leave(self) -> bool:
        if not self.dirty or (
            self.editor.is_new
            and not self.editor.name.text().strip()
            and not self.editor.base_url.text().strip()
        ):
            return True
        what = f"'{self._editing}'" if self._editing else "the new profile"
        return self.ask("Unsaved changes", f"Discard the changes to {what}?")

    # -- actions -----------------------------------------------------------------------------

    def new_profile(self) -> None:
        if self._may_leave():
            self._select(None)
            self.editor.name.setFocus()

    def duplicate_profile(self) -> None:
        record = self.model.record(self._editing) if self._editing else None
        if record is None or not self._may_leave():
            return
        taken, number, name = set(self.model.names()), 2, f"{record.name} copy"
        while name in taken:
            name, number = f"{record.name} copy {number}", number + 1
        self._select(None, template=record, new_name=name)
        self.editor.name.setFocus()
        self.editor.name.selectAll()

    def save(self) -> bool:
        edited = self.editor.edited()
        if edited is None:
            self._say("Not saved: fix the problems shown next to the fields.", error=True)
            return False
        try:
            self.context.store.save_profile(edited.profile, settings=edited.settings)
        except StoreError as error:
            self._say(f"Not saved: {error}", error=True)
            return False
        self._select(edited.profile.name)
        self._say(f"Saved profile '{edited.profile.name}'.")
        return True

    def revert(self) -> None:
        self._select(self._editing)

    def delete_profile(self) -> bool:
        name = self._editing
        if name is None:
            return False
        problem = deletion_problem(self.context.store, name, active=self.model.active)
        if problem is not None:
            self._say(problem, error=True)
            return False
        if not self.ask("Delete profile", f"Delete the profile '{name}'? This cannot be undone."):
            return False
        try:
            self.context.store.delete_profile(name)
        except StoreError as error:
            self._say(f"Not deleted: {error}", error=True)
            return False
        self._select(self.model.active if self.model.record(self.model.active or "") else None)
        self._say(f"Deleted profile '{name}'.")
        return True

    def use_profile(self) -> None:
        if self._editing is None:
            return
        self.model.set_active(self._editing)
        self.profile_activated.emit(self._editing)
        self._say(f"New tickets go to '{self._editing}'.")

    def resume(self) -> None:
        if self._editing is None:
            return
        if self.context.engine.resume_profile(self._editing):
            self._say(f"Sending with '{self._editing}' resumed; its waiting tickets go now.")

    # -- reacting ----------------------------------------------------------------------------

    def _on_list_current_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        if self._selecting:
            return
        name = self.model.data(current, NameRole) if current.isValid() else None
        if name == self._editing:
            return
        if not self._may_leave():
            # Back to the edited row without reloading: the user kept the edits.
            self._select(self._editing, load=False)
            return
        self._select(name)

    def _on_bridge_profile_changed(self, event: ProfileChanged) -> None:
        if event.name != self._editing:
            return
        record = self.model.record(event.name)
        if record is None:
            self._select(None)
            self._say(f"The profile '{event.name}' was deleted.")
        elif not self.dirty:
            self.editor.load(record)
            self._loaded = self._typed()
        self._update_state()

    def _on_bridge_outcome(self, _event: object) -> None:
        if self.sandbox_panel is not None:
            self.sandbox_panel.schedule_refresh()
