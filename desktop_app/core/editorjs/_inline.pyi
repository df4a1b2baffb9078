from collections.abc import Callable

_Tag = tuple[str | None, str | None, str]

def fast_inline(
    markup: str, table: dict[str, _Tag], resolve: Callable[[str], _Tag | None]
) -> str | None: ...
def forget() -> None: ...
