"""The message bar: one non-modal place for expected errors and notices, queued until it exists."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication, QEvent
from pytestqt.qtbot import QtBot

from desktop_app.gui import messages as messages_module
from desktop_app.gui.messages import MAX_SHOWN, Level, MessageBar, MessageChannel


@pytest.fixture
def bar(qtbot: QtBot) -> MessageBar:
    widget = MessageBar()
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_errors_stay_until_dismissed(qtbot: QtBot, bar: MessageBar) -> None:
    assert not bar.isVisible() or bar.messages() == []
    bar.show_error("The tenant refused the form; check the profile.")
    assert bar.isVisible()
    [message] = bar.messages()
    assert message.level is Level.ERROR
    row = bar.findChildren(messages_module.MessageRow)[0]
    assert row.accessibleName() == "Error"
    row.close_button.click()
    assert bar.messages() == []
    assert not bar.isVisible()


def test_repeats_are_counted_and_old_messages_give_way(bar: MessageBar) -> None:
    bar.show_error("same")
    bar.show_error("same")
    assert len(bar.messages()) == 1
    row = bar.findChildren(messages_module.MessageRow)[0]
    assert row.label.text() == "same (×2)"
    for number in range(MAX_SHOWN + 2):
        bar.show_error(f"error {number}")
    texts = [m.text for m in bar.messages()]
    assert len(texts) == MAX_SHOWN
    assert texts[-1] == f"error {MAX_SHOWN + 1}"
    assert "same" not in texts


def test_notices_go_by_themselves(
    qtbot: QtBot, bar: MessageBar, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(messages_module, "INFO_TIMEOUT_MS", 20)
    bar.show_info("Ticket queued.")
    assert [m.level for m in bar.messages()] == [Level.INFO]
    qtbot.waitUntil(lambda: bar.messages() == [], timeout=1000)
    assert not bar.isVisible()


def test_the_channel_queues_until_a_bar_attaches_and_detaches_when_it_goes(qtbot: QtBot) -> None:
    channel = MessageChannel()
    channel.error("early error")
    channel.info("early notice")
    assert [m.text for m in channel.pending] == ["early error", "early notice"]
    bar = MessageBar()
    channel.attach(bar)
    assert [(m.level, m.text) for m in bar.messages()] == [
        (Level.ERROR, "early error"),
        (Level.INFO, "early notice"),
    ]
    channel.error("later")
    assert bar.messages()[-1].text == "later"
    bar.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    channel.error("after the window")
    assert [m.text for m in channel.pending] == ["after the window"]
