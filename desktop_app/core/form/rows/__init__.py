"""Many answers at once: read a CSV or JSON Lines file, map its columns, check every row.

`read_rows` (after `decode_rows_file` and `guess_format`) gives a RowsTable;
`suggest_mapping` proposes which column fills which field; `RowChecker` (or `check_rows`)
turns each row into the answers to queue or one-line reasons; `invalid_rows_csv` writes the
invalid rows back out to be fixed.
"""

from desktop_app.core.form.rows.cells import ATTACHMENTS_MESSAGE, CellError, fold, read_cell
from desktop_app.core.form.rows.checking import (
    RowChecker,
    RowResult,
    check_rows,
    invalid_rows_csv,
)
from desktop_app.core.form.rows.columns import (
    ColumnMapping,
    importable_fields,
    mapping_errors,
    mapping_notes,
    suggest_mapping,
)
from desktop_app.core.form.rows.reading import (
    RowsFileError,
    RowsFormat,
    RowsTable,
    SourceRow,
    decode_rows_file,
    guess_format,
    read_csv,
    read_jsonl,
    read_rows,
    sniff_delimiter,
)

__all__ = [
    "ATTACHMENTS_MESSAGE",
    "CellError",
    "ColumnMapping",
    "RowChecker",
    "RowResult",
    "RowsFileError",
    "RowsFormat",
    "RowsTable",
    "SourceRow",
    "check_rows",
    "decode_rows_file",
    "fold",
    "guess_format",
    "importable_fields",
    "invalid_rows_csv",
    "mapping_errors",
    "mapping_notes",
    "read_cell",
    "read_csv",
    "read_jsonl",
    "read_rows",
    "sniff_delimiter",
    "suggest_mapping",
]
