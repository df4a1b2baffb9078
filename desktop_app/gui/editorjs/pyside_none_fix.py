"""Keeps PySide6 6.12.0 on Python 3.11 from freeing None: its void methods drop a reference to it."""

from __future__ import annotations

import ctypes
import sys

from PySide6.QtCore import QPoint

# PySide6 6.12.0 (abi3 wheels) returns None from every void method without a new reference, so
# each call such as QLabel.setText() takes one reference from None. Python 3.12+ makes None
# immortal; on 3.11 a few thousand calls free it and the interpreter aborts ("none_dealloc").
# PySide6 6.11.3 does not have the bug; pinning it is the real fix, this keeps 6.12.0 usable.
_RESERVE = 1 << 40  # references: more than any process makes void calls in its lifetime
_PROBE_CALLS = 64

_applied = False


def _void_calls_drop_none() -> bool:
    point = QPoint()
    before = sys.getrefcount(None)
    for _ in range(_PROBE_CALLS):
        point.setX(0)
    return before - sys.getrefcount(None) >= _PROBE_CALLS // 2


def keep_none_alive() -> bool:
    """Give None a reserve of references when this PySide6 drops them; True if it did."""
    global _applied
    if _applied or sys.version_info >= (3, 12) or hasattr(sys, "gettotalrefcount"):
        # None is immortal from 3.12 on; debug builds lay objects out differently.
        return _applied
    if not _void_calls_drop_none():
        return False
    # ob_refcnt is the first field of every object in release builds of CPython 3.11.
    refcount = ctypes.c_ssize_t.from_address(id(None))
    refcount.value += _RESERVE
    _applied = True
    return True
