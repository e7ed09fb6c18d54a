/*
 * The widget manager's controls typeset their labels with MathJax 2's API
 * (MathJax.Hub.Queue); the book loads MathJax 3, which has no Hub, so every widget
 * would log "Cannot read properties of undefined (reading 'Queue')". This gives
 * MathJax 3 the one MathJax 2 call the widgets make, once MathJax 3 has replaced its
 * configuration object (before the widgets render on the window's load event).
 */
(function () {
  function install() {
    var mathjax = window.MathJax;
    if (!mathjax || mathjax.Hub || !mathjax.version) { return; }
    mathjax.Hub = {
      Queue: function (command) {
        var element = command && command[2];
        var ready = mathjax.startup && mathjax.startup.promise ? mathjax.startup.promise : Promise.resolve();
        ready.then(function () {
          return mathjax.typesetPromise ? mathjax.typesetPromise(element ? [element] : undefined) : null;
        }).catch(function (error) { console.warn("MathJax could not typeset a widget label:", error); });
      }
    };
  }
  document.addEventListener("DOMContentLoaded", install);
  window.addEventListener("load", install, true);
})();
