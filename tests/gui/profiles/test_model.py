"""The profile list model: passes the model tester and follows the store's ProfileChanged events."""

# pytest-qt's QtBot and ModelTester methods carry no annotations.
# mypy: disable-error-code="no-untyped-call"

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from desktop_app.gui.bridge import EventsBridge
from desktop_app.gui.profiles.model import NameRole, ProfileListModel, RecordRole
from desktop_app.store import DeliverySettings, Store
from tests.gui.profiles.conftest import acme


def texts(model: ProfileListModel) -> list[str]:
    return [model.data(model.index(row)) for row in range(model.rowCount())]


def test_the_model_passes_the_tester_while_the_store_changes(
    qtbot: QtBot, qtmodeltester: ModelTester, store: Store
) -> None:
    store.save_profile(acme(name="zeta"))
    bridge = EventsBridge(store.events)
    model = ProfileListModel(store, bridge, active="sandbox")
    qtmodeltester.check(model)  # stays attached: every change below is checked too
    assert model.names() == ["sandbox", "zeta"]

    with qtbot.waitSignal(model.rowsInserted):
        store.save_profile(acme(name="Beta"))
    with qtbot.waitSignal(model.rowsInserted):
        store.save_profile(acme(name="alpha"))
    assert model.names() == ["alpha", "Beta", "sandbox", "zeta"]  # as the store sorts them
    assert model.names() == [record.name for record in store.profiles()]

    with qtbot.waitSignal(model.dataChanged):
        store.save_profile(
            acme(name="Beta", tenant="beta"), settings=DeliverySettings(concurrency=2)
        )
    record = model.data(model.index(1), RecordRole)
    assert record.profile.tenant == "beta" and record.settings.concurrency == 2

    with qtbot.waitSignal(model.rowsRemoved):
        store.delete_profile("alpha")
    assert model.names() == ["Beta", "sandbox", "zeta"]
    bridge.detach()


def test_rows_say_built_in_in_use_and_paused(qtbot: QtBot, store: Store) -> None:
    store.save_profile(acme())
    bridge = EventsBridge(store.events)
    model = ProfileListModel(store, bridge, active="Acme")
    assert texts(model) == ["Acme (in use)", "sandbox (built-in)"]

    store.pause_profile("Acme", "DeskHero answered 403 Forbidden")
    assert texts(model) == ["Acme (in use, paused)", "sandbox (built-in)"]
    tip = model.data(model.index(0), Qt.ItemDataRole.ToolTipRole)
    assert tip == "https://help.acme.example/api/acme/v1/\nPaused: DeskHero answered 403 Forbidden"

    with qtbot.waitSignal(model.dataChanged):
        model.set_active("sandbox")
    assert texts(model) == ["Acme (paused)", "sandbox (built-in, in use)"]
    assert model.data(model.index(1), NameRole) == "sandbox"
    assert model.data(model.index(1), Qt.ItemDataRole.AccessibleTextRole) == texts(model)[1]
    bridge.detach()
