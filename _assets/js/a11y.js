/*
 * Accessibility repairs for the book's pages, loaded on every page by socialkit.site.sphinx_offline.
 *
 * axe-core (run by tests/browser/test_browser.py) finds a few serious problems in markup the book does
 * not write itself. Each repair below names the rule it satisfies:
 *
 * - widget sliders (ipywidgets' noUiSlider handle, role="slider") have no accessible name, and
 *   announce the option's index ("2") instead of the value shown beside them ("0.38"):
 *   the handle is named after the slider's label and its value text follows the readout
 *   [aria-input-field-name];
 * - the theme's search fields say "Search" but show "Search Ctrl+K", and the hidden-cell
 *   toggle says "Toggle hidden content" but shows "Show code cell content": their names are
 *   taken from the text they show [label-content-name-mismatch];
 * - the colour-mode button's icons carry titles ("Light", "Dark") that are not in its name:
 *   the icons are decorative, the button's label says what it does [label-content-name-mismatch];
 * - the sidebar's expand/collapse arrows are <summary> elements with no text: they are named
 *   after the section they open [summary-name].
 *
 * Widgets are drawn after the page loads (by the widget manager) and again whenever a view is
 * rebuilt, so the repairs run once the document is ready and then on every change to the page.
 */
(function () {
  "use strict";

  function nameSlider(slider) {
    var handle = slider.querySelector('[role="slider"]');
    if (!handle) { return; }
    var label = slider.querySelector(".widget-label");
    var labelText = label ? label.textContent.trim() : "";
    if (labelText && handle.getAttribute("aria-label") !== labelText) {
      handle.setAttribute("aria-label", labelText);
    }
    var readout = slider.querySelector(".widget-readout");
    var value = readout ? readout.textContent.trim() : "";
    if (value && handle.getAttribute("aria-valuetext") !== value) {
      handle.setAttribute("aria-valuetext", value);
    }
  }

  function nameFromText(element) {
    if (element.hasAttribute("aria-label") && element.textContent.trim()) {
      element.removeAttribute("aria-label");
    }
  }

  function repairTheme(root) {
    root.querySelectorAll(".search-button-field").forEach(nameFromText);
    root.querySelectorAll("details.hide > summary[aria-label]").forEach(nameFromText);
    // Font Awesome may already have swapped each <i title> for an <svg> with a <title>.
    root.querySelectorAll(".theme-switch-button .theme-switch").forEach(function (icon) {
      if (icon.hasAttribute("title")) { icon.removeAttribute("title"); }
      icon.querySelectorAll("title").forEach(function (title) { title.remove(); });
      if (icon.hasAttribute("aria-labelledby")) { icon.removeAttribute("aria-labelledby"); }
      if (icon.getAttribute("aria-hidden") !== "true") { icon.setAttribute("aria-hidden", "true"); }
    });
    root.querySelectorAll("nav details > summary").forEach(function (summary) {
      if (summary.textContent.trim() || summary.hasAttribute("aria-label")) { return; }
      var item = summary.closest("li");
      var link = item ? item.querySelector(":scope > a") : null;
      var section = link ? link.textContent.trim() : "this section";
      summary.setAttribute("aria-label", "Pages in " + section);
    });
  }

  var scheduled = false;
  function repair() {
    scheduled = false;
    document.querySelectorAll(".widget-slider").forEach(nameSlider);
    repairTheme(document);
  }
  function schedule() {
    if (!scheduled) {
      scheduled = true;
      (window.requestAnimationFrame || window.setTimeout)(repair);
    }
  }

  function start() {
    repair();
    new MutationObserver(function (mutations) {
      for (var i = 0; i < mutations.length; i++) {
        var target = mutations[i].target;
        var element = target.nodeType === 1 ? target : target.parentElement;
        // Our own attribute changes on a slider handle need no second pass.
        if (mutations[i].type === "attributes" && element && element.getAttribute("role") === "slider" &&
            /^aria-(label|valuetext)$/.test(mutations[i].attributeName)) { continue; }
        schedule();
        return;
      }
    }).observe(document.body, {childList: true, subtree: true, characterData: true,
                               attributes: true, attributeFilter: ["aria-valuenow", "aria-label", "title"]});
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
