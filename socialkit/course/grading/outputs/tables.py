"""Every CSV table the grader writes or reads back, and the spreadsheet-safety rule, once.

A CSV file the instructor opens in a spreadsheet must never run anything: a cell that starts
with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read as a formula by Excel,
LibreOffice or Google Sheets (OWASP, "CSV Injection"), so such a cell is written with a
leading ``'`` (:func:`neutralise`), and :func:`plain_text` takes it off again when the grader
reads its own files back (``grades.csv``, ``manual.csv``, ``pseudonyms.csv``).

>>> neutralise("=1+1"), neutralise("\\tx"), neutralise("ok")
("'=1+1", "'\\tx", 'ok')
>>> plain_text("'=1+1"), plain_text("'\\rx"), plain_text("'quoted")
('=1+1', '\\rx', "'quoted")
>>> cell(2.50), cell(3), cell(None), cell("-x")
('2.5', '3', '', "'-x")
>>> csv_bytes(["student", "total"], [{"student": "@bob", "total": 1.0}])
b"student,total\\n'@bob,1\\n"
>>> delimiter_of("a;b;c"), delimiter_of("a\\tb"), delimiter_of("")
(';', '\\t', ',')
"""
from __future__ import annotations

import csv
import io

__all__ = ["FORMULA_START", "neutralise", "plain_text", "number", "cell", "csv_bytes", "rows_bytes",
           "row_bytes", "delimiter_of"]

#: what a spreadsheet reads as the start of a formula
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """A CSV cell a spreadsheet will show as text: ``'`` before a leading ``= + - @``, tab or CR."""
    return "'" + text if text.startswith(FORMULA_START) else text


def plain_text(text: str) -> str:
    """The value :func:`neutralise` wrote (``'=x`` back to ``=x``); any other text as it is."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_START) else text


def number(x) -> str:
    """A number as the grader's tables show it (``2.5``, ``14``), blank for none."""
    return "" if x is None else f"{x:g}"


def cell(value) -> str:
    """One value as a safe CSV cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, float)):
        return number(float(value)) if isinstance(value, float) else str(value)
    return neutralise(str(value))


def csv_bytes(header: list[str], rows: list[dict]) -> bytes:
    """A table of dicts (keys outside ``header`` ignored) as the grader's own CSV files are
    written: a header, ``\\n`` line ends, UTF-8."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, extrasaction="ignore", lineterminator="\n")
    writer.writerow({h: neutralise(h) for h in header})
    for row in rows:
        writer.writerow({k: cell(v) for k, v in row.items()})
    return buffer.getvalue().encode("utf-8", "backslashreplace")


def rows_bytes(rows: list[list], lineterminator: str = "\r\n", delimiter: str = ",", *,
               verbatim: int = 0) -> bytes:
    """A table of lists (its header the first) as CSV: RFC 4180 line ends by default, as a
    learning platform's import expects; a CR or LF inside a cell is quoted. The first
    ``verbatim`` cells of each row are written exactly as given: identity cells, which a
    platform matches exactly (the caller refuses one that starts a formula).

    >>> rows_bytes([["id", "x"], ["-7", "-7"]], "\\n", verbatim=1)
    b"id,x\\n-7,'-7\\n"
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=lineterminator)
    for row in rows:
        writer.writerow([str(v) for v in row[:verbatim]] + [cell(v) for v in row[verbatim:]])
    return buffer.getvalue().encode("utf-8")


def row_bytes(values: list, delimiter: str, lineterminator: str) -> bytes:
    """One more row for a file a spreadsheet saved, in that file's own dialect."""
    return rows_bytes([values], lineterminator, delimiter)


def delimiter_of(first_line: str) -> str:
    """The delimiter of a CSV file a spreadsheet saved (comma, semicolon or tab), from its header."""
    return max((",", ";", "\t"), key=first_line.count) if first_line else ","
