"""The capstone's plan as a report a manager can read: Markdown, a self-contained HTML page, a PDF.

    python -m socialkit.apps.report [FOLDER] [--out DIR] [--formats md,html,pdf]

* **Markdown** (:func:`to_markdown`): plain text that reads well anywhere, hours as a table.
* **HTML** (:func:`to_html`): one file with its style and figures inside (images as ``data:``
  URIs), so it can be mailed or opened offline; printable on A4.
* **PDF** (:func:`to_pdf`): the HTML page printed by a Chromium-family browser (Chromium, Google
  Chrome or Microsoft Edge) in headless mode, found by :func:`find_browser`. That engine was
  chosen by measurement (BENCHMARKS.md): it prints exactly the page the student previews, and a
  student who has Chrome or Edge installs nothing more. Without such a browser,
  :class:`PdfUnavailable` says what to do instead: open the HTML page in any browser and print
  it to PDF, which gives the same result.

A missing answer is shown as a gap to fill ("To fill in: ..."), never an error.
"""
from __future__ import annotations

import argparse
import base64
import html
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ..data import case
from ..data.files import write_atomic
from . import plan as plan_module
from .plan import Plan
from ..interactive.worksheet import EPHEMERAL_ENV

__all__ = ["to_markdown", "to_html", "to_pdf", "export", "find_browser", "PdfUnavailable",
           "BROWSER_ENV", "REPORT_STEM", "print_with_browser", "preview", "pdf_button", "sample_page", "SAMPLE_PAGE", "FORMATS"]

#: The exported files are ``my-strategy-plan.md``, ``.html`` and ``.pdf``.
REPORT_STEM = "my-strategy-plan"
FORMATS = ("md", "html", "pdf")
#: Set this to the path of a Chromium, Chrome or Edge executable to choose the PDF engine.
BROWSER_ENV = "SOCIALKIT_BROWSER"
FOOTER = ("Assembled with socialkit from the worksheets of *Customers, Not Channels*. For Cobble "
          "& Chain Cycles, a fictional business, the numbers come from the book's models: the "
          "channel shares are the case's assumptions and the posts are synthetic.")


class PdfUnavailable(RuntimeError):
    """No PDF engine on this computer; the message says what to do instead."""


def _check_plan(plan) -> Plan:
    if not isinstance(plan, Plan):
        raise TypeError("plan must be a Plan from socialkit.apps.plan.assemble(); got "
                        f"{type(plan).__name__}.")
    return plan


def _title(plan: Plan) -> str:
    return f"{plan.business}: our social media strategy on one page"


def _byline(plan: Plan) -> str:
    by = f" · {plan.prepared_by}" if plan.prepared_by else ""
    return f"{plan.prepared}{by}"


def _hours_rows(plan: Plan) -> list[tuple[str, str, str]]:
    shares = {c.key: c for c in case.CHANNELS}
    rows = []
    for key, hours in sorted(plan.hours.items(), key=lambda kv: -kv[1]):
        if plan.is_case and key in shares:
            rows.append((shares[key].name, f"{hours:g}", f"{shares[key].customer_share:.0%}"))
        else:
            rows.append((key, f"{hours:g}", ""))
    return rows


# --- Markdown ---------------------------------------------------------------------------------
def to_markdown(plan: Plan) -> str:
    """The plan as Markdown: headings, answers, gaps marked "To fill in", hours as a table."""
    plan = _check_plan(plan)
    out = [f"# {_title(plan)}", "", f"*{_byline(plan)}*", ""]
    out += [line for fact in plan.about for line in (fact, "")]
    for note in plan.notes:
        out += [f"> **Note.** {note}", ""]
    for section in plan.sections:
        out += [f"## {section.title}", ""]
        for entry in section.entries:
            text = f"*{entry.gap()}*" if entry.missing else entry.text.strip()
            out += [f"**{entry.label}.** {text}", ""]
        if section.key == "channels" and plan.hours:
            share = plan.is_case
            out += [f"Weekly hours, {plan.hours_source}:", "",
                    "| Channel | Hours a week |" + (" Customers there |" if share else ""),
                    "|---|---:|" + ("---:|" if share else "")]
            out += [f"| {name} | {hours} |" + (f" {pct} |" if share else "")
                    for name, hours, pct in _hours_rows(plan)]
            if plan.is_case:
                out += ["", f"An average hour of this plan is spent where "
                        f"{plan_module.customer_weighted_share(plan.hours):.0%} of the shop's "
                        "customers are."]
            out.append("")
        if section.key == "blindspots" and plan.audit:
            out += ["Self-audit scores (Chapter 7): "
                    + "; ".join(f"{k} {v:g}" for k, v in plan.audit.items()) + ".", ""]
        if section.evidence:
            out += ["Numbers behind it:", ""] + [f"- {line}" for line in section.evidence] + [""]
    if plan.gaps:
        out += [f"## Still to fill in ({len(plan.gaps)})", ""]
        out += [f"- {entry.gap().removeprefix('To fill in: ')}" for entry in plan.gaps] + [""]
    out += ["---", "", FOOTER]
    return "\n".join(out).rstrip("\n") + "\n"


# --- HTML -------------------------------------------------------------------------------------
_CSS = """
@page { size: A4; margin: 9mm 11mm; }
* { box-sizing: border-box; }
body { font-family: "Segoe UI", "Helvetica Neue", Arial, "DejaVu Sans", sans-serif; color: #1b1b1b;
  line-height: 1.4; font-size: 15px; max-width: 960px; margin: 1.5em auto; padding: 0 1em; }
header { border-bottom: 3px solid #0072B2; margin-bottom: 0.8em; }
h1 { font-size: 1.55em; margin: 0 0 0.15em 0; color: #0b3d6b; }
.byline { color: #555; margin: 0 0 0.5em 0; }
.about p { margin: 0.15em 0; }
.grid { display: grid; grid-template-columns: 1fr 1fr; gap: 0.7em 1.2em; }
section { break-inside: avoid; border-top: 1px solid #d0d7de; padding-top: 0.3em; }
section.wide { grid-column: 1 / -1; }
h2 { font-size: 1.08em; margin: 0.2em 0 0.3em 0; color: #0b3d6b; }
.entry { margin: 0.25em 0 0.45em 0; }
.label { font-weight: 600; }
.gap { border: 1px dashed #D55E00; background: #fff4ec; color: #7a2e00; padding: 0.15em 0.4em;
  border-radius: 3px; font-style: italic; }
.evidence { font-size: 0.9em; color: #333; background: #f2f7fb; border-left: 3px solid #56B4E9;
  padding: 0.25em 0.6em; margin: 0.3em 0; }
.evidence ul { margin: 0.1em 0 0.1em 1.1em; padding: 0; }
table { border-collapse: collapse; font-size: 0.92em; margin: 0.3em 0; }
th, td { border-bottom: 1px solid #d0d7de; padding: 0.1em 0.6em 0.1em 0; text-align: left; }
td.num, th.num { text-align: right; }
img { max-width: 100%; height: auto; }
.hours { display: grid; grid-template-columns: minmax(0, 480px) auto; gap: 0.4em 1.2em;
  align-items: center; justify-content: start; }
caption { text-align: left; font-weight: 600; }
.note { border-left: 4px solid #E69F00; background: #fff8e6; padding: 0.3em 0.6em; }
.todo { border: 1px dashed #D55E00; padding: 0.3em 0.8em; margin-top: 0.8em; }
footer { margin-top: 1em; font-size: 0.8em; color: #555; border-top: 1px solid #d0d7de; }
@media print { body { font-size: 8pt; margin: 0; max-width: none; padding: 0; line-height: 1.3; }
  .grid { display: block; column-count: 2; column-gap: 1.3em; }
  section { margin-bottom: 0.35em; break-inside: auto; } .entry, .evidence, h2, img { break-inside: avoid; }
  h2 { break-after: avoid; }
  h1 { font-size: 1.45em; } .hours { grid-template-columns: 1fr; } .hours img { max-width: 300px; }
  .entry { margin: 0.15em 0 0.3em 0; } img.audit { max-width: 250px; }
  .evidence { padding: 0.15em 0.5em; } footer { margin-top: 0.3em; } }
@media (max-width: 700px) { .grid, .hours { grid-template-columns: 1fr; } }
"""


def _paragraphs(text: str) -> str:
    blocks = [b.strip() for b in text.strip().split("\n\n") if b.strip()]
    return "".join("<p style='margin:0.1em 0'>" + html.escape(b).replace("\n", "<br>") + "</p>"
                   for b in blocks)


def _figures():
    from ..figures import plan as plan_figures  # matplotlib: only when there is a figure to draw

    return plan_figures


def _img(png_alt, cls: str = "") -> str:
    if not png_alt:
        return ""
    png, alt = png_alt
    data = base64.b64encode(png).decode("ascii")
    return (f'<img class="{cls}" src="data:image/png;base64,{data}" '
            f'alt="{html.escape(alt, quote=True)}">')


def to_html(plan: Plan) -> str:
    """The plan as one self-contained HTML page (style and figures inside, no outside file)."""
    plan = _check_plan(plan)
    e = html.escape
    parts = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             f"<title>{e(_title(plan))}</title><style>{_CSS}</style></head><body>",
             f"<header><h1>{e(_title(plan))}</h1><p class='byline'>{e(_byline(plan))}</p>"]
    if plan.about:
        parts.append("<div class='about'>" + "".join(f"<p>{e(a)}</p>" for a in plan.about)
                     + "</div>")
    parts.append("</header>")
    parts += [f"<p class='note' role='note'><strong>Note.</strong> {e(n)}</p>" for n in plan.notes]
    parts.append("<main class='grid'>")
    wide = {"channels", "facts"}
    for section in plan.sections:
        cls = " class='wide'" if section.key in wide else ""
        parts.append(f"<section{cls}><h2>{e(section.title)}</h2>")
        for entry in section.entries:
            body = (f"<span class='gap'>{e(entry.gap())}</span>" if entry.missing
                    else _paragraphs(entry.text))
            parts.append(f"<div class='entry'><span class='label'>{e(entry.label)}.</span> "
                         f"{body}</div>")
        if section.key == "channels" and plan.hours:
            budget = case.WEEKLY_SOCIAL_HOURS if plan.is_case else None
            figure = _img(_figures().hours_png(plan.hours, is_case=plan.is_case,
                                                 budget=budget))
            head = "<tr><th>Channel</th><th class='num'>Hours a week</th>" + (
                "<th class='num'>Customers there</th>" if plan.is_case else "") + "</tr>"
            rows = "".join(f"<tr><td>{e(n)}</td><td class='num'>{h}</td>"
                           + (f"<td class='num'>{p}</td>" if plan.is_case else "") + "</tr>"
                           for n, h, p in _hours_rows(plan))
            parts.append(f"<div class='hours'><div class='figure'>{figure}</div>"
                         f"<table><caption>Weekly hours, {e(plan.hours_source)}</caption>"
                         f"{head}{rows}</table></div>")
            if plan.is_case:
                share = plan_module.customer_weighted_share(plan.hours)
                parts.append(f"<p>An average hour of this plan is spent where {share:.0%} of "
                             "the shop's customers are.</p>")
        if section.key == "blindspots" and plan.audit:
            parts.append(_img(_figures().audit_png(plan.audit), "audit"))
        if section.evidence:
            parts.append("<div class='evidence'><strong>Numbers behind it</strong><ul>"
                         + "".join(f"<li>{e(x)}</li>" for x in section.evidence) + "</ul></div>")
        parts.append("</section>")
    parts.append("</main>")
    if plan.gaps:
        parts.append(f"<div class='todo'><h2>Still to fill in ({len(plan.gaps)})</h2><ul>"
                     + "".join(f"<li>{e(g.gap().removeprefix('To fill in: '))}</li>"
                               for g in plan.gaps) + "</ul></div>")
    footer = e(FOOTER).replace("*Customers, Not Channels*", "<em>Customers, Not Channels</em>")
    parts.append(f"<footer><p>{footer}</p></footer></body></html>")
    return "\n".join(parts) + "\n"


# --- PDF --------------------------------------------------------------------------------------
_BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable",
                  "microsoft-edge", "microsoft-edge-stable", "msedge", "chrome")
_BROWSER_PATHS = (
    "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome",
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
    "/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge",
    "/Applications/Chromium.app/Contents/MacOS/Chromium",
    r"C:\Program Files\Google\Chrome\Application\chrome.exe",
    r"C:\Program Files (x86)\Google\Chrome\Application\chrome.exe",
    r"C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe",
    r"C:\Program Files\Microsoft\Edge\Application\msedge.exe",
)


def find_browser() -> str | None:
    """A Chromium-family browser to print with: ``$SOCIALKIT_BROWSER`` if set, else the first
    of Chromium, Chrome or Edge found on the PATH or in its usual place; None if there is none."""
    chosen = os.environ.get(BROWSER_ENV)
    if chosen:
        return chosen if Path(chosen).is_file() else None
    for name in _BROWSER_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return next((p for p in _BROWSER_PATHS if Path(p).is_file()), None)


def _no_engine_message(html_path: Path | None) -> str:
    where = f"the HTML page ({html_path.name})" if html_path else "the HTML export"
    return ("No PDF engine here: printing to PDF needs Chromium, Google Chrome or Microsoft "
            f"Edge, and none was found on this computer. The same PDF is two clicks away: open "
            f"{where} in any web browser and choose Print, then Save as PDF (A4, background "
            f"graphics on). If a Chromium-family browser is installed somewhere unusual, set "
            f"the environment variable {BROWSER_ENV} to its path.")


def print_with_browser(browser: str, html_path: Path, pdf_path: Path, timeout: float,
                       extra_args: tuple[str, ...] = ()) -> None:
    """Print ``html_path`` to ``pdf_path`` with a headless Chromium-family ``browser``
    (``extra_args`` are added to its command line); one retry if the browser fails to start."""
    with tempfile.TemporaryDirectory(prefix="socialkit-pdf-") as profile:
        cmd = [browser, "--headless", "--disable-gpu", "--no-sandbox", "--no-first-run",
               "--disable-background-networking", "--disable-extensions",
               f"--user-data-dir={profile}", "--no-pdf-header-footer",
               "--run-all-compositor-stages-before-draw", *extra_args,
               f"--print-to-pdf={pdf_path}", html_path.resolve().as_uri()]
        for attempt in (1, 2):  # a browser that fails to start once is tried again
            try:
                run = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
            except subprocess.TimeoutExpired:
                if attempt == 2:
                    raise RuntimeError(f"The browser took more than {timeout:g} s to print "
                                       f"{html_path.name}; try again, or print the HTML page.") from None
                continue
            if pdf_path.is_file() and pdf_path.stat().st_size > 0:
                return
        raise RuntimeError(f"The browser ({browser}) did not write the PDF: "
                           f"{(run.stderr or run.stdout).strip()[-400:]}")


def to_pdf(plan: Plan, path, *, html_path=None, browser: str | None = None,
           timeout: float = 60.0) -> Path:
    """Print the plan's HTML page to a PDF at ``path`` with a headless Chromium-family browser.

    ``html_path``: an already written HTML export to print (else a temporary one is written).
    Raises :class:`PdfUnavailable`, saying what to do instead, if no browser is found.
    """
    plan = _check_plan(plan)
    path = Path(path)
    if not path.parent.is_dir():
        raise ValueError(f"path must be in an existing folder; {path.parent} is not.")
    browser = browser or find_browser()
    if not browser:
        raise PdfUnavailable(_no_engine_message(Path(html_path) if html_path else None))
    with tempfile.TemporaryDirectory(prefix="socialkit-report-") as tmp:
        source = Path(html_path) if html_path else Path(tmp) / f"{REPORT_STEM}.html"
        if not html_path:
            source.write_text(to_html(plan), encoding="utf-8")
        target = Path(tmp) / "out.pdf"
        print_with_browser(browser, source, target, timeout)
        os.replace(target, path) if _same_device(target, path) else shutil.move(target, path)
    return path


def _same_device(a: Path, b: Path) -> bool:
    try:
        return os.stat(a.parent).st_dev == os.stat(b.parent).st_dev
    except OSError:
        return False


# --- all three --------------------------------------------------------------------------------
def export(plan: Plan, folder=None, *, formats=FORMATS, stem: str = REPORT_STEM) -> dict:
    """Write the plan as ``<stem>.md``, ``.html`` and ``.pdf`` in ``folder`` (default: the
    current folder; a temporary one while the book is built). Returns ``{format: path}``; a
    format that could not be written maps to the reason instead (e.g. no PDF engine)."""
    plan = _check_plan(plan)
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise ValueError(f"formats must be some of {', '.join(FORMATS)}; got {formats!r}.")
    if folder is None:
        folder = tempfile.mkdtemp(prefix="socialkit-plan-") if os.environ.get(EPHEMERAL_ENV) \
            else Path.cwd()
    folder = Path(folder)
    if not folder.is_dir():
        raise ValueError(f"folder must be an existing folder; {folder} is not.")
    results: dict[str, Path | str] = {}
    html_path = folder / f"{stem}.html"
    if "md" in formats:
        write_atomic(folder / f"{stem}.md", to_markdown(plan))
        results["md"] = folder / f"{stem}.md"
    if "html" in formats or "pdf" in formats:
        write_atomic(html_path, to_html(plan))
        if "html" in formats:
            results["html"] = html_path
    if "pdf" in formats:
        try:
            results["pdf"] = to_pdf(plan, folder / f"{stem}.pdf", html_path=html_path)
        except (PdfUnavailable, RuntimeError) as err:
            results["pdf"] = str(err)
        if "html" not in formats:
            html_path.unlink(missing_ok=True)
    return {k: (Path(v) if isinstance(v, Path) else v) for k, v in results.items()}


def _scoped_css(css: str, scope: str) -> str:
    """The page's screen style with every rule confined to ``scope`` (print and @page rules dropped).

    The scope is written twice (``.sk-plan.sk-plan h1``) so that it outranks the book theme's
    light and dark rules for the same elements: the preview reads like a sheet of paper in both.
    """
    rules = []
    for chunk in re.sub(r"@(page|media)[^{]*\{(?:[^{}]*\{[^{}]*\})*[^{}]*\}", "", css).split("}"):
        if "{" not in chunk:
            continue
        selectors, body = chunk.split("{", 1)
        scoped = []
        for selector in selectors.split(","):
            selector = selector.strip()
            scoped.append(scope if selector == "body" else f"{scope} {selector}")
        rules.append(f"{', '.join(scoped)} {{{body}}}")
    return "\n".join(rules)


def preview(plan: Plan):
    """The plan's HTML page, shown inside the notebook (an IPython HTML object)."""
    from IPython.display import HTML

    page = to_html(_check_plan(plan))
    body = page[page.index("<body>") + 6:page.index("</body>")]
    # Confine the page's style to the preview box, so the notebook's own style is untouched.
    scope = ".sk-plan.sk-plan"
    style = _scoped_css(_CSS, scope) + f"\n{scope} {{ background: #ffffff; margin: 0; }}"
    return HTML(f"<div class='sk-plan' style='border:1px solid #d0d7de;padding:0.6em 1em'>"
                f"<style>{style}</style>{body}</div>")


SAMPLE_PAGE = Path("book") / "sample-plan.md"


def sample_page() -> str:
    """The book's page ``book/sample-plan.md``: the sample plan, with a word on what it is."""
    body = to_markdown(plan_module.sample_plan())
    body = "\n".join("#" + line if line.startswith("#") else line for line in body.splitlines())
    return "\n".join([
        "# A sample plan",
        "",
        "<!-- Generated by `python -m socialkit.apps.report --sample` from "
        "the team's answers in socialkit/data/case.py (SAMPLE_PLAN_ANSWERS); edit them there, "
        "not this page. -->",
        "",
        "```{admonition} One good answer, not the only one",
        ":class: tip",
        "This is what the capstone's export looks like when every worksheet is filled in, here "
        "for Cobble & Chain Cycles with one sample set of answers. The numbers under *Numbers "
        "behind it* come from the book's models. The [rubric](rubrics/08-capstone.md) explains "
        "what makes a plan strong; yours will differ, and should.",
        "```",
        "",
        body,
    ]).rstrip("\n") + "\n"


def pdf_button(plan: Plan, folder=None):
    """A button that prints the plan to ``my-strategy-plan.pdf`` (a few seconds) when clicked."""
    import ipywidgets as widgets

    plan = _check_plan(plan)
    button = widgets.Button(description="Export the PDF", icon="file-pdf-o",
                            tooltip=f"Write {REPORT_STEM}.pdf beside this notebook")
    status = widgets.HTML()

    def on_click(_):
        status.value = "Printing the plan to PDF..."
        result = export(plan, folder, formats=("pdf",))["pdf"]
        status.value = html.escape(f"Written: {result.name}, next to this notebook." if
                                   isinstance(result, Path) else f"No PDF: {result}")

    button.on_click(on_click)
    note = widgets.HTML("<p class='sk-ws-static'>On the book's website no Python runs, so this "
                        "button does nothing here.</p>")
    return widgets.VBox([button, status, note])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m socialkit.apps.report",
                                     description="Export the capstone plan from the worksheets "
                                                 "in FOLDER as Markdown, HTML and PDF.")
    parser.add_argument("folder", nargs="?", default=".", type=Path,
                        help="folder with the worksheets (default: the current folder)")
    parser.add_argument("--out", type=Path, default=None, help="where to write (default: FOLDER)")
    parser.add_argument("--formats", default=",".join(FORMATS),
                        help="comma-separated, some of md,html,pdf (default: all)")
    parser.add_argument("--sample", action="store_true",
                        help=f"write the book's sample plan page, {SAMPLE_PAGE}, and stop")
    args = parser.parse_args(argv)
    if args.sample:
        from ..data.paths import REPO
        write_atomic(REPO / SAMPLE_PAGE, sample_page())
        print(f"Wrote {SAMPLE_PAGE}.")
        return 0
    try:
        plan = plan_module.assemble(args.folder)
        start = time.perf_counter()
        results = export(plan, args.out or args.folder,
                         formats=tuple(f.strip() for f in args.formats.split(",") if f.strip()))
    except (ValueError, TypeError) as err:
        print(err, file=sys.stderr)
        return 2
    print(plan.summary())
    for fmt, result in results.items():
        print(f"{fmt}: {result}")
    print(f"Exported in {time.perf_counter() - start:.1f} s.")
    return 0 if all(isinstance(r, Path) for r in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
