/* nakpump serve: the page. Plain JavaScript, no build step; plots by the vendored uPlot.
 * The HTTP contract is in the server (nakpump.serve); every number shown comes from the stream. */
(function () {
  "use strict";

  // Okabe-Ito, a palette safe for the common colour-vision deficiencies.
  var C = {
    black: "#000000", orange: "#E69F00", sky: "#56B4E9", green: "#009E73",
    yellow: "#F0E442", blue: "#0072B2", red: "#D55E00", purple: "#CC79A7"
  };
  var ION = { Na: C.red, K: C.blue };
  var TRACES = ["V", "Na_i", "K_i", "K_o", "Na_o", "I_pump", "ATP_i"];
  var MAX_POINTS = 16000;
  var PLOT_H = 185;

  var $ = function (id) { return document.getElementById(id); };

  // Everything the page knows, readable by tests and curious students (window.nakpump).
  var S = {
    ready: false, cell: null, runId: null, playing: false, speed: 10000, controls: [],
    settings: {}, lessons: [], lesson: null, chunks: 0, lastSeq: -1, lastChunk: null,
    measures: {}, readouts: null, counters: null, ended: false, errors: {}, health: null,
    ref: null, data: null, log: [], marks: [], chunkSettings: null
  };
  window.nakpump = S;

  function emptyData() {
    var d = { t: [], spikes: [] };
    TRACES.forEach(function (k) { d[k] = []; });
    return d;
  }
  S.data = emptyData();

  function setStatus(text, kind) {
    var el = $("status");
    el.textContent = text || "";
    el.className = "status" + (kind ? " " + kind : "");
  }

  function fmt(x, digits) {
    if (x === null || x === undefined || (typeof x === "number" && !isFinite(x))) return "n/a";
    if (typeof x !== "number") return String(x);
    var a = Math.abs(x);
    if (digits === undefined && Number.isInteger(x) && a < 1e6) return String(x);
    if (digits === undefined) digits = a >= 100 ? 1 : a >= 10 ? 2 : 3;
    if (a !== 0 && (a >= 1e6 || a < 1e-3)) return x.toExponential(2);
    return x.toFixed(digits);
  }

  async function api(method, url, body) {
    var opt = { method: method, headers: {} };
    if (body !== undefined) {
      opt.headers["Content-Type"] = "application/json";
      opt.body = JSON.stringify(body);
    }
    var r = await fetch(url, opt);
    var j = null;
    var txt = await r.text();
    try { j = txt ? JSON.parse(txt) : null; } catch (e) { j = txt; }
    return { ok: r.ok, status: r.status, json: j };
  }

  // ---- errors from the server, shown next to the control they concern ----
  function errorItems(json) {
    var d = json && json.detail;
    if (!d) return [{ field: null, message: typeof json === "string" ? json : "request refused" }];
    if (typeof d === "string") return [{ field: null, message: d }];
    if (!Array.isArray(d)) d = [d];
    return d.map(function (e) {
      var field = e.field;
      if (!field && Array.isArray(e.loc)) field = String(e.loc[e.loc.length - 1]);
      return { field: field, allowed: e.allowed, message: e.message || e.msg || JSON.stringify(e) };
    });
  }

  function showErrors(json, fallbackField) {
    var items = errorItems(json);
    items.forEach(function (e) {
      var f = e.field || fallbackField;
      var text = e.message + (e.allowed ? " (allowed: " + e.allowed + ")" : "");
      var el = f && document.querySelector('[data-err="' + cssEsc(f) + '"]');
      if (el) {
        el.textContent = text;
        S.errors[f] = text;
        var inp = document.querySelector('[data-name="' + cssEsc(f) + '"]');
        if (inp) inp.setAttribute("aria-invalid", "true");
      } else {
        setStatus(text, "error");
      }
    });
  }

  function clearError(name) {
    var el = document.querySelector('[data-err="' + cssEsc(name) + '"]');
    if (el) el.textContent = "";
    var inp = document.querySelector('[data-name="' + cssEsc(name) + '"]');
    if (inp) inp.removeAttribute("aria-invalid");
    delete S.errors[name];
  }

  function prettyUnit(u) {
    if (!u || u === "1") return "";
    return String(u).replace(/^u(?=[AVmMsFS])/, "\u00b5").replace(/cm2\b/, "cm\u00b2").replace(/degC/, "\u00b0C");
  }

  function cssEsc(s) { return String(s).replace(/["\\]/g, "\\$&"); }

  // ---- health: "preparing the cell" ----
  async function waitReady(cell) {
    var asked = false;
    for (;;) {
      var h;
      try { h = await api("GET", "/api/health"); } catch (e) { h = null; }
      S.health = h && h.json;
      var st = h && h.json && h.json.cells ? h.json.cells[cell] : "ready";
      if (st === "ready" || st === undefined) { setStatus(""); $("play").disabled = false; return true; }
      if (st === "failed") { setStatus("The cell " + cell + " could not be prepared on the server.", "error"); return false; }
      if (st === "not started" && !asked) {   // a preset is compiled on first use: ask for it
        asked = true;
        api("GET", "/api/cells/" + encodeURIComponent(cell) + "/controls").catch(function () {});
      }
      setStatus("Preparing the cell " + cell + " (compiling the model, once per server)…", "busy");
      $("play").disabled = true;
      await new Promise(function (res) { setTimeout(res, 500); });
    }
  }

  // ---- controls, generated from the server's declarations ----
  function isSwitch(c) {
    return c.kind === "switch" || c.type === "bool" || (/\.on$/.test(c.name) && c.min === 0 && c.max === 1);
  }

  function buildControls(list) {
    list = list.map(function (c) {
      var d = Object.assign({}, c);
      d.unit = prettyUnit(d.unit);          // "1": dimensionless, a fraction or a switch
      return d;
    });
    var form = $("controls");
    form.innerHTML = "";
    S.controls = list;
    list.forEach(function (c) {
      var id = "ctl-" + c.name.replace(/[^A-Za-z0-9_-]/g, "-");
      var row = document.createElement("div");
      row.className = "control";
      var unit = c.unit ? " (" + c.unit + ")" : "";
      var help = c.help ? '<span class="help" id="' + id + '-help">' + esc(c.help) + (/[.!?]$/.test(c.help) ? "" : ".") +
        (isSwitch(c) ? "" : " Allowed: " + esc(c.allowed || (fmt(c.min) + " to " + fmt(c.max) + (c.unit ? " " + c.unit : ""))) + ".") +
        "</span>" : "";
      var err = '<span class="err" role="alert" data-err="' + esc(c.name) + '" id="' + id + '-err"></span>';
      var described = id + "-help " + id + "-err";
      if (isSwitch(c)) {
        row.innerHTML = '<label class="switch"><input type="checkbox" role="switch" id="' + id + '" data-name="' +
          esc(c.name) + '" aria-describedby="' + described + '"> <span>' + esc(c.label || c.name) + "</span></label>" + help + err;
      } else {
        row.innerHTML = '<label for="' + id + '">' + esc(c.label || c.name) + unit + "</label>" +
          '<div class="slider"><input type="range" id="' + id + '" data-name="' + esc(c.name) + '" min="' + c.min +
          '" max="' + c.max + '" step="' + (c.step || "any") + '" aria-describedby="' + described + '">' +
          '<output for="' + id + '" id="' + id + '-out"></output></div>' + help + err;
      }
      form.appendChild(row);
      var inp = row.querySelector("input");
      inp.addEventListener(isSwitch(c) ? "change" : "input", function () { onControl(c, inp); });
      if (!isSwitch(c)) inp.addEventListener("change", function () { onControl(c, inp, true); });
    });
  }

  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (ch) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[ch];
    });
  }

  function controlValues(settings) {
    S.controls.forEach(function (c) {
      var v = settings && settings[c.name] !== undefined ? settings[c.name] : c["default"];
      var inp = document.querySelector('[data-name="' + cssEsc(c.name) + '"]');
      if (!inp || v === undefined || v === null) return;
      if (pending[c.name] !== undefined || Date.now() - (edited[c.name] || 0) < 1500) return;
      if (inp.type === "checkbox") inp.checked = !!Number(v);
      else {
        inp.value = v;
        var out = document.getElementById(inp.id + "-out");
        if (out) out.textContent = fmt(Number(v)) + (c.unit ? " " + c.unit : "");
        inp.setAttribute("aria-valuetext", fmt(Number(v)) + (c.unit ? " " + c.unit : ""));
      }
    });
  }

  var pending = {};
  var edited = {};
  var timers = {};
  function onControl(c, inp, now) {
    var v = inp.type === "checkbox" ? (inp.checked ? 1 : 0) : Number(inp.value);
    if (inp.type !== "checkbox") {
      var out = document.getElementById(inp.id + "-out");
      if (out) out.textContent = fmt(v) + (c.unit ? " " + c.unit : "");
      inp.setAttribute("aria-valuetext", fmt(v) + (c.unit ? " " + c.unit : ""));
    }
    pending[c.name] = v;
    edited[c.name] = Date.now();
    clearTimeout(timers[c.name]);
    timers[c.name] = setTimeout(function () { sendSetting(c.name); }, now ? 0 : 120);
  }

  async function sendSetting(name) {
    if (!(name in pending)) return;
    var body = {};
    body[name] = pending[name];
    delete pending[name];
    if (!S.runId) return;
    edited[name] = Date.now();
    var r = await api("POST", "/api/runs/" + S.runId + "/settings", body);
    edited[name] = Date.now();
    if (r.ok) {
      clearError(name);
      if (r.json && r.json.settings) S.settings = r.json.settings;
      else S.settings[name] = body[name];
      S.log.push({ t_ms: r.json && r.json.t_ms, name: name, value: body[name] });
    } else {
      showErrors(r.json, name);
    }
  }

  // ---- lessons ----
  function buildLessons(lessons) {
    var list = $("lesson-list");
    list.innerHTML = "";
    lessons.forEach(function (L) {
      var b = document.createElement("button");
      b.type = "button";
      b.className = "lesson-btn";
      b.textContent = L.title || L.id;
      b.dataset.lesson = L.id;
      b.setAttribute("aria-pressed", "false");
      b.addEventListener("click", function () { chooseLesson(L.id); });
      list.appendChild(b);
    });
  }

  function numberKey(n) { return typeof n === "string" ? n : n.key || n.name || n.id; }
  function numberInfo(n) {
    var k = numberKey(n);
    var info = (S.lesson && S.lesson.number_info && S.lesson.number_info[k]) || (typeof n === "string" ? {} : n);
    return info || {};
  }
  function numberLabel(n) { return numberInfo(n).label || numberKey(n).replace(/_/g, " "); }
  function numberUnit(n) { return prettyUnit(numberInfo(n).unit); }
  // a lesson's live number: the stream's measures first, then its readouts and counters
  function liveNumber(k) {
    var srcs = [S.measures, S.readouts, S.counters];
    for (var i = 0; i < srcs.length; i++) {
      if (srcs[i] && srcs[i][k] !== undefined) return srcs[i][k];
    }
    return undefined;
  }
  S.liveNumber = liveNumber;
  S.fmt = fmt;

  function showLesson(L) {
    $("lesson").hidden = !L;
    document.querySelectorAll(".lesson-btn").forEach(function (b) {
      b.setAttribute("aria-pressed", L && b.dataset.lesson === L.id ? "true" : "false");
    });
    if (!L) return;
    $("lesson-title").textContent = L.title || L.id;
    $("lesson-text").textContent = L.text || "";
    $("lesson-notice").textContent = L.notice || "";
    var dl = $("lesson-numbers");
    dl.innerHTML = "";
    (L.numbers || []).forEach(function (n) {
      var k = numberKey(n);
      var dt = document.createElement("dt");
      dt.textContent = numberLabel(n);
      var dd = document.createElement("dd");
      dd.dataset.measure = k;
      dd.textContent = "…";
      dl.appendChild(dt);
      dl.appendChild(dd);
    });
    updateLessonNumbers();
  }

  function updateLessonNumbers() {
    if (!S.lesson) return;
    (S.lesson.numbers || []).forEach(function (n) {
      var k = numberKey(n);
      var dd = document.querySelector('#lesson-numbers [data-measure="' + cssEsc(k) + '"]');
      if (!dd) return;
      var m = liveNumber(k);
      var v = m, unit = numberUnit(n);
      if (m && typeof m === "object") { v = m.value; unit = m.unit || unit; }
      var src = numberInfo(n).source;
      if (src) dd.title = src;
      dd.textContent = v === undefined ? "… (waiting for the run)" :
        v === null ? "not yet (keep the run going)" : fmt(v) + (unit ? " " + unit : "");
    });
  }

  async function chooseLesson(id) {
    var L = S.lessons.find(function (x) { return x.id === id; });
    if (!L) return;
    S.lesson = L;
    showLesson(L);
    var cell = L.cell || S.cell;
    if (cell !== S.cell) {
      $("cell").value = cell;
      await loadCell(cell);
    }
    if (L.speed) setSpeed(L.speed);
    await newRun(L.settings || {}, L.id);
    play();
  }

  // ---- runs and the stream ----
  async function deleteRun() {
    stopStream();
    if (S.runId) {
      var id = S.runId;
      S.runId = null;
      try { await api("DELETE", "/api/runs/" + id); } catch (e) { /* the server drops it anyway */ }
    }
  }

  async function newRun(settings, lessonId) {
    await deleteRun();
    resetData();
    var ok = await waitReady(S.cell);
    if (!ok) return false;
    var body = { cell: S.cell, settings: settings || {} };
    if (lessonId) body.lesson = lessonId;
    for (var attempt = 0; attempt < 40; attempt++) {
      var r = await api("POST", "/api/runs", body);
      if (r.ok) {
        S.runId = r.json.id;
        S.runLesson = lessonId || null;
        S.ended = false;
        S.chunkSettings = (r.json && r.json.settings) || null;
        S.settings = Object.assign({}, defaults(), settings || {}, (r.json && r.json.settings) || {});
        controlValues(S.settings);
        S.controls.forEach(function (c) { clearError(c.name); });
        if (r.json && r.json.state) showReadouts(r.json.state);
        updateLinks();
        setStatus("");
        return true;
      }
      if (r.status === 503 || r.status === 409) {
        await waitReady(S.cell);
        await new Promise(function (res) { setTimeout(res, 300); });
        continue;
      }
      if (r.status === 422) showErrors(r.json);
      else setStatus("The server refused the run (" + r.status + "): " +
        errorItems(r.json).map(function (e) { return e.message; }).join("; "), "error");
      return false;
    }
    return false;
  }

  function defaults() {
    var d = {};
    S.controls.forEach(function (c) { d[c.name] = c["default"]; });
    return d;
  }

  function updateLinks() {
    var id = S.runId;
    $("dl-csv").href = id ? "/api/runs/" + id + "/csv" : "#";
    $("dl-spec").href = id ? "/api/runs/" + id + "/spec" : "#";
  }

  var es = null;
  function chunkMs() {
    // the lesson's own chunk at the lesson's speed, else about five chunks a second of wall time
    if (S.lesson && S.lesson.chunk_ms && Number(S.lesson.speed) === S.speed) return S.lesson.chunk_ms;
    return Math.max(1, Math.min(10000, Math.round(S.speed / 5)));
  }

  function setSpeed(v) {
    v = Number(v);
    var sel = $("speed");
    if (![].some.call(sel.options, function (o) { return Number(o.value) === v; })) {
      var o = document.createElement("option");
      o.value = String(v);
      o.textContent = (v >= 60000 ? fmt(v / 60000) + " min" : v >= 1000 ? fmt(v / 1000) + " s" : v + " ms") + " per second";
      var after = [].find.call(sel.options, function (x) { return Number(x.value) > v; });
      sel.insertBefore(o, after || null);
    }
    sel.value = String(v);
    S.speed = v;
  }

  function startStream() {
    stopStream();
    if (!S.runId || S.ended) return;
    var url = "/api/runs/" + S.runId + "/stream?speed=" + S.speed + "&chunk_ms=" + chunkMs();
    es = new EventSource(url);
    var mine = es;
    es.addEventListener("chunk", function (ev) {
      if (mine !== es) return;
      var c;
      try { c = JSON.parse(ev.data); } catch (e) { return; }
      onChunk(c);
    });
    es.addEventListener("open", function () { if (mine === es) retries = 0; });
    es.addEventListener("end", function (ev) {
      if (mine !== es) return;
      var info = {};
      try { info = JSON.parse(ev.data); } catch (e) { /* no reason */ }
      stopStream();
      setPlaying(false);
      if (/cap/.test(info.reason || "")) {
        S.ended = true;
        setStatus("The run reached the server's limit of model time; reset or choose a lesson to start again.");
      } else if (info.reason === "stopped") {
        setStatus("The server ended this run (it was idle or deleted); press Reset to start a new one.", "error");
      }
    });
    es.addEventListener("error", function (ev) {
      if (mine !== es) return;
      if (ev && ev.data) {
        // the server's own "error" event: the simulation stopped
        var msg = ev.data;
        try { msg = JSON.parse(ev.data).message || msg; } catch (e) { /* as sent */ }
        stopStream();
        setPlaying(false);
        setStatus(msg, "error");
        return;
      }
      // EventSource reconnects by itself; a closed stream (409 while the previous stream of this run is
      // still closing, 404, 429) is retried a few times, then reported
      if (es.readyState === EventSource.CLOSED) {
        stopStream();
        var rid = S.runId;
        api("GET", "/api/runs/" + rid).then(function (r) {
          if (rid !== S.runId || !S.playing) return;
          if (r.status === 404) {
            setPlaying(false);
            setStatus("The server no longer has this run (it was idle too long); press Reset to start a new one.", "error");
          } else if (retries < 12) {
            retries += 1;
            retryTimer = setTimeout(function () { if (S.playing && !es) startStream(); }, 150 * retries);
          } else {
            setPlaying(false);
            setStatus("The stream stopped (the server did not answer). Press Play to try again.", "error");
          }
        }, function () {
          setPlaying(false);
          setStatus("The server does not answer. Is `nakpump serve` still running?", "error");
        });
      }
    });
  }

  var retries = 0, retryTimer = 0;
  function stopStream() {
    clearTimeout(retryTimer);
    if (es) { es.close(); es = null; }
  }

  function setPlaying(on) {
    S.playing = on;
    var b = $("play");
    b.textContent = on ? "Pause" : "Play";
    b.setAttribute("aria-pressed", on ? "true" : "false");
  }

  function play() { retries = 0; setPlaying(true); startStream(); }
  function pause() { setPlaying(false); stopStream(); }

  function resetData() {
    S.data = emptyData();
    S.chunks = 0;
    S.lastSeq = -1;
    S.lastChunk = null;
    S.measures = {};
    S.readouts = null;
    S.counters = null;
    S.ref = null;
    S.log = [];
    S.marks = [];
    S.chunkSettings = null;
    redraw(true);
    updateLessonNumbers();
  }

  function onChunk(c) {
    var gap = false;
    if (typeof c.seq === "number") {
      if (c.seq <= S.lastSeq) return;
      gap = S.lastSeq >= 0 && c.seq > S.lastSeq + 1;
      S.lastSeq = c.seq;
    }
    S.chunks += 1;
    S.lastChunk = c;
    var d = S.data;
    var t = c.t || [];
    var start = 0;
    // a chunk starts where the last one ended: skip a repeated first point
    if (d.t.length && t.length && t[0] <= d.t[d.t.length - 1]) start = 1;
    // a chunk the page never got (sent as the stream was being closed): break the lines there
    var last = d.t.length ? d.t[d.t.length - 1] : null;
    if (last !== null && t.length && gap) {
      d.t.push((last + t[0]) / 2);
      TRACES.forEach(function (k) { d[k].push(null); });
      S.gaps = (S.gaps || 0) + 1;
    }
    for (var i = start; i < t.length; i++) {
      d.t.push(t[i]);
      TRACES.forEach(function (k) {
        var arr = c[k];
        d[k].push(arr && arr[i] !== undefined && arr[i] !== null ? arr[i] : null);
      });
    }
    if (c.spikes) Array.prototype.push.apply(d.spikes, c.spikes);
    if (d.t.length > MAX_POINTS) decimate(d);
    if (c.measures) Object.assign(S.measures, c.measures);
    if (c.readouts) showReadouts(c.readouts);
    if (c.counters) showCounters(c.counters);
    if (c.settings) {
      var prev = S.chunkSettings;
      if (prev) {
        var changed = Object.keys(c.settings).filter(function (k) { return prev[k] !== c.settings[k]; });
        if (changed.length) {
          // a lesson step inside this chunk is where it happened; a student's change starts the chunk
          var at = c.t0, steps = (S.lesson && S.runLesson === S.lesson.id && S.lesson.steps) || [];
          steps.forEach(function (st) {
            var hit = Object.keys(st.settings || {}).some(function (k) { return changed.indexOf(k) >= 0; });
            if (hit && st.at_ms >= c.t0 - 1e-6 && st.at_ms <= (c.t_ms !== undefined ? c.t_ms : Infinity) + 1e-6) at = st.at_ms;
          });
          S.marks.push({ t: at, text: changed.map(function (k) { return shortName(k) + " " + fmt(c.settings[k]); }).join(", ") });
        }
      }
      S.chunkSettings = c.settings;
      S.settings = c.settings;
      controlValues(c.settings);
    }
    var tEnd = t.length ? t[t.length - 1] : c.t0;
    if (tEnd !== undefined) $("clock").textContent = "t = " + clock(tEnd);
    updateLessonNumbers();
    scheduleRedraw();
  }

  function shortName(k) {
    var c = S.controls.find(function (x) { return x.name === k; });
    return c && c.label ? c.label.replace(/\s*\(.*\)$/, "") : k;
  }

  // dashed vertical lines where a setting changed (the student's or the lesson's step), labelled on the V plot
  function drawMarks(u) {
    if (!S.marks || !S.marks.length) return;
    var g = u.ctx, top = u.bbox.top, h = u.bbox.height, dpr = window.devicePixelRatio || 1;
    g.save();
    g.strokeStyle = C.orange;
    g.fillStyle = "#333";
    g.lineWidth = 1.5 * dpr;
    g.setLineDash([5 * dpr, 4 * dpr]);
    g.font = Math.round(11 * dpr) + "px sans-serif";
    g.textAlign = "left";
    g.textBaseline = "alphabetic";
    S.marks.forEach(function (m, i) {
      var x = u.valToPos(m.t / 1000, "x", true);
      if (!(x >= u.bbox.left && x <= u.bbox.left + u.bbox.width)) return;
      g.beginPath(); g.moveTo(x, top); g.lineTo(x, top + h); g.stroke();
      if (u === plots[0]) {
        var w = g.measureText(m.text).width;
        var tx = x + 4 * dpr + w > u.bbox.left + u.bbox.width ? x - 4 * dpr - w : x + 4 * dpr;
        tx = Math.max(u.bbox.left + 2 * dpr, tx);
        g.fillText(m.text, tx, top + (12 + 12 * (i % 3)) * dpr);
      }
    });
    g.restore();
  }

  function decimate(d) {
    // halve the traces, keeping in each run of 4 points the lowest and the highest V (so the spikes and
    // the after-hyperpolarisations stay drawn), every gap and the run's first point (the traces start at
    // t = 0): a long run stays light, evenly over its length
    var n = d.t.length, half = n - (n % 4), keep = [];
    for (var i = 0; i < half; i += 4) {
      var lo = i, hi = i, nulls = [];
      for (var j = i; j < i + 4; j++) {
        if (d.V[j] === null) { nulls.push(j); continue; }
        if (d.V[lo] === null || d.V[j] < d.V[lo]) lo = j;
        if (d.V[hi] === null || d.V[j] > d.V[hi]) hi = j;
      }
      var idx = nulls.concat(i === 0 ? [0, lo, hi] : [lo, hi]).sort(function (a, b) { return a - b; });
      idx.forEach(function (x, m) { if (m === 0 || x !== idx[m - 1]) keep.push(x); });
    }
    Object.keys(d).forEach(function (k) {
      if (k === "spikes") return;
      var a = d[k];
      d[k] = keep.map(function (x) { return a[x]; }).concat(a.slice(half));
    });
  }

  function clock(ms) {
    var s = ms / 1000;
    if (s < 60) return fmt(s, s < 10 ? 2 : 1) + " s";
    var m = Math.floor(s / 60);
    return m + " min " + (s - 60 * m).toFixed(0).padStart(2, "0") + " s";
  }

  // ---- readouts, counters ----
  var READOUTS = [
    ["V", "V", "mV"], ["Na_i", "Na\u207a inside", "mM"], ["Na_o", "Na\u207a outside", "mM"],
    ["K_i", "K\u207a inside", "mM"], ["K_o", "K\u207a outside", "mM"], ["E_Na", "E_Na", "mV"],
    ["E_K", "E_K", "mV"], ["I_pump", "Pump current", "\u00b5A/cm\u00b2"], ["ATP_i", "ATP inside", "mM"]
  ];

  function showReadouts(r) {
    S.readouts = r;
    if (!S.ref) S.ref = Object.assign({}, r);
    var dl = $("readouts");
    if (!dl.children.length) {
      READOUTS.forEach(function (x) {
        var dt = document.createElement("dt"); dt.textContent = x[1];
        var dd = document.createElement("dd"); dd.dataset.readout = x[0];
        dl.appendChild(dt); dl.appendChild(dd);
      });
    }
    READOUTS.forEach(function (x) {
      var dd = dl.querySelector('[data-readout="' + x[0] + '"]');
      dd.textContent = r[x[0]] === null || r[x[0]] === undefined ? "n/a" : fmt(r[x[0]]) + " " + x[2];
    });
    drawMembrane(r);
  }

  function showCounters(c) {
    S.counters = c;
    var dl = $("counters");
    var atp = c.atp_used_amol;
    var rows = [
      ["Na\u207a pumped out", fmt(c.na_out_amol) + " amol"],
      ["K\u207a pumped in", fmt(c.k_in_amol) + " amol"],
      ["ATP spent", fmt(atp) + " amol"],
      ["Charge carried out", fmt(c.charge_out_amol) + " amol"],
      ["Na\u207a : K\u207a : ATP", atp ? fmt(c.na_out_amol / atp, 2) + " : " + fmt(c.k_in_amol / atp, 2) + " : 1" : "n/a"]
    ];
    dl.innerHTML = "";
    rows.forEach(function (x, i) {
      var dt = document.createElement("dt"); dt.textContent = x[0];
      var dd = document.createElement("dd"); dd.textContent = x[1]; dd.dataset.counter = String(i);
      dl.appendChild(dt); dl.appendChild(dd);
    });
  }

  // ---- the membrane picture ----
  var SVGNS = "http://www.w3.org/2000/svg";
  var pumpAngle = 0;
  var reducedMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  function svgEl(tag, attrs, parent, text) {
    var e = document.createElementNS(SVGNS, tag);
    Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) e.textContent = text;
    if (parent) parent.appendChild(e);
    return e;
  }

  function buildMembrane() {
    var s = $("membrane");
    s.innerHTML = "";
    svgEl("rect", { x: 0, y: 0, width: 360, height: 105, fill: "#eef6fb" }, s);
    svgEl("rect", { x: 0, y: 145, width: 360, height: 105, fill: "#fdf3e6" }, s);
    svgEl("text", { x: 6, y: 14, "class": "m-label" }, s, "outside (bath)");
    svgEl("text", { x: 6, y: 244, "class": "m-label" }, s, "inside the cell");
    // the lipid bilayer
    var mem = svgEl("g", {}, s);
    svgEl("rect", { x: 0, y: 105, width: 360, height: 40, fill: "#f2e8c9" }, mem);
    for (var x = 4; x < 360; x += 10) {
      svgEl("circle", { cx: x, cy: 110, r: 4, fill: "#c9b37e" }, mem);
      svgEl("circle", { cx: x, cy: 140, r: 4, fill: "#c9b37e" }, mem);
    }
    // the pump
    var pump = svgEl("g", { id: "m-pump", transform: "translate(180,125)" }, s);
    svgEl("ellipse", { cx: 0, cy: 0, rx: 30, ry: 24, fill: C.green, stroke: "#000", "stroke-width": 1 }, pump);
    var rotor = svgEl("g", { id: "m-rotor" }, pump);
    svgEl("path", { d: "M-12,0 L12,0 M0,-12 L0,12", stroke: "#fff", "stroke-width": 3 }, rotor);
    svgEl("text", { x: 180, y: 99, "class": "m-small", "text-anchor": "middle" }, s, "pump: 3 Na\u207a out \u2191");
    svgEl("text", { x: 180, y: 160, "class": "m-small", "text-anchor": "middle" }, s, "2 K\u207a in \u2193, 1 ATP");
    // channels
    channel(s, 100, "Na\u207a channel", ION.Na);
    channel(s, 260, "K\u207a channel", ION.K);
    // the bars
    var bars = svgEl("g", { id: "m-bars" }, s);
    bar(bars, "Na_o", 22, 18, 80, ION.Na, "Na\u207a", 1);
    bar(bars, "K_o", 338, 18, 80, ION.K, "K\u207a", -1);
    bar(bars, "Na_i", 22, 150, 80, ION.Na, "Na\u207a", 1);
    bar(bars, "K_i", 338, 150, 80, ION.K, "K\u207a", -1);
  }

  function channel(s, x, label, col) {
    var g = svgEl("g", {}, s);
    svgEl("rect", { x: x - 12, y: 103, width: 8, height: 44, fill: col, rx: 3 }, g);
    svgEl("rect", { x: x + 4, y: 103, width: 8, height: 44, fill: col, rx: 3 }, g);
    svgEl("text", { x: x, y: 99, "class": "m-small", "text-anchor": "middle" }, s, label);
  }

  function bar(g, key, x, y, h, col, label, side) {
    svgEl("rect", { x: x - 14, y: y, width: 28, height: h, fill: "none", stroke: "#888", "stroke-width": 0.5 }, g);
    svgEl("rect", { id: "m-" + key, x: x - 12, y: y + h, width: 24, height: 0, fill: col,
      "data-base": y + h, "data-h": h }, g);
    svgEl("line", { x1: x - 16, x2: x + 16, y1: y + h / 2, y2: y + h / 2, stroke: "#000",
      "stroke-dasharray": "3 2", "stroke-width": 1 }, g);
    var a = { x: x + 20 * side, "class": "m-small", "text-anchor": side > 0 ? "start" : "end" };
    svgEl("text", Object.assign({ id: "m-" + key + "-t", y: y + 34 }, a), g, label);
    svgEl("text", Object.assign({ id: "m-" + key + "-v", y: y + 48 }, a), g, "");
    svgEl("text", Object.assign({ id: "m-" + key + "-p", y: y + 62 }, a), g, "");
  }

  function drawMembrane(r) {
    if (!S.ref) return;
    ["Na_o", "K_o", "Na_i", "K_i"].forEach(function (k) {
      var rect = document.getElementById("m-" + k);
      if (!rect || r[k] === undefined || r[k] === null) return;
      var ref = S.ref[k] || r[k];
      var frac = Math.max(0, Math.min(2, r[k] / ref)) / 2;    // the dashed line is where it started
      var h = Number(rect.getAttribute("data-h")), base = Number(rect.getAttribute("data-base"));
      rect.setAttribute("y", base - frac * h);
      rect.setAttribute("height", frac * h);
      var pct = ref ? 100 * (r[k] / ref - 1) : 0;
      var v = document.getElementById("m-" + k + "-v");
      v.textContent = fmt(r[k]) + " mM";
      document.getElementById("m-" + k + "-p").textContent =
        Math.abs(pct) >= 0.5 ? (pct > 0 ? "+" : "") + pct.toFixed(0) + "% since start" : "";
    });
    // the rotor turns with the pump's current (not to scale: a sign of activity)
    var ip = reducedMotion ? 0 : Math.abs(r.I_pump || 0);
    pumpAngle = (pumpAngle + Math.min(60, 40 * ip)) % 360;
    var rot = document.getElementById("m-rotor");
    if (rot) rot.setAttribute("transform", "rotate(" + pumpAngle.toFixed(1) + ")");
    $("membrane").setAttribute("aria-label", "Na inside " + fmt(r.Na_i) + " mM, outside " + fmt(r.Na_o) +
      " mM; K inside " + fmt(r.K_i) + " mM, outside " + fmt(r.K_o) + " mM");
  }

  // ---- plots ----
  var plots = [];
  var PANELS = [
    { title: "Membrane potential V (mV)", series: [{ key: "V", label: "V", stroke: C.black }] },
    { title: "Concentrations (mM)", series: [
      { key: "Na_i", label: "Na\u207a inside", stroke: ION.Na },
      { key: "K_o", label: "K\u207a outside", stroke: ION.K },
      { key: "K_i", label: "K\u207a inside", stroke: C.sky, dash: [6, 3], scale: "Ki" }] },
    { title: "Pump current (\u00b5A/cm\u00b2)", series: [{ key: "I_pump", label: "I_pump", stroke: C.green }] },
    { title: "ATP inside (mM)", series: [{ key: "ATP_i", label: "ATP", stroke: C.purple }] }
  ];

  function plotWidth() {
    var w = $("plots").clientWidth || 600;
    return Math.max(280, Math.min(w, 900));
  }

  function buildPlots() {
    var host = $("plots");
    host.innerHTML = "";
    plots = [];
    var sync = uPlot.sync("nakpump");
    PANELS.forEach(function (p) {
      var div = document.createElement("div");
      div.className = "plot";
      host.appendChild(div);
      var series = [{ label: "t (s)", value: function (u, v) { return v === null ? "-" : fmt(v); } }];
      var axes = [{ label: "time (s)", size: 36 }, { size: 56 }];
      var scales = { x: { time: false } };
      p.series.forEach(function (s) {
        series.push({ label: s.label, stroke: s.stroke, width: 1.5, dash: s.dash, scale: s.scale || "y",
          spanGaps: false, value: function (u, v) { return v === null || v === undefined ? "-" : fmt(v); } });
        if (s.scale) {
          axes.push({ scale: s.scale, side: 1, size: 50, grid: { show: false }, stroke: s.stroke });
          scales[s.scale] = {};
        }
      });
      var u = new uPlot({
        title: p.title, width: plotWidth(), height: PLOT_H, series: series, axes: axes, scales: scales,
        cursor: { sync: { key: sync.key } }, legend: { live: true }, hooks: { draw: [drawMarks] }
      }, [[]].concat(p.series.map(function () { return []; })), div);
      u.panel = p;
      plots.push(u);
      S.plots = plots;
    });
    window.addEventListener("resize", function () {
      var w = plotWidth();
      plots.forEach(function (u) { u.setSize({ width: w, height: PLOT_H }); });
    });
  }

  var raf = 0;
  function scheduleRedraw() {
    if (raf) return;
    raf = requestAnimationFrame(function () { raf = 0; redraw(false); });
  }

  function redraw() {
    var d = S.data;
    var ts = d.t.map(function (x) { return x / 1000; });
    plots.forEach(function (u) {
      var cols = [ts];
      u.panel.series.forEach(function (s) { cols.push(d[s.key]); });
      u.setData(cols);
    });
  }

  function figurePNG() {
    var canvases = plots.map(function (u) { return u.ctx.canvas; });
    var pad = 24 * (window.devicePixelRatio || 1);
    var w = Math.max.apply(null, canvases.map(function (c) { return c.width; }));
    var h = canvases.reduce(function (a, c) { return a + c.height + pad; }, 0);
    var out = document.createElement("canvas");
    var g = out.getContext("2d");
    var font = Math.round(pad * 0.6) + "px sans-serif";
    g.font = font;
    PANELS.forEach(function (p) {   // room for each title and its legend
      var title = p.title + (S.lesson ? " \u2014 " + (S.lesson.title || S.lesson.id) : "");
      var need = 8 + g.measureText(title).width + pad;
      if (p.series.length > 1) p.series.forEach(function (s) { need += pad * 1.8 + g.measureText(s.label).width; });
      w = Math.max(w, Math.ceil(need));
    });
    out.width = w; out.height = h;
    g.fillStyle = "#fff"; g.fillRect(0, 0, w, h);
    g.fillStyle = "#000";
    g.font = font;
    var y = 0;
    canvases.forEach(function (c, i) {
      var title = PANELS[i].title + (S.lesson ? " \u2014 " + (S.lesson.title || S.lesson.id) : "");
      g.fillStyle = "#000";
      g.fillText(title, 8, y + pad * 0.75);
      // the legend: each trace's colour and name after the title
      var lx = 8 + g.measureText(title).width + pad;
      PANELS[i].series.forEach(function (s) {
        if (PANELS[i].series.length < 2) return;
        g.strokeStyle = s.stroke; g.lineWidth = 3;
        g.setLineDash(s.dash || []);
        g.beginPath(); g.moveTo(lx, y + pad * 0.55); g.lineTo(lx + pad, y + pad * 0.55); g.stroke();
        g.setLineDash([]);
        g.fillText(s.label, lx + pad * 1.2, y + pad * 0.75);
        lx += pad * 1.8 + g.measureText(s.label).width;
      });
      g.drawImage(c, 0, y + pad);
      y += c.height + pad;
    });
    return out;
  }
  S.figurePNG = function () { return figurePNG().toDataURL("image/png"); };

  // ---- cells ----
  async function loadCell(cell) {
    S.cell = cell;
    var ok = await waitReady(cell);
    if (!ok) return;
    var r = await api("GET", "/api/cells/" + encodeURIComponent(cell) + "/controls");
    if (r.ok) buildControls(r.json || []);
    else setStatus("Could not load the controls of " + cell + ".", "error");
  }

  async function init() {
    buildMembrane();
    buildPlots();
    var cells = await api("GET", "/api/cells");
    var sel = $("cell");
    (cells.json || []).forEach(function (c) {
      var o = document.createElement("option");
      o.value = c.name; o.textContent = c.title || c.name;
      sel.appendChild(o);
    });
    var lessons = await api("GET", "/api/lessons");
    S.lessons = lessons.ok ? lessons.json || [] : [];
    buildLessons(S.lessons);
    var first = (cells.json && cells.json[0] && cells.json[0].name) || "tissue";
    sel.value = first;
    await loadCell(first);
    await newRun({}, null);

    sel.addEventListener("change", async function () {
      pause();
      S.lesson = null; showLesson(null);
      await loadCell(sel.value);
      await newRun({}, null);
    });
    $("play").addEventListener("click", function () {
      if (S.playing) pause();
      else if (S.runId) { if (S.ended) return; play(); }
    });
    $("reset").addEventListener("click", async function () {
      var was = S.playing;
      pause();
      if (!S.runId) return;
      var r = await api("POST", "/api/runs/" + S.runId + "/reset");
      if (!r.ok) {
        // the run may be gone (the server's caps): start a fresh one
        await newRun(S.lesson ? S.lesson.settings : {}, S.lesson ? S.lesson.id : null);
      } else {
        S.ended = false;
        resetData();
        var st = (r.json && r.json.settings) || Object.assign({}, defaults(), S.lesson ? S.lesson.settings : {});
        S.settings = st;
        S.chunkSettings = (r.json && r.json.settings) || null;
        controlValues(st);
        if (r.json && r.json.state) showReadouts(r.json.state);
      }
      if (was) play();
    });
    $("speed").addEventListener("change", function () {
      S.speed = Number($("speed").value);
      retries = 0;
      if (S.playing) startStream();
    });
    $("dl-png").addEventListener("click", function () {
      figurePNG().toBlob(function (blob) {
        var a = document.createElement("a");
        a.href = URL.createObjectURL(blob);
        a.download = "nakpump-figure.png";
        document.body.appendChild(a); a.click(); a.remove();
        setTimeout(function () { URL.revokeObjectURL(a.href); }, 1000);
      }, "image/png");
    });
    window.addEventListener("pagehide", function () {
      stopStream();
      if (S.runId) {
        // a DELETE cannot be beaconed: a keepalive fetch outlives the page (the server also drops idle runs)
        fetch("/api/runs/" + S.runId, { method: "DELETE", keepalive: true }).catch(function () {});
      }
    });
    S.ready = true;
  }

  S.play = function () { play(); };
  S.pause = function () { pause(); };
  S.chooseLesson = chooseLesson;
  // set a control as if moved (even outside the slider's range, to see the server's answer)
  S.set = function (name, value) { pending[name] = value; return sendSetting(name); };

  init().catch(function (e) { setStatus("The page could not start: " + e, "error"); });
})();
