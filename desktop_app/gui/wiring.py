"""Puts each page's real widget in the main window and connects the pages with each other."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt

from desktop_app.core.form.model import Form
from desktop_app.core.settings import AppSettings
from desktop_app.gui.context import AppContext
from desktop_app.gui.main_window import MainWindow
from desktop_app.gui.settings_controller import SettingsController
from desktop_app.store import StoreError

if TYPE_CHECKING:
    from desktop_app.gui.runner.runner import FormRunner


class Workspace(QObject):
    """The pages of one main window and what passes between them; a child of the window.

    Opening a form (library, file, drop), a draft (Drafts page, restore prompt) or a copy to
    fix (results) all end in `open_form`, which keeps what was typed in the form it replaces.
    The runner and other pages are imported when first needed: not before the first paint.
    """

    def __init__(
        self,
        window: MainWindow,
        context: AppContext,
        settings: SettingsController | None = None,
    ) -> None:
        super().__init__(window)
        from desktop_app.gui.drafts import DraftsPage
        from desktop_app.gui.results.view import ResultsView

        self.window = window
        self.context = context
        self.settings = settings

        window.form_opened.connect(self.open_form)
        window.closed.connect(self.save_open_draft)
        window.import_action.triggered.connect(self.import_answers)

        self.drafts = DraftsPage(context)
        self.drafts.draft_opened.connect(self.open_draft)
        window.set_page_widget("drafts", self.drafts)

        self.results = ResultsView(context.store, context.events)
        self.results.send_requested.connect(context.engine.wake)
        self.results.message_shown.connect(self._on_results_message_shown)
        self.results.fix_requested.connect(self.fix_submission)
        self.results.set_fix_enabled(True)
        window.set_page_widget("outbox", self.results)

        from desktop_app.gui.profiles import ProfilesPage

        # Built with the loop running: the sandbox panel loads its status at once.
        self.profiles = ProfilesPage(context)
        self.profiles.profile_activated.connect(window.set_active_profile)
        self.profiles.form_imported.connect(self._on_profiles_form_imported)
        window.set_page_widget("profiles", self.profiles)

        if settings is not None:
            self.settings_page = settings.make_page(self._profile_names())
            context.bridge.profile_changed.connect(self._on_bridge_profile_changed)
            window.set_page_widget("settings", self.settings_page)
            self._apply_autosend(settings.settings.autosend)
            self.profiles.editor.new_concurrency = settings.settings.concurrency
            settings.changed.connect(self._on_settings_changed)

        from desktop_app.gui.tray import make_tray

        self.tray = make_tray(window, context)  # None where the platform has no tray

    # -- forms -------------------------------------------------------------------------------

    def runner(self) -> FormRunner | None:
        """The form being filled on the Forms page, if any."""
        from desktop_app.gui.runner.runner import FormRunner

        current = self.window.page_widget("forms")
        return current if isinstance(current, FormRunner) else None

    def open_form(self, form: Form, draft_id: str | None = None) -> None:
        """Fill `form` (from `draft_id`'s answers when given) on the Forms page."""
        from desktop_app.gui.runner.runner import FormRunner

        current = self.runner()
        if current is not None:
            if draft_id is not None and current.draft_id == draft_id:
                self.window.show_page("forms")
                return
            current.save_draft()  # the runner being replaced keeps what was typed
        if draft_id is not None:
            self.window.library.select_opened(form)  # the list must not point at another form
        runner = FormRunner(
            form, self.context.store, self.context.active_profile, draft_id=draft_id
        )
        self._show_runner(runner)

    def open_draft(self, draft_id: str) -> None:
        try:
            record = self.context.store.draft(draft_id)
        except StoreError as error:
            self.context.messages.error(f"{error}. It may have been sent or deleted meanwhile.")
            return
        if record.replaces is not None and self.fix_submission(record.replaces, quiet=True):
            return  # a correction: shown with the server's messages again
        self.open_form(record.form, draft_id=draft_id)

    def fix_submission(self, submission_id: str, *, quiet: bool = False) -> bool:
        """Fix answers and resend: the runner on a copy of a rejected or failed submission
        (the copy begun before, if any). False, with the reason shown unless `quiet`, when
        it cannot be fixed."""
        from desktop_app.gui.results.fix import fix_copy, fix_runner

        current = self.runner()
        if current is not None and current.replaces == submission_id:
            self.window.show_page("forms")
            return True
        try:
            copy = fix_copy(self.context.store, submission_id)
        except StoreError as error:
            if not quiet:
                self.context.messages.error(str(error))
            return False
        if current is not None:
            current.save_draft()  # the runner being replaced keeps what was typed
        self._show_runner(fix_runner(self.context.store, copy))
        return True

    def _show_runner(self, runner: FormRunner) -> None:
        self._apply_send_settings(runner)
        runner.sent.connect(self._on_runner_sent)
        self.window.set_page_widget("forms", runner)
        self.window.import_action.setEnabled(True)
        self.window.show_page("forms")

    def save_open_draft(self) -> None:
        current = self.runner()
        if current is not None:
            current.save_draft()

    def import_answers(self) -> None:
        """File › Import answers…: many tickets for the open form from a CSV or JSONL file."""
        from desktop_app.gui.runner.import_rows import ImportRowsDialog

        current = self.runner()
        if current is None:
            self.context.messages.info("Open a form first; its answers can then be imported.")
            return
        dialog = ImportRowsDialog(
            current.form, self.context.store, self.context.active_profile, self.window
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.queued.connect(self._on_import_queued)
        dialog.open()

    # -- handlers ------------------------------------------------------------------------------

    def _profile_names(self) -> list[str]:
        return [record.name for record in self.context.store.profiles()]

    def _on_bridge_profile_changed(self, _event: object) -> None:
        self.settings_page.set_profiles(self._profile_names())

    def _on_results_message_shown(self, text: str, is_error: bool) -> None:
        (self.context.messages.error if is_error else self.context.messages.info)(text)

    def _apply_autosend(self, autosend: bool) -> None:
        """Off: new tickets are held until Send now. On: every held ticket goes now."""
        store = self.context.store
        store.hold_new = not autosend
        if not autosend:
            return
        try:
            released = store.release_held()
        except StoreError as error:
            self.context.messages.error(f"Held tickets could not be released: {error}")
            return
        if released:
            self.context.engine.wake()

    # -- sending settings (confirm_before_send, after_send) -----------------------------------

    def _apply_send_settings(self, runner: FormRunner) -> None:
        runner.confirm_send = (
            self.settings is not None and self.settings.settings.confirm_before_send
        )

    def _on_runner_sent(self, _submission_id: str, text: str) -> None:
        if self.settings is None or self.settings.settings.after_send != "close":
            return  # "reset": the runner has emptied itself for the next ticket
        if self.sender() is not self.runner():
            return  # a runner no longer shown
        # Closed, its message line goes with it: the queued line moves to the message channel.
        self.context.messages.info(text)
        self.window.set_page_widget("forms", self.window.no_form_placeholder())
        self.window.import_action.setEnabled(False)  # there is no open form to import into

    def _on_settings_changed(self, settings: AppSettings) -> None:
        self.profiles.editor.new_concurrency = settings.concurrency
        current = self.runner()
        if current is not None:
            self._apply_send_settings(current)
        if settings.autosend == (not self.context.store.hold_new):
            return
        self._apply_autosend(settings.autosend)

    def _on_profiles_form_imported(self, _path: object) -> None:
        self.window.library.refresh()  # list the imported form

    def _on_import_queued(self, ids: list[str]) -> None:
        self.context.engine.wake()
        self.context.messages.info(f"Queued {len(ids)} imported ticket(s); see Outbox & results.")


def plug_pages(
    window: MainWindow, context: AppContext, settings: SettingsController | None = None
) -> Workspace:
    """Put each page's real widget in the window; pages without one show a placeholder."""
    return Workspace(window, context, settings)
