from collections.abc import Callable
from typing import Any

_Tag = tuple[str | None, str | None, str]

def fast_inline(
    markup: str, table: dict[str, _Tag], resolve: Callable[[str], _Tag | None]
) -> str | None: ...
def forget() -> None: ...
def render_blocks(
    blocks: list[Any],
    target: str,
    tables: dict[str, dict[str, _Tag]],
    resolve: Callable[[str], _Tag | None],
    declined: Callable[[str, Any], str],
    fallback: Callable[[object, Any], str],
) -> str: ...
