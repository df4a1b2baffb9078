"""The Drafts page: empty state, live rows, Open by Enter or double-click, Delete with a question."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from shiboken6 import isValid

from desktop_app.gui.context import AppContext
from desktop_app.gui.drafts.page import DraftsPage
from desktop_app.gui.drafts.rows import Column
from desktop_app.store import Store
from tests.gui.drafts.conftest import ids, save, save_many


@pytest.fixture
def page(qtbot: QtBot, context: AppContext) -> Iterator[DraftsPage]:
    widget = DraftsPage(context)
    qtbot.addWidget(widget)
    widget.resize(900, 500)
    yield widget
    widget.model.close()


def show_with_table_focus(qtbot: QtBot, page: DraftsPage) -> None:
    page.show()
    qtbot.waitExposed(page)
    page.activateWindow()
    page.table.setFocus()
    qtbot.waitUntil(page.table.hasFocus)


def test_the_empty_state_until_a_draft_is_saved(
    qtbot: QtBot, page: DraftsPage, store: Store
) -> None:
    assert page.stack.currentWidget() is page.empty_label
    assert "No drafts" in page.empty_label.text()
    assert page.empty_label.accessibleName() == "No drafts"
    assert page.counts.text() == "0 drafts"
    with qtbot.waitSignal(page.model.rowsInserted):
        draft_id = save(store, "Printer jams")
    assert page.stack.currentWidget() is page.table
    assert ids(page.model) == [draft_id]
    assert page.counts.text() == "1 draft"
    with qtbot.waitSignal(page.model.rowsRemoved):
        store.delete_draft(draft_id)
    assert page.stack.currentWidget() is page.empty_label


def test_enter_on_the_table_opens_the_current_draft(
    qtbot: QtBot, page: DraftsPage, store: Store
) -> None:
    first, _second = save_many(store, 2)
    page.model.refresh()
    show_with_table_focus(qtbot, page)
    assert not page.open_action.isEnabled()  # nothing selected yet
    page.select_drafts([first])
    assert page.open_action.isEnabled()
    with qtbot.waitSignal(page.draft_opened) as blocker:
        qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert blocker.args == [first]


def test_double_click_opens_that_draft(qtbot: QtBot, page: DraftsPage, store: Store) -> None:
    _first, second = save_many(store, 2)
    page.model.refresh()
    page.show()
    qtbot.waitExposed(page)
    row = page.model.row_of(second)
    assert row is not None
    rect = page.table.visualRect(page.model.index(row, Column.SUMMARY))
    viewport, left, center = page.table.viewport(), Qt.MouseButton.LeftButton, rect.center()
    with qtbot.waitSignal(page.draft_opened) as blocker:
        # An item view needs the press before the double click, as a real mouse sends it.
        qtbot.mouseClick(viewport, left, pos=center)
        qtbot.mouseDClick(viewport, left, pos=center)
    assert blocker.args == [second]


def test_delete_asks_first_without_blocking_then_deletes(
    qtbot: QtBot, page: DraftsPage, store: Store
) -> None:
    first, second, third = save_many(store, 3)
    page.model.refresh()
    show_with_table_focus(qtbot, page)
    page.select_drafts([first, third])
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    box = page.confirm_box
    assert box is not None and box.isVisible()  # opened, not exec'd: we got here
    assert "2 drafts" in box.text()
    assert store.draft_count() == 3
    delete = next(
        b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.DestructiveRole
    )
    with qtbot.waitSignal(page.model.rowsRemoved):
        delete.click()
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    assert ids(page.model) == [second]
    assert store.draft_count() == 1
    assert page.confirm_box is None


def test_cancelling_the_question_deletes_nothing(
    qtbot: QtBot, page: DraftsPage, store: Store
) -> None:
    draft_id = save(store, "Keep me")
    page.model.refresh()
    page.select_drafts([draft_id])
    box = page.delete_selected()
    assert box is not None and "Keep me" in box.text()
    box.button(QMessageBox.StandardButton.Cancel).click()
    qtbot.wait(10)
    assert store.draft_count() == 1 and ids(page.model) == [draft_id]


def test_the_filter_box(qtbot: QtBot, page: DraftsPage, store: Store) -> None:
    printer = save(store, "Printer jams")
    save(store, "VPN down")
    page.model.refresh()
    with qtbot.waitSignal(page.model.modelReset, timeout=2000):
        qtbot.keyClicks(page.filter_edit, "print")  # applied after a pause in typing
    assert ids(page.model) == [printer]
    assert page.counts.text() == "1 of 2 drafts match"
    page.filter_edit.setText("nothing like it")
    page.apply_filter()
    assert page.stack.currentWidget() is page.empty_label
    assert "No drafts match “nothing like it”" in page.empty_label.text()
    page.filter_edit.clear()
    page.apply_filter()
    assert page.model.rowCount() == 2


def test_shortcuts_are_in_tooltips_and_widgets_have_accessible_names(page: DraftsPage) -> None:
    assert "Return" in page.open_action.toolTip() or "Enter" in page.open_action.toolTip()
    assert "Del" in page.delete_action.toolTip()
    assert "Ctrl+F" in page.filter_edit.placeholderText()
    assert page.table.accessibleName() == "Drafts"
    assert page.filter_edit.accessibleName() == "Filter drafts"
    assert page.counts.accessibleName()


def test_clicking_an_unsortable_header_keeps_the_last_change_arrow(
    page: DraftsPage, store: Store
) -> None:
    first, second = save_many(store, 2)
    page.model.refresh()
    header = page.table.horizontalHeader()
    header.setSortIndicator(Column.FORM, Qt.SortOrder.AscendingOrder)
    assert header.sortIndicatorSection() == Column.UPDATED
    assert ids(page.model) == [second, first]
    header.setSortIndicator(Column.UPDATED, Qt.SortOrder.AscendingOrder)
    assert ids(page.model) == [first, second]


def test_a_deleted_page_no_longer_follows_the_store(
    qtbot: QtBot, context: AppContext, store: Store
) -> None:
    page = DraftsPage(context)
    model = page.model
    assert model.receivers("2counts_changed()") >= 1
    page.deleteLater()
    qtbot.waitUntil(lambda: not isValid(model))
    save(store, "After the page is gone")  # a slot on the deleted model would raise here
    qtbot.wait(10)
