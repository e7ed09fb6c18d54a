"""A small Sphinx extension that keeps the book's pages free of scripts they do not use.

Jupyter Book 1 always loads sphinx-thebe (live code cells through a remote kernel). The book
does not use it — its launch buttons open Binder, Colab or a JupyterHub instead — and its
set-up script names a CDN and, on some builds, is added twice, which makes the browser log
"Identifier 'THEBE_JS_URL' has already been declared". This extension drops those scripts
from every page and removes any script that is listed twice.

It also adds ``_assets/js/a11y.js`` to every page: small repairs to the theme's and the
widgets' markup that axe-core finds serious (unnamed slider handles and toggles, accessible
names that differ from the visible text). The script says which rule each repair satisfies.
"""
from __future__ import annotations


def _is_thebe(script) -> bool:
    filename = str(script) if not hasattr(script, "filename") else (script.filename or "")
    body = getattr(script, "attributes", {}).get("body", "") if hasattr(script, "attributes") else ""
    return "sphinx-thebe.js" in filename or "thebe" in filename.lower() or "THEBE_JS_URL" in body


def _clean_scripts(app, pagename, templatename, context, doctree) -> None:
    scripts = context.get("script_files")
    if not scripts:
        return
    kept, seen = [], set()
    for script in scripts:
        key = (getattr(script, "filename", str(script)),
               getattr(script, "attributes", {}).get("body") if hasattr(script, "attributes") else None)
        if _is_thebe(script) or key in seen:
            continue
        seen.add(key)
        kept.append(script)
    context["script_files"] = kept
    context["css_files"] = [css for css in context.get("css_files", [])
                            if "sphinx-thebe" not in str(getattr(css, "filename", css))]


def setup(app):
    app.setup_extension("socialkit.site.lightweight")  # a light first visit (issue 22)
    # Served from html_static_path (_assets/ -> _static/); deferred, so it runs on a parsed page.
    app.add_js_file("js/a11y.js", loading_method="defer")
    # After the themes have added their scripts, before the page is written.
    app.connect("html-page-context", _clean_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
