"""``socialkit-grade serve OUT``: the by-question pages served on this computer only, so the
desk's "Save to manual.csv" writes straight into ``OUT/by-question/manual.csv``.

The pages work from disk without it (their "Download manual.csv" button); serving them saves the
step of moving the downloaded file. The server listens on 127.0.0.1 only, serves the files of the
``by-question`` folder and accepts one kind of write: ``PUT /manual.csv`` with the whole table,
which must be UTF-8 CSV with the columns the grader reads (``student``, ``question``, ``points``).
It is written atomically (the old file is kept as ``manual.csv.bak``); run socialkit-grade again
to merge it. A write from another site's page is refused: the request must name this server as
its host and, when the browser sends one, as its origin.
"""
from __future__ import annotations

import argparse
import csv
import functools
import io
import sys
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from ...intake.store import atomic_write_bytes
from ..tables import delimiter_of

__all__ = ["make_server", "check_sheet", "main", "MAX_BYTES"]

#: the largest manual.csv accepted (a class of 1,000 with long comments is well under 1 MB)
MAX_BYTES = 5_000_000
_NEEDED = ("student", "question", "points")


def check_sheet(data: bytes) -> str | None:
    """What is wrong with ``data`` as a manual.csv, or None when the grader can read it."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return "manual.csv must be UTF-8 text."
    first = text.split("\n", 1)[0]
    try:
        header = [h.strip().lower() for h in next(csv.reader(io.StringIO(first), delimiter=delimiter_of(first)), [])]
        list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error as error:
        return f"manual.csv is not readable CSV ({error})."
    missing = [c for c in _NEEDED if c not in header]
    return f"manual.csv lacks the column(s) {', '.join(missing)}." if missing else None


class _Handler(SimpleHTTPRequestHandler):
    def _reply(self, code: int, message: str) -> None:
        body = message.encode()
        self.send_response(code)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_PUT(self):  # noqa: N802 - the name http.server calls
        host, port = self.server.server_address[:2]
        ours = {f"{host}:{port}", f"localhost:{port}"}
        origin = self.headers.get("Origin")
        if self.headers.get("Host") not in ours or (origin and origin.removeprefix("http://") not in ours):
            return self._reply(403, "Only the desk's own pages may save manual.csv.")
        if self.path.split("?", 1)[0] != "/manual.csv":
            return self._reply(404, "Only manual.csv can be saved.")
        length = int(self.headers.get("Content-Length") or 0)
        if not 0 < length <= MAX_BYTES:
            return self._reply(413, f"manual.csv must be 1 to {MAX_BYTES:,} bytes.")
        data = self.rfile.read(length)
        problem = check_sheet(data)
        if problem:
            return self._reply(400, problem)
        target = Path(self.directory) / "manual.csv"
        if target.exists():
            atomic_write_bytes(target.with_name("manual.csv.bak"), target.read_bytes())
        atomic_write_bytes(target, data)
        self._reply(200, "Saved.")

    def log_message(self, format, *args):  # noqa: A002 - quiet: the terminal shows the address only
        pass


def make_server(folder: Path, port: int = 0) -> ThreadingHTTPServer:
    """A server of ``folder`` (a ``by-question`` folder) on 127.0.0.1 (``port`` 0: a free one)."""
    handler = functools.partial(_Handler, directory=str(folder))
    return ThreadingHTTPServer(("127.0.0.1", port), handler)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="socialkit-grade serve",
                                description="Serve a graded class's by-question pages on this computer, "
                                            "so the grading desk saves manual.csv straight into the folder.")
    p.add_argument("out", metavar="OUT", type=Path,
                   help="the grade folder socialkit-grade wrote (or its by-question folder)")
    p.add_argument("--port", type=int, default=8765, help="port on 127.0.0.1 (default 8765; 0: any free one)")
    args = p.parse_args(argv)
    folder = args.out.expanduser()
    folder = folder if folder.name == "by-question" else folder / "by-question"
    if not folder.is_dir():
        p.error(f"OUT {args.out} has no by-question folder: grade the class first (socialkit-grade "
                "ASSIGNMENT SUBMISSIONS --out OUT).")
    if not 0 <= args.port <= 65535:
        p.error(f"--port must be from 0 to 65535; got {args.port}.")
    server = make_server(folder, args.port)
    pages = sorted(folder.glob("*.html"))
    port = server.server_address[1]
    print("The grading desk is at " + ", ".join(f"http://127.0.0.1:{port}/{page.name}" for page in pages)
          + "\nSave there writes manual.csv into this folder; then run socialkit-grade again to "
            "merge it. Ctrl-C stops the server.", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
