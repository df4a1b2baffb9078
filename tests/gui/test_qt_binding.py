"""The installed Qt binding keeps Python's reference counts right across signal emits."""

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    fired = Signal()
    carried = Signal(object)


def test_emitting_signals_does_not_leak_or_drop_references(qapp: object) -> None:
    # PySide6 6.12.0 dropped a reference to True on every emit until the interpreter aborted
    # (pyproject caps the version); this catches a binding with that bug again.
    emitter = _Emitter()
    received: list[object] = []
    emitter.fired.connect(lambda: received.append(1))
    emitter.carried.connect(received.append)
    before_true, before_none = sys.getrefcount(True), sys.getrefcount(None)
    for _ in range(500):
        emitter.fired.emit()
        emitter.carried.emit(None)
    received.clear()
    assert abs(sys.getrefcount(True) - before_true) < 50
    assert abs(sys.getrefcount(None) - before_none) < 50
