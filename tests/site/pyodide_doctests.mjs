// Runs socialkit's doctests inside Pyodide (Python 3.12, WebAssembly) under Node, with the
// packages of the built in-browser site: node pyodide_doctests.mjs <site>/lite/static/pyodide
// Prints one JSON line: {"python": ..., "modules": {module: [failed, attempted]}, "errors": {module:
// traceback of its import}, "reports": {module: doctest report of the failures}}.
import { loadPyodide } from "pyodide";
import path from "node:path";

const indexURL = path.resolve(process.argv[2]) + "/";
const modules = process.argv.slice(3);
const pyodide = await loadPyodide({ indexURL, lockFileURL: indexURL + "pyodide-lock.json",
                                    stdout: () => {}, stderr: () => {} });
await pyodide.loadPackage(["socialkit"], { messageCallback: () => {} });
pyodide.globals.set("MODULES", pyodide.toPy(modules));
const result = pyodide.runPython(`
import contextlib, doctest, importlib, io, json, sys, traceback
import matplotlib
matplotlib.use("agg")
out = {"python": sys.version.split()[0], "modules": {}, "errors": {}, "reports": {}}
for name in MODULES:
    try:
        module = importlib.import_module(name)
        report = io.StringIO()
        with contextlib.redirect_stdout(report):
            failed, attempted = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
        out["modules"][name] = [failed, attempted]
        if failed:
            out["reports"][name] = report.getvalue()[-3000:]
    except Exception:
        out["errors"][name] = traceback.format_exc()[-1500:]
json.dumps(out)
`);
console.log(result);
