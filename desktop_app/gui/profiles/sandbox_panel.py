"""SandboxPanel: latency and fault controls of the built-in sandbox tenant, for demos and training."""

from __future__ import annotations

import asyncio
import functools
from typing import Any

import httpx
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop_app.gui.profiles.connection import FAIL_STYLE

CONTROL_TIMEOUT = httpx.Timeout(5.0)
ROUTES = ("tickets", "forms", "attachments", "any")
# Outbox events come in bursts; one refresh after the burst is enough.
REFRESH_DELAY_MS = 300


def describe_fault(fault: dict[str, Any]) -> str:
    """'503 ×2 on tickets', 'drop until cleared on any', 'slow 5000 ms ×1 on forms'."""
    kind = fault.get("kind")
    if kind == "status":
        what = str(fault.get("status") or 503)
        if fault.get("retry_after") is not None:
            what += f" (Retry-After {fault['retry_after']:g} s)"
    elif kind == "slow":
        what = f"slow {fault.get('delay_ms', 0)} ms"
    else:
        what = str(kind)
    count = fault.get("count", 1)
    times = "until cleared" if count == 0 else f"×{count}"
    return f"{what} {times} on {fault.get('route', 'tickets')}"


class SandboxPanel(QGroupBox):
    """Talks to the sandbox's own /_sandbox/ routes over HTTP (never to its Python objects)."""

    def __init__(
        self, http: httpx.AsyncClient, base_url: str, parent: QWidget | None = None
    ) -> None:
        super().__init__("Sandbox controls", parent)
        self.setAccessibleName("Sandbox controls")
        self._http = http
        self.base_url = base_url.rstrip("/")
        self.tasks: set[asyncio.Task[None]] = set()
        # Answers still on their way must not write into a deleted panel.
        self.destroyed.connect(functools.partial(_cancel_all, self.tasks))
        self.latency = _spin(self, "Latency", 0, 60_000, " ms")
        self.apply_latency_button = _button(
            self, "Apply latency", "Delay every answer of the sandbox by this much"
        )
        self.count = _spin(self, "Requests affected", 1, 1000, "")
        self.until_cleared = QCheckBox("Keep failing until cleared", self)
        self.until_cleared.setAccessibleName("Keep failing until cleared")
        self.retry_after = _spin(self, "Retry-After", 0, 3600, " s")
        self.retry_after.setSpecialValueText("none")
        self.slow_ms = _spin(self, "Slow answer delay", 0, 120_000, " ms")
        self.slow_ms.setValue(5000)
        self.route = QComboBox(self)
        self.route.addItems(ROUTES)
        self.route.setAccessibleName("Requests the fault applies to")
        self.fail_503_button = _button(
            self,
            "Fail with 503",
            "The next requests are answered 503 Service Unavailable (nothing is created)",
        )
        self.rate_limit_button = _button(
            self,
            "429 rate limited",
            "The next requests are answered 429 Too Many Requests (nothing is created)",
        )
        self.drop_button = _button(
            self,
            "Drop connection",
            "The ticket is created, then the connection drops mid-answer (outcome unknown)",
        )
        self.slow_button = _button(
            self, "Slow answer", "The ticket is created, then the answer waits the slow delay"
        )
        self.clear_button = _button(self, "Clear faults", "Remove every pending fault")
        self.refresh_button = _button(
            self, "Refresh", "Read the sandbox's faults and tickets again"
        )
        self.status_label = QLabel(self)
        self.status_label.setWordWrap(True)
        self.status_label.setAccessibleName("Sandbox status")
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(REFRESH_DELAY_MS)
        self._refresh_timer.timeout.connect(self.refresh)
        self._build()
        self.until_cleared.toggled.connect(self._on_until_cleared_toggled)
        self.apply_latency_button.clicked.connect(self.apply_latency)
        self.fail_503_button.clicked.connect(lambda: self.add_fault("status", status=503))
        self.rate_limit_button.clicked.connect(lambda: self.add_fault("status", status=429))
        self.drop_button.clicked.connect(lambda: self.add_fault("drop"))
        self.slow_button.clicked.connect(lambda: self.add_fault("slow"))
        self.clear_button.clicked.connect(self.clear_faults)
        self.refresh_button.clicked.connect(self.refresh)

    def _build(self) -> None:
        latency_row = QHBoxLayout()
        latency_row.addWidget(self.latency, 1)
        latency_row.addWidget(self.apply_latency_button)
        settings = QFormLayout()
        settings.addRow("Latency:", latency_row)
        settings.addRow("Requests affected:", self.count)
        settings.addRow("", self.until_cleared)
        settings.addRow("Retry-After:", self.retry_after)
        settings.addRow("Slow answer delay:", self.slow_ms)
        settings.addRow("Applies to:", self.route)
        buttons = QGridLayout()
        for position, button in enumerate(
            (
                self.fail_503_button,
                self.rate_limit_button,
                self.drop_button,
                self.slow_button,
                self.clear_button,
                self.refresh_button,
            )
        ):
            buttons.addWidget(button, position // 3, position % 3)
        layout = QVBoxLayout(self)
        layout.addLayout(settings)
        layout.addLayout(buttons)
        layout.addWidget(self.status_label)

    # -- actions (each returns its task, None without a running loop) ------------------------

    def refresh(self) -> asyncio.Task[None] | None:
        return self._start(self._call("GET", "/_sandbox"))

    def schedule_refresh(self) -> None:
        """Refresh shortly, once, when the panel is shown (outbox events call this)."""
        if self.isVisible():
            self._refresh_timer.start()

    def apply_latency(self) -> asyncio.Task[None] | None:
        return self._start(self._call("PUT", "/_sandbox/latency", {"ms": self.latency.value()}))

    def add_fault(self, kind: str, *, status: int | None = None) -> asyncio.Task[None] | None:
        fault: dict[str, Any] = {
            "kind": kind,
            "count": 0 if self.until_cleared.isChecked() else self.count.value(),
            "route": self.route.currentText(),
        }
        if status is not None:
            fault["status"] = status
            if self.retry_after.value() > 0:
                fault["retry_after"] = self.retry_after.value()
        if kind == "slow":
            fault["delay_ms"] = self.slow_ms.value()
        return self._start(self._call("POST", "/_sandbox/faults", fault))

    def clear_faults(self) -> asyncio.Task[None] | None:
        return self._start(self._call("DELETE", "/_sandbox/faults"))

    async def wait(self) -> None:
        """Until every started action has finished (tests)."""
        while self.tasks:
            await asyncio.gather(*list(self.tasks), return_exceptions=True)

    def status_text(self) -> str:
        return self.status_label.text()

    def _start(self, work: Any) -> asyncio.Task[None] | None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            work.close()
            return None
        # Not a "new cancels stale" slot: every fault asked for must reach the sandbox.
        task = loop.create_task(work, name="deskforms-sandbox-control")
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)
        return task

    async def _call(self, method: str, path: str, body: dict[str, Any] | None = None) -> None:
        try:
            answer = await self._http.request(
                method, self.base_url + path, json=body, timeout=CONTROL_TIMEOUT
            )
            if answer.status_code >= 400:
                self._fail(
                    f"The sandbox refused {method} {path} ({answer.status_code}): {answer.text[:200]}"
                )
                return
            summary = (
                answer
                if path == "/_sandbox"
                else await self._http.get(self.base_url + "/_sandbox", timeout=CONTROL_TIMEOUT)
            )
            self._show_summary(summary.json())
        except (httpx.HTTPError, ValueError) as error:
            self._fail(
                f"The sandbox did not answer ({type(error).__name__}: {error}); restart DeskForms if it stopped."
            )

    def _show_summary(self, data: dict[str, Any]) -> None:
        faults = data.get("faults") or []
        pending = "; ".join(describe_fault(fault) for fault in faults) if faults else "none"
        tickets = data.get("tickets", 0)
        latency = data.get("latency_ms", 0)
        if not self.latency.hasFocus():
            self.latency.setValue(int(latency))
        text = f"Pending faults: {pending}. Sandbox tickets: {tickets}. Latency: {latency} ms."
        self.status_label.setStyleSheet("")
        self.status_label.setText(text)
        self.status_label.setAccessibleDescription(text)

    def _fail(self, text: str) -> None:
        self.status_label.setStyleSheet(FAIL_STYLE)
        self.status_label.setText(text)
        self.status_label.setAccessibleDescription(text)

    def _on_until_cleared_toggled(self, checked: bool) -> None:
        self.count.setEnabled(not checked)


def _cancel_all(tasks: set[asyncio.Task[None]]) -> None:
    for task in list(tasks):
        task.cancel()


def _spin(parent: QWidget, name: str, low: int, high: int, suffix: str) -> QSpinBox:
    box = QSpinBox(parent)
    box.setRange(low, high)
    box.setSuffix(suffix)
    box.setAccessibleName(name)
    return box


def _button(parent: QWidget, text: str, tip: str) -> QPushButton:
    button = QPushButton(text, parent)
    button.setAccessibleName(text)
    button.setToolTip(tip)
    return button
