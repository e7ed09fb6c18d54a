// MathJax for the grading desk: $...$ and \(...\) inline, $$...$$ and \[...\] displayed; only
// inside the rubric and the answers (the page's body is tex2jax_ignore); never in code.
window.MathJax = {
  tex: { inlineMath: [["$", "$"], ["\\(", "\\)"]], displayMath: [["$$", "$$"], ["\\[", "\\]"]] },
  options: { ignoreHtmlClass: "tex2jax_ignore", processHtmlClass: "tex2jax_process" },
  svg: { fontCache: "global" },
  startup: { typeset: true },
};
