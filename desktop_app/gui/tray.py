"""The system-tray icon: unsent count on the icon and tooltip, a menu, and coalesced notifications."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QColor, QFont, QIcon, QPainter, QPainterPath, QPixmap
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from desktop_app.core.events import Event
from desktop_app.gui.batch_watch import Notice, TrayNotices, tray_tooltip
from desktop_app.gui.context import AppContext
from desktop_app.gui.main_window import MainWindow
from desktop_app.store import Status, StoreError

logger = logging.getLogger(__name__)

ICON_SIZE = 64
NOTICE_MS = 8000
_BLUE = QColor("#2f6fcf")
_RED = QColor("#d13438")

Clock = Callable[[], float]


def app_icon(unsent: int = 0, size: int = ICON_SIZE) -> QIcon:
    """The app's icon (a form on a blue tile; resources/ has none) with `unsent` on a badge."""
    return QIcon(app_pixmap(unsent, size))


def app_pixmap(unsent: int = 0, size: int = ICON_SIZE) -> QPixmap:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        s = float(size)
        tile = QPainterPath()
        tile.addRoundedRect(QRectF(s * 0.04, s * 0.04, s * 0.92, s * 0.92), s * 0.18, s * 0.18)
        painter.fillPath(tile, _BLUE)
        # A sheet with three lines: a form.
        painter.fillRect(QRectF(s * 0.26, s * 0.18, s * 0.48, s * 0.64), QColor("#ffffff"))
        for row in range(3):
            y = s * (0.32 + row * 0.14)
            painter.fillRect(QRectF(s * 0.34, y, s * 0.32, s * 0.06), _BLUE)
        if unsent > 0:
            _paint_badge(painter, s, "99+" if unsent > 99 else str(unsent))
    finally:
        painter.end()
    return pixmap


def _paint_badge(painter: QPainter, s: float, text: str) -> None:
    height = s * 0.52
    width = max(height, height * (0.45 + 0.3 * len(text)))
    rect = QRectF(s - width, 0.0, width, height)
    badge = QPainterPath()
    badge.addRoundedRect(rect, height / 2, height / 2)
    painter.fillPath(badge, _RED)
    font = QFont()
    font.setBold(True)
    font.setPixelSize(max(6, round(height * (0.72 if len(text) == 1 else 0.55))))
    painter.setFont(font)
    painter.setPen(QColor("#ffffff"))
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)


def active_count(context: AppContext) -> int:
    counts = context.store.count_by_status()
    return counts[Status.QUEUED] + counts[Status.SENDING]


class TrayIcon(QSystemTrayIcon):
    """The tray icon of one main window; see `make_tray` (it is only made where a tray is).

    Its icon and tooltip follow the status bar's unsent count (event-driven). Its menu shows
    the window, sends now (failed tickets retried at once) or quits. When a batch finishes or
    tickets need attention it notifies, at most once every few seconds and only while the
    window is not the active one (the message bar tells the operator who is looking).
    `notified(Notice)` says what was shown.
    """

    notified = Signal(object)  # Notice

    def __init__(
        self,
        window: MainWindow,
        context: AppContext,
        *,
        clock: Clock = time.monotonic,
        notices: TrayNotices | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent if parent is not None else window)
        self.window = window
        self.context = context
        self.clock = clock
        self.notices = notices or TrayNotices(active_count(context))
        self._unsent = -1

        self.menu = QMenu(window)  # a popup: parented for its lifetime, never in the layout
        self.menu.setAccessibleName("DeskForms tray menu")
        self.show_action = QAction("&Show DeskForms", self.menu)
        self.show_action.triggered.connect(self.show_window)
        self.send_action = QAction("Send &now", self.menu)
        self.send_action.setToolTip("Send held tickets and retry waiting ones now")
        self.send_action.triggered.connect(self.send_now)
        self.quit_action = QAction("&Quit", self.menu)
        self.quit_action.triggered.connect(window.close)
        for action in (self.show_action, self.send_action):
            self.menu.addAction(action)
        self.menu.addSeparator()
        self.menu.addAction(self.quit_action)
        self.setContextMenu(self.menu)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._on_timer_timeout)
        self.activated.connect(self._on_activated)
        self.messageClicked.connect(self._on_message_clicked)
        window.status.unsent_changed.connect(self.set_unsent)
        window.closed.connect(self.hide)
        context.bridge.event_published.connect(self._on_bridge_event_published)
        self.set_unsent(max(0, window.status.unsent))

    @property
    def unsent(self) -> int:
        return self._unsent

    def set_unsent(self, count: int) -> None:
        if count == self._unsent:
            return
        self._unsent = count
        self.setToolTip(tray_tooltip(count))
        self.setIcon(app_icon(count))

    def show_window(self) -> None:
        window = self.window
        if window.isMinimized():
            window.showNormal()
        else:
            window.show()
        window.raise_()
        window.activateWindow()

    def send_now(self) -> None:
        """Everything waiting goes now: held tickets (autosend off) and those waiting to retry."""
        store = self.context.store
        try:
            store.release_held()
            store.retry_all_now()
        except StoreError as error:
            self.context.messages.error(f"Could not send the waiting tickets now: {error}")
        self.context.engine.wake()

    def notify_due(self) -> Notice | None:
        """Show the notice that is due now, if any; dropped while the window is active."""
        notice = self.notices.take(self.clock())
        if notice is None:
            self._schedule()
            return None
        if self.window.isActiveWindow():
            return None  # the message bar and status bar already say it
        self.showMessage(
            notice.title,
            notice.message,
            QSystemTrayIcon.MessageIcon.Warning
            if notice.warning
            else QSystemTrayIcon.MessageIcon.Information,
            NOTICE_MS,
        )
        self.notified.emit(notice)
        return notice

    def _schedule(self) -> None:
        due = self.notices.due_at()
        if due is None:
            return
        wait_ms = max(0, round((due - self.clock()) * 1000))
        if not self._timer.isActive() or self._timer.remainingTime() > wait_ms:
            self._timer.start(wait_ms)

    def _on_bridge_event_published(self, event: Event) -> None:
        if self.notices.feed(event, self.clock()) is not None:
            self._schedule()

    def _on_timer_timeout(self) -> None:
        self.notify_due()

    def _on_activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (
            QSystemTrayIcon.ActivationReason.Trigger,
            QSystemTrayIcon.ActivationReason.DoubleClick,
        ):
            self.show_window()

    def _on_message_clicked(self) -> None:
        self.window.show_page("outbox")
        self.show_window()


def make_tray(window: MainWindow, context: AppContext) -> TrayIcon | None:
    """A shown TrayIcon for `window`, or None where the platform has no system tray."""
    if not QSystemTrayIcon.isSystemTrayAvailable():
        logger.info("no system tray here: no tray icon or notifications")
        return None
    tray = TrayIcon(window, context)
    tray.show()
    return tray
