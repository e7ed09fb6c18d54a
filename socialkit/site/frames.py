"""Slider frames out of the page: each one an image file, the hidden ones loaded when shown.

An explorer stores every frame in the page's widget state as a ``data:`` URI (so the notebook
stays one self-contained file in JupyterLab). On the static site that makes a reader download
every position of every slider before the first one is drawn. After the build,
:func:`externalise_site` rewrites each page's widget state: every frame becomes a file under
``_images/frames/`` (named by its content's hash, so a frame two pages share is stored once),
the frame a slider shows first loads with the page, and the frames behind it carry
``loading="lazy"`` and are fetched when the reader moves the slider there. The sliders stay live
offline, from a local server or straight from disk.
"""
from __future__ import annotations

import base64
import hashlib
import json
import os
import re
from pathlib import Path

FRAMES_FOLDER = "_images/frames"
STATE_SCRIPT = re.compile(
    r'(<script type="application/vnd.jupyter.widget-state\+json">)(.*?)(</script>)', re.S)
FRAME_IMG = re.compile(r'<img src="data:image/(png|webp);base64,([A-Za-z0-9+/=]+)"')
MODEL_REF = "IPY_MODEL_"


def hidden_models(models: dict) -> set[str]:
    """Ids of the models a page does not show at first: every child of a Stack but its
    selected one, and everything inside those.

    >>> models = {"s": {"model_name": "StackModel", "state": {"selected_index": 1,
    ...           "children": ["IPY_MODEL_a", "IPY_MODEL_b"]}},
    ...           "a": {"model_name": "HTMLModel", "state": {}}, "b": {"model_name": "HTMLModel", "state": {}}}
    >>> sorted(hidden_models(models))
    ['a']
    """
    def children(model_id):
        kids = models.get(model_id, {}).get("state", {}).get("children") or []
        return [kid[len(MODEL_REF):] for kid in kids if isinstance(kid, str) and kid.startswith(MODEL_REF)]

    hidden: set[str] = set()
    for model in models.values():
        if model.get("model_name") != "StackModel":
            continue
        selected = model["state"].get("selected_index")
        kids = [kid for kid in model["state"].get("children") or []]
        for number, kid in enumerate(kids):
            if number != selected and isinstance(kid, str) and kid.startswith(MODEL_REF):
                todo = [kid[len(MODEL_REF):]]
                while todo:
                    current = todo.pop()
                    if current not in hidden:
                        hidden.add(current)
                        todo.extend(children(current))
    return hidden


def externalise_page(page: Path, site: Path) -> int:
    """Move the frames of one built page into files; return how many were moved."""
    text = page.read_text(encoding="utf-8")
    match = STATE_SCRIPT.search(text)
    if not match or "data:image/" not in match.group(2):
        return 0
    state = json.loads(match.group(2))
    models = state.get("state", {})
    hidden = hidden_models(models)
    folder = site / FRAMES_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    prefix = Path(os.path.relpath(folder, page.parent)).as_posix()
    moved = 0
    for model_id, model in models.items():
        value = model.get("state", {}).get("value")
        if model.get("model_name") != "HTMLModel" or not isinstance(value, str):
            continue

        def to_file(found, lazy=model_id in hidden):
            nonlocal moved
            data = base64.b64decode(found.group(2))
            name = f"{hashlib.sha256(data).hexdigest()[:20]}.{found.group(1)}"
            target = folder / name
            if not target.exists():
                target.write_bytes(data)
            moved += 1
            loading = ' loading="lazy"' if lazy else ""
            return f'<img{loading} decoding="async" src="{prefix}/{name}"'

        model["state"]["value"] = FRAME_IMG.sub(to_file, value)
    body = json.dumps(state, ensure_ascii=False).replace("</", "<\\/")
    page.write_text(text[:match.start(2)] + body + text[match.end(2):], encoding="utf-8")
    return moved


def externalise_site(site: Path) -> int:
    """Externalise the frames of every page of a built site; return how many were moved."""
    site = Path(site)
    return sum(externalise_page(page, site) for page in sorted(site.rglob("*.html"))
               if page.relative_to(site).parts[0] not in {"_static", "_sources", "_images"})
