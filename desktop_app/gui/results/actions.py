"""The row actions of the results view: send, resolve, cancel, copy and export selected submissions."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QWidget

from desktop_app.gui.results.export import ExportFailed, ExportFormat, write_export
from desktop_app.gui.results.rows import OutboxRow
from desktop_app.store import Status, Store, StoreError, SubmissionRecord

TicketIdPrompt = Callable[[QWidget, OutboxRow], int | None]
SavePathPrompt = Callable[[QWidget, str, ExportFormat], Path | None]
ConfirmPrompt = Callable[[QWidget, str], bool]
MAX_TICKET_ID = 2_147_483_647


def ask_ticket_id(parent: QWidget, row: OutboxRow) -> int | None:
    number, ok = QInputDialog.getInt(
        parent,
        "It arrived",
        f"Ticket number of “{row.summary}” in DeskHero:",
        1,
        1,
        MAX_TICKET_ID,
    )
    return number if ok else None


def ask_save_path(parent: QWidget, name: str, fmt: ExportFormat) -> Path | None:
    pattern = "CSV files (*.csv)" if fmt == "csv" else "JSON files (*.json)"
    path, _ = QFileDialog.getSaveFileName(parent, "Export selected submissions", name, pattern)
    return Path(path) if path else None


def ask_confirm(parent: QWidget, text: str) -> bool:
    answer = QMessageBox.question(parent, "DeskForms", text)
    return answer == QMessageBox.StandardButton.Yes


@dataclass
class Prompts:
    """What the actions ask the operator; tests pass answers instead of dialogs."""

    ticket_id: TicketIdPrompt = ask_ticket_id
    save_path: SavePathPrompt = ask_save_path
    confirm: ConfirmPrompt = ask_confirm


@dataclass(frozen=True)
class _Rule:
    statuses: frozenset[Status] = field(default_factory=frozenset)
    single: bool = False


_SENDABLE = frozenset({Status.QUEUED, Status.FAILED})
_RULES: dict[str, _Rule] = {
    "send_now": _Rule(_SENDABLE),
    "send_again": _Rule(frozenset({Status.UNCERTAIN, Status.REJECTED})),
    "arrived": _Rule(frozenset({Status.UNCERTAIN}), single=True),
    "discard": _Rule(frozenset({Status.UNCERTAIN, Status.REJECTED, Status.FAILED})),
    "cancel": _Rule(_SENDABLE),
    "fix_answers": _Rule(frozenset({Status.REJECTED, Status.FAILED}), single=True),
}


def _plural(count: int) -> str:
    return f"{count} submission{'s' if count != 1 else ''}"


class ResultActions(QObject):
    """QActions over the selected rows; each reports one line through `reported(text, error)`."""

    send_requested = Signal()
    fix_requested = Signal(str)
    reported = Signal(str, bool)

    def __init__(
        self,
        store: Store,
        owner: QWidget,
        selection: Callable[[], list[OutboxRow]],
        prompts: Prompts | None = None,
    ) -> None:
        super().__init__(owner)
        self._store = store
        self._owner = owner
        self._selection = selection
        self.prompts = prompts or Prompts()
        make = self._make
        self.send_now = make(
            "Send &now", "Ctrl+Return", self.do_send_now, "Send the selected queued or failed now"
        )
        self.send_again = make(
            "Send &again",
            "Ctrl+Shift+Return",
            self.do_send_again,
            "Queue the selected uncertain or rejected submissions again",
        )
        self.arrived = make(
            "It a&rrived…",
            "Ctrl+Shift+A",
            self.do_arrived,
            "The uncertain submission did arrive: enter its ticket number",
        )
        self.discard = make(
            "&Discard",
            "Shift+Delete",
            self.do_discard,
            "Give up the selected uncertain, rejected or failed submissions",
        )
        self.cancel = make(
            "&Cancel sending",
            "Delete",
            self.do_cancel,
            "Withdraw the selected queued or failed submissions before they are sent",
        )
        self.fix_answers = make(
            "&Fix answers and resend…",
            "F2",
            self.do_fix_answers,
            "Correct a copy of the rejected or failed submission's answers, the server's"
            " messages beside them; sending it replaces the original",
        )
        self.copy_ticket = make(
            "Copy &ticket id",
            QKeySequence.StandardKey.Copy,
            self.do_copy,
            "Copy the ticket numbers of the selected submissions",
        )
        self.export_csv = make(
            "Export to CS&V…",
            "Ctrl+E",
            lambda: self.do_export("csv"),
            "Save the selected submissions with ticket ids and messages as CSV",
        )
        self.export_json = make(
            "Export to &JSON…",
            "Ctrl+Shift+E",
            lambda: self.do_export("json"),
            "Save the selected submissions with ticket ids and messages as JSON",
        )
        self.fix_answers.setVisible(False)  # the shell turns it on when it can open the runner
        self.update_enabled()

    @property
    def all(self) -> list[QAction]:
        return [
            self.send_now,
            self.send_again,
            self.arrived,
            self.discard,
            self.cancel,
            self.fix_answers,
            self.copy_ticket,
            self.export_csv,
            self.export_json,
        ]

    def update_enabled(self) -> None:
        rows = self._selection()
        statuses = {row.status for row in rows}
        for name, rule in _RULES.items():
            action: QAction = getattr(self, name)
            fits = bool(statuses & rule.statuses)
            action.setEnabled(fits and (not rule.single or len(rows) == 1))
        self.copy_ticket.setEnabled(any(row.ticket_id is not None for row in rows))
        self.export_csv.setEnabled(bool(rows))
        self.export_json.setEnabled(bool(rows))

    # -- the actions ------------------------------------------------------------------------

    def do_send_now(self) -> None:
        ids = self._ids(_RULES["send_now"])
        if not ids:
            return
        errors: list[str] = []
        try:
            self._store.retry_now(ids)
            done = len(ids)
        except StoreError:
            # One transaction for all: if one fails (it changed meanwhile), do the rest alone.
            done, errors = self._each(ids, lambda sid: self._store.retry_now([sid]))
        self._report("will be sent now", done, errors)
        if done:
            self.send_requested.emit()

    def do_send_again(self) -> None:
        rows = self._rows(_RULES["send_again"])
        uncertain = sum(row.status is Status.UNCERTAIN for row in rows)
        if uncertain and not self.prompts.confirm(
            self._owner,
            f"{_plural(uncertain)} may already have arrived. Send again anyway? DeskHero "
            "recognises the same idempotency key, where the tenant supports it.",
        ):
            return
        done, errors = self._each([row.id for row in rows], self._store.resolve_resend)
        self._report("queued to be sent again", done, errors)
        if done:
            self.send_requested.emit()

    def do_arrived(self) -> None:
        rows = self._rows(_RULES["arrived"])
        if len(rows) != 1:
            return
        ticket_id = self.prompts.ticket_id(self._owner, rows[0])
        if ticket_id is None:
            return
        done, errors = self._each(
            [rows[0].id], lambda sid: self._store.resolve_arrived(sid, ticket_id)
        )
        self._report(f"marked as arrived as ticket #{ticket_id}", done, errors)

    def do_discard(self) -> None:
        ids = self._ids(_RULES["discard"])
        if ids and self.prompts.confirm(
            self._owner, f"Discard {_plural(len(ids))}? They will not be sent."
        ):
            done, errors = self._each(ids, self._store.resolve_discard)
            self._report("discarded", done, errors)

    def do_cancel(self) -> None:
        ids = self._ids(_RULES["cancel"])
        if ids and self.prompts.confirm(
            self._owner, f"Cancel {_plural(len(ids))}? They will not be sent."
        ):
            done, errors = self._each(ids, self._store.cancel)
            self._report("cancelled", done, errors)

    def do_fix_answers(self) -> None:
        ids = self._ids(_RULES["fix_answers"])
        if len(ids) == 1:
            self.fix_requested.emit(ids[0])

    def do_copy(self) -> None:
        numbers = [str(row.ticket_id) for row in self._selection() if row.ticket_id is not None]
        if not numbers:
            self.reported.emit("The selected submissions have no ticket id yet.", True)
            return
        clipboard = QGuiApplication.clipboard()
        clipboard.setText("\n".join(numbers))
        shown = ", ".join(f"#{number}" for number in numbers[:3])
        more = f" and {len(numbers) - 3} more" if len(numbers) > 3 else ""
        self.reported.emit(f"Copied ticket id {shown}{more}.", False)

    def do_export(self, fmt: ExportFormat) -> None:
        rows = self._selection()
        if not rows:
            return
        path = self.prompts.save_path(self._owner, f"deskforms-results.{fmt}", fmt)
        if path is None:
            return
        try:
            records: Sequence[SubmissionRecord] = [self._store.submission(r.id) for r in rows]
            write_export(records, path, fmt)
        except (StoreError, ExportFailed) as error:
            self.reported.emit(f"Not exported: {error}", True)
            return
        self.reported.emit(f"Exported {_plural(len(records))} to {path}.", False)

    # -- helpers ----------------------------------------------------------------------------

    def _make(
        self,
        text: str,
        shortcut: str | QKeySequence.StandardKey,
        slot: Callable[[], None],
        tip: str,
    ) -> QAction:
        action = QAction(text, self._owner)
        action.setShortcut(QKeySequence(shortcut))
        keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        action.setToolTip(f"{tip} ({keys})" if keys else tip)
        # Only while the results view has focus: Delete or Ctrl+C elsewhere mean other things.
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(slot)
        return action

    def _rows(self, rule: _Rule) -> list[OutboxRow]:
        return [row for row in self._selection() if row.status in rule.statuses]

    def _ids(self, rule: _Rule) -> list[str]:
        return [row.id for row in self._rows(rule)]

    def _each(self, ids: Sequence[str], change: Callable[[str], object]) -> tuple[int, list[str]]:
        done, errors = 0, list[str]()
        for sid in ids:
            try:
                change(sid)
            except (StoreError, ValueError) as error:
                errors.append(str(error))
            else:
                done += 1
        return done, errors

    def _report(self, what: str, done: int, errors: list[str]) -> None:
        if not errors:
            self.reported.emit(f"{_plural(done)} {what}.", False)
        elif not done:
            self.reported.emit(errors[0], True)
        else:
            self.reported.emit(
                f"{_plural(done)} {what}; {len(errors)} could not be: {errors[0]}", True
            )
