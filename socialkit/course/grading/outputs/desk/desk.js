// The grading desk (socialkit/course/grading/outputs/desk): score the written answers of one
// question in the browser, offline. Each card is a group of alike answers (one answer, or several
// identical or near-identical ones): a click per rubric criterion and the comment apply to every
// member, except those the grader scores apart (their own card, hidden until then). The work is
// kept in localStorage under the page's key (grade folder and question) and saved as manual.csv in the format the grader reads back (outputs/manual.py, read_manual):
// student, question, points, max points, comment.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("desk-data").textContent);
  var COLUMNS = ["student", "question", "points", "max points", "comment"];
  var FORMULA_START = ["=", "+", "-", "@", "\t", "\r"];  // outputs/tables.py, FORMULA_START
  var labels = [];
  Object.keys(data.groups).forEach(function (g) { labels = labels.concat(data.groups[g]); });
  var onPage = new Set(labels);
  var state = {};         // label -> {levels: [points or null per criterion], comment, sheet: points from manual.csv}
  var apart = new Set();  // labels scored apart from their group
  var alone = {};         // card scoring one label apart -> that label
  Object.keys(data.alone).forEach(function (label) { alone[data.alone[label]] = label; });
  var cards = Object.keys(data.groups).concat(Object.keys(alone));

  // --- the spreadsheet rule of outputs/tables.py ------------------------------------------------
  function neutralise(text) {
    return FORMULA_START.indexOf(text.charAt(0)) >= 0 ? "'" + text : text;
  }
  function plainText(text) {
    return text.charAt(0) === "'" && FORMULA_START.indexOf(text.charAt(1)) >= 0 ? text.slice(1) : text;
  }
  function number(x) { return String(Number(x.toFixed(6))); }
  function sameQuestion(row) { return row.question.trim().toLowerCase() === data.question.toLowerCase(); }

  // --- the state: manual.csv as the page was written, then the work kept in this browser --------
  function emptyLevels() { return data.criteria.map(function () { return null; }); }
  function total(entry) {
    if (entry.levels.every(function (p) { return p !== null; })) {
      return entry.levels.reduce(function (a, b) { return a + b; }, 0);
    }
    return entry.levels.every(function (p) { return p === null; }) ? entry.sheet : null;
  }
  function readSheet() {
    data.rows.forEach(function (row) {
      var label = plainText(row.student.trim());
      if (!sameQuestion(row) || !onPage.has(label) || state[label]) return;
      var points = row.points.trim().replace(",", ".");
      state[label] = {levels: emptyLevels(), comment: plainText(row.comment.trim()),
                      sheet: points === "" || isNaN(Number(points)) ? null : Number(points)};
    });
    labels.forEach(function (label) {
      if (!state[label]) state[label] = {levels: emptyLevels(), comment: "", sheet: null};
    });
  }
  function readStored() {
    var stored = {};
    try { stored = JSON.parse(window.localStorage.getItem(data.key) || "{}"); } catch (e) { stored = {}; }
    Object.keys(stored).forEach(function (label) {
      var kept = stored[label], now = state[label];
      if (!now || !Array.isArray(kept.levels) || kept.levels.length !== data.criteria.length) return;
      var entry = {levels: kept.levels, comment: String(kept.comment || ""), sheet: now.sheet};
      // manual.csv changed since (points typed in a spreadsheet): it wins over this browser
      if (now.sheet === null || total(entry) === now.sheet) state[label] = entry;
    });
    try { apart = new Set(JSON.parse(window.localStorage.getItem(data.key + ":apart") || "[]")); } catch (e) { }
    apart.forEach(function (label) { if (!(label in data.alone)) apart.delete(label); });
    // members that manual.csv scores otherwise than the first of their group are shown apart
    Object.keys(data.groups).forEach(function (group) {
      var first = state[data.groups[group][0]];
      data.groups[group].slice(1).forEach(function (label) {
        if (total(state[label]) !== total(first) || state[label].comment !== first.comment) apart.add(label);
      });
    });
  }
  function store() {
    var kept = {};
    labels.forEach(function (label) {
      kept[label] = {levels: state[label].levels, comment: state[label].comment};
    });
    try {
      window.localStorage.setItem(data.key, JSON.stringify(kept));
      window.localStorage.setItem(data.key + ":apart", JSON.stringify(Array.from(apart)));
      return true;
    } catch (e) {
      say("This browser does not keep the work (storage is off): download manual.csv before closing.");
      return false;
    }
  }

  // --- the cards --------------------------------------------------------------------------------
  function card(group) { return document.querySelector('.answer[data-group="' + group + '"]'); }
  function members(group) {  // whom a click on this card scores
    if (group in alone) return apart.has(alone[group]) ? [alone[group]] : [];
    return data.groups[group].filter(function (label) { return !apart.has(label); });
  }
  function show(group) {
    var el = card(group), who = members(group);
    el.hidden = who.length === 0;
    el.querySelectorAll(".apart").forEach(function (button) { button.hidden = apart.has(button.dataset.member); });
    if (!who.length) return;
    var first = state[who[0]], points = total(first);
    el.querySelectorAll(".level").forEach(function (button) {
      var i = Number(button.dataset.criterion);
      button.setAttribute("aria-pressed", String(first.levels[i] === Number(button.dataset.points)));
    });
    var box = el.querySelector("textarea");
    if (document.activeElement !== box) box.value = first.comment === data.blank ? "" : first.comment;
    if (first.comment === data.blank) box.placeholder = data.blank;
    var fromSheet = points !== null && first.levels.every(function (p) { return p === null; });
    el.querySelector(".total output").textContent =
      points === null ? "—" : number(points) + (fromSheet ? " (from manual.csv)" : "");
    el.classList.toggle("scored", points !== null);
  }
  function decide(group, change) {
    var first = state[members(group)[0]];
    var decision = {levels: first.levels.slice(), comment: first.comment, sheet: null};
    change(decision);
    members(group).forEach(function (label) {
      state[label] = {levels: decision.levels.slice(), comment: decision.comment, sheet: state[label].sheet};
    });
    show(group);
    progress();
    if (store()) say("Kept in this browser. Save manual.csv when you are done.");
  }
  function progress() {
    var scored = labels.filter(function (label) { return total(state[label]) !== null; }).length;
    document.getElementById("scored").textContent = String(scored);
  }
  function say(text) { document.getElementById("status").textContent = text; }

  // --- manual.csv -------------------------------------------------------------------------------
  function csvCell(value) {
    return /[",\r\n]/.test(value) ? '"' + value.replace(/"/g, '""') + '"' : value;
  }
  function deskRow(label) {
    var entry = state[label], points = total(entry);
    return [neutralise(label), data.question, points === null ? "" : number(points), number(data.max),
            neutralise(entry.comment)];
  }
  function otherQuestion(row) {
    // a row of another hand-graded question: what that question's page keeps in this browser, if
    // it scored the answer fully and manual.csv has not been changed since (so each page's
    // download carries every page's work)
    var cells = COLUMNS.map(function (c) { return row[c] || ""; });
    var key = data.key.slice(0, data.key.length - data.question.length) + row.question.trim(), kept;
    try { kept = JSON.parse(window.localStorage.getItem(key) || "{}"); } catch (e) { kept = {}; }
    var entry = kept[plainText(row.student.trim())];
    if (!entry || !Array.isArray(entry.levels) || !entry.levels.length ||
        entry.levels.some(function (p) { return typeof p !== "number"; })) return cells;
    var points = entry.levels.reduce(function (a, b) { return a + b; }, 0);
    var typed = row.points.trim().replace(",", ".");
    if (typed !== "" && Number(typed) !== points) return cells;
    cells[2] = number(points);
    cells[4] = neutralise(String(entry.comment || ""));
    return cells;
  }
  function sheet() {
    var lines = [COLUMNS], written = new Set();
    data.rows.forEach(function (row) {
      var label = plainText(row.student.trim());
      if (sameQuestion(row) && onPage.has(label)) {
        if (!written.has(label)) lines.push(deskRow(label));
        written.add(label);
      } else {
        lines.push(sameQuestion(row) ? COLUMNS.map(function (c) { return row[c] || ""; }) : otherQuestion(row));
      }
    });
    labels.forEach(function (label) { if (!written.has(label)) lines.push(deskRow(label)); });
    return lines.map(function (cells) { return cells.map(csvCell).join(","); }).join("\n") + "\n";
  }
  function download() {
    var url = URL.createObjectURL(new Blob([sheet()], {type: "text/csv;charset=utf-8"}));
    var link = document.createElement("a");
    link.href = url;
    link.download = "manual.csv";
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
    say("Downloaded manual.csv: put it in this folder in place of the old one, then run socialkit-grade again.");
  }
  function save() {
    fetch("manual.csv?question=" + encodeURIComponent(data.question), {
      method: "PUT", headers: {"Content-Type": "text/csv; charset=utf-8"}, body: sheet(),
    }).then(function (response) {
      return response.text().then(function (text) {
        var ours = (response.headers.get("Content-Type") || "").indexOf("text/plain") === 0;
        say(response.ok ? "Saved to manual.csv. Run socialkit-grade again to merge it." :
            "Not saved: " + (ours ? text : "this server does not take manual.csv; download it instead."));
      });
    }).catch(function () { say("Could not reach socialkit-grade serve: download manual.csv instead."); });
  }

  // --- start --------------------------------------------------------------------------------------
  readSheet();
  readStored();
  function groupOf(label) { return data.alone[label].replace(/-\d+$/, ""); }
  function move(label, away) {  // score a label apart from its group, or with it again
    var group = groupOf(label), rest = data.groups[group].filter(function (l) { return !apart.has(l) && l !== label; });
    if (away) apart.add(label); else apart.delete(label);
    if (!away && rest.length) state[label] = JSON.parse(JSON.stringify(state[rest[0]]));
    show(group);
    show(data.alone[label]);
    progress();
    store();
    if (away) card(data.alone[label]).scrollIntoView({block: "nearest"});
  }
  cards.forEach(function (group) {
    var el = card(group);
    el.querySelectorAll(".apart").forEach(function (button) {
      button.addEventListener("click", function () { move(button.dataset.member, true); });
    });
    el.querySelectorAll(".rejoin").forEach(function (button) {
      button.addEventListener("click", function () { move(button.dataset.member, false); });
    });
    el.querySelectorAll(".level").forEach(function (button) {
      button.addEventListener("click", function () {
        var i = Number(button.dataset.criterion), points = Number(button.dataset.points);
        decide(group, function (d) { d.levels[i] = d.levels[i] === points ? null : points; });
      });
    });
    el.querySelector("textarea").addEventListener("input", function (event) {
      decide(group, function (d) { d.comment = event.target.value; });
    });
    show(group);
  });
  progress();
  var downloadButton = document.getElementById("download");
  downloadButton.disabled = false;
  downloadButton.addEventListener("click", download);
  if (location.protocol === "http:" && ["127.0.0.1", "localhost"].indexOf(location.hostname) >= 0) {
    var saveButton = document.getElementById("save");
    saveButton.hidden = false;
    saveButton.addEventListener("click", save);
  }
  document.body.dataset.desk = "ready";
})();
