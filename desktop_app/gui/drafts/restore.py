"""After a crash: offer to restore the drafts the previous, uncleanly ended session was editing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, runtime_checkable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget

from desktop_app.gui.context import AppContext
from desktop_app.gui.drafts.rows import ellipsize, plural
from desktop_app.store import DraftRecord, SessionInfo, Store, StoreError

# The prompt names this many of the drafts; the Drafts page lists them all.
LISTED = 5


@runtime_checkable
class PageSwitcher(Protocol):
    """What the prompt needs of the main window (MainWindow has it)."""

    def show_page(self, key: str) -> None: ...


def unsaved_drafts(store: Store, previous: SessionInfo, limit: int = LISTED) -> list[DraftRecord]:
    """Drafts edited during `previous` (after it started), most recent first."""
    return store.drafts(limit=limit, updated_since=previous.started)


class RestorePrompt(QMessageBox):
    """'DeskForms did not close properly last time…': Restore, Show drafts or Dismiss.

    Window-modal over the main window but opened with `open()`, so the loop (and the outbox
    engine) goes on. `restore_requested(draft_id)` names the most recently edited draft;
    `show_drafts_requested()` asks for the Drafts page.
    """

    restore_requested = Signal(str)
    show_drafts_requested = Signal()

    def __init__(
        self, count: int, drafts: list[DraftRecord], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.draft_ids = [draft.id for draft in drafts]
        self.setIcon(QMessageBox.Icon.Warning)
        self.setWindowTitle("Restore unsaved work")
        forms = plural(count, "form")
        verb = "has" if count == 1 else "had"
        self.setText(f"DeskForms did not close properly last time. {forms} {verb} unsaved changes.")
        lines = [f"• {ellipsize(draft.summary, 60)}" for draft in drafts]
        if count > len(drafts):
            lines.append(f"… and {count - len(drafts)} more")
        self.setInformativeText(
            "Nothing typed was lost: every change was saved as a draft.\n\n" + "\n".join(lines)
        )
        self.restore_button: QPushButton = self.addButton(
            "&Restore", QMessageBox.ButtonRole.AcceptRole
        )
        self.restore_button.setToolTip("Open the most recently edited of them to go on filling it")
        self.show_button: QPushButton = self.addButton(
            "Show &drafts", QMessageBox.ButtonRole.ActionRole
        )
        self.show_button.setToolTip("Go to the Drafts page, where every draft is listed")
        self.dismiss_button: QPushButton = self.addButton(
            "Dis&miss", QMessageBox.ButtonRole.RejectRole
        )
        self.dismiss_button.setToolTip("Carry on; the drafts stay on the Drafts page")
        self.setDefaultButton(self.restore_button)
        self.setEscapeButton(self.dismiss_button)
        self.setAccessibleName("Restore unsaved work")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.finished.connect(self._on_finished)

    def _on_finished(self) -> None:
        clicked = self.clickedButton()
        if clicked is self.restore_button and self.draft_ids:
            self.restore_requested.emit(self.draft_ids[0])
        elif clicked is self.show_button:
            self.show_drafts_requested.emit()


def offer_restore(
    window: QWidget,
    context: AppContext,
    previous: SessionInfo | None,
    open_draft: Callable[[str], None],
    show_drafts: Callable[[], None] | None = None,
) -> RestorePrompt | None:
    """Offer the unsaved work of a session that ended uncleanly; the prompt, or None.

    Nothing is shown when `previous` is None (the last quit was clean) or when no draft
    changed during it. Restore calls `open_draft(draft_id)` with the most recent draft; Show
    drafts calls `show_drafts()` (by default `window.show_page("drafts")`).
    """
    if previous is None:
        return None
    try:
        count = context.store.draft_count(updated_since=previous.started)
        drafts = unsaved_drafts(context.store, previous) if count else []
    except StoreError as error:
        context.messages.error(f"DeskForms did not close properly last time: {error}")
        return None
    if not count:
        return None
    prompt = RestorePrompt(count, drafts, window)
    prompt.restore_requested.connect(open_draft)
    if show_drafts is None and isinstance(window, PageSwitcher):
        show_drafts = _show_drafts_page(window)
    if show_drafts is not None:
        prompt.show_drafts_requested.connect(show_drafts)
    else:
        prompt.show_button.hide()
    prompt.open()
    return prompt


def _show_drafts_page(window: PageSwitcher) -> Callable[[], None]:
    return lambda: window.show_page("drafts")
