// The live layer of ui/live.py: the cards, headlines and GRP chart follow a dragged lever.
// How long a key press's redraw waits (ms): the slider sends within ~10 ms of the key.
const KEY_DRAW_DELAY_MS = 16;
const STATE = window.__batkenLive || (window.__batkenLive = {
  data: null, shown: null, active: null, installed: false, url: null,
});

function fmt(x, digits, sep) {
  if (x === null || x === undefined || !isFinite(x)) return null;
  let s = Math.abs(x).toFixed(digits);
  let [int, frac] = s.split(".");
  int = int.replace(/\B(?=(\d{3})+(?!\d))/g, "\u0000").split("\u0000").join(sep.thousands);
  s = frac ? int + sep.decimal + frac : int;
  return (x < 0 && /[1-9]/.test(s) ? "-" : "") + s;
}
function signed(x, digits, sep) {
  const body = fmt(Math.abs(x), digits, sep);
  if (!/[1-9]/.test(body)) return body;
  return (x > 0 ? "+" : "-") + body;
}
function change(card, digits, sep) {
  return signed(card.diff, digits, sep) + (card.pct === null ? "" : ` (${signed(card.pct, 1, sep)} %)`);
}
// Writes into React's own text node (never replaces it): when the settled run then
// changes the card, React updates that node and the live value cannot linger.
function setText(el, text) {
  const p = el && (el.querySelector("p") || el);
  if (!p || p.textContent === text) return;
  const node = p.firstChild;
  if (node && node.nodeType === Node.TEXT_NODE && !node.nextSibling) node.nodeValue = text;
  else p.textContent = text;
}
// A card with no change line (its settled value equals the reference, as every card's
// on the baseline) gets one of ours while it moves; gone when the run ends, and hidden
// by style.py once the settled card has its own.
function liveDelta(el, c, digits, sep, grey) {
  const metric = el.querySelector('[data-testid="stMetric"]');
  const holder = metric && metric.firstElementChild;
  if (!holder) return;
  let d = holder.querySelector(":scope > .batken-live-delta");
  const text = change(c, digits, sep);
  if (!/[1-9]/.test(text)) { if (d) d.remove(); return; }
  if (!d) {
    d = document.createElement("div");
    d.className = "batken-live-delta";
    holder.appendChild(d);
  }
  d.dataset.sign = grey ? "off" : c.diff > 0 ? "up" : "down";
  setText(d, text);
}

// A live sentence in place of what `host` holds (a headline's settled sentence or the
// baseline's hint, the budget line): `pieces` of our own catalog text (live.pieces), put
// in as text, never markup, with `values` where the pieces have \u0001, \u0002, ...
function liveSentence(host, pieces, values, over) {
  if (!host) return;
  let el = host.querySelector(":scope > .batken-live-sentence");
  if (!el) {
    el = document.createElement("div");
    el.className = "batken-live-sentence";
    // as tall as what it covers, so that the page does not jump while a thumb moves
    el.style.minHeight = `${host.getBoundingClientRect().height}px`;
    host.classList.add("batken-live-on");
    host.appendChild(el);
  }
  const p = document.createElement("p");
  for (const [piece, bold] of pieces) {
    const node = document.createElement(bold ? "strong" : "span");
    node.textContent = piece.replace(/[\u0001-\u0004]/g, (c) => values[c] ?? "");
    p.appendChild(node);
  }
  if (over !== undefined) el.dataset.over = over ? "true" : "false";  // the budget line
  el.replaceChildren(p);
}

// The "what it buys" caption under a money lever (the element after its slider).
function caption(lever) {
  const slider = document.querySelector(`.st-key-${lever}`);
  const next = slider && slider.nextElementSibling;
  return next && next.querySelector('[data-testid="stCaptionContainer"]');
}

function drawChart(path, programme) {
  const D = STATE.data, host = document.querySelector(".st-key-grp_chart_box");
  if (!host || !D) return;
  const C = D.chart;
  let svg = host.querySelector("svg.batken-live-chart");
  const box = host.getBoundingClientRect();
  if (!svg) {
    svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    svg.setAttribute("class", "batken-live-chart");
    svg.style.cssText = "position:absolute;left:0;top:0;background:var(--background-color,#fff);z-index:4;";
    host.style.position = "relative";
    host.appendChild(svg);
  }
  const w = box.width, h = box.height;
  svg.setAttribute("width", w); svg.setAttribute("height", h);
  const first = D.first_path_year, years = C.years;
  const scen = C.scenario.map((v, i) => years[i] >= first ? path[years[i] - first] : v);
  const all = [...C.baseline, ...scen, ...C.recorded.map(r => r[1])].filter(v => isFinite(v));
  // nice round ticks, as Vega draws them
  const raw = (Math.max(...all) - Math.min(...all)) / 5;
  const mag = 10 ** Math.floor(Math.log10(raw || 1));
  const unit = [1, 2, 2.5, 5, 10].map(m => m * mag).find(s => s >= raw);
  const lo = Math.floor(Math.min(...all) / unit) * unit, hi = Math.ceil(Math.max(...all) / unit) * unit;
  // the title in the lines Vega drew it under this copy (one on a laptop, several on a
  // phone: ui/charts.title_params); each line moves the plot down
  const drawn = host.querySelector('[data-testid="stVegaLiteChart"] .role-title-text');
  const spans = drawn ? [...drawn.querySelectorAll("tspan")].map(t => t.textContent) : [];
  const titles = spans.length ? spans : drawn ? [drawn.textContent]
    : Array.isArray(C.title) ? C.title : [C.title];
  const L = 80, R = 16, T = 44 + 19 * (titles.length - 1), B = 110;
  const x = yr => L + (yr - years[0]) / (years[years.length - 1] - years[0]) * (w - L - R);
  const y = v => T + (1 - (v - lo) / (hi - lo || 1)) * (h - T - B);
  const text = (x0, y0, s, anchor, size, color, weight) =>
    `<text x="${x0}" y="${y0}" text-anchor="${anchor}" font-size="${size}" fill="${color}" ` +
    `font-weight="${weight || 400}" font-family="sans-serif">${s}</text>`;
  const esc = s => String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;");
  const pts = vals => vals.map((v, i) => `${x(years[i]).toFixed(1)},${y(v).toFixed(1)}`).join(" ");
  const line = (vals, color, dash) =>
    `<polyline fill="none" stroke="${color}" stroke-width="2" ` +
    `${dash ? 'stroke-dasharray="6 4"' : ""} points="${pts(vals)}"/>`;
  let grid = "";
  for (let v = lo; v <= hi + unit / 2; v += unit) {
    grid += `<line x1="${L}" x2="${w - R}" y1="${y(v)}" y2="${y(v)}" stroke="#eee"/>`;
    grid += text(L - 6, y(v) + 4, fmt(v, 0, D.sep), "end", 11, "#666");
  }
  for (let yr = years[0] + 1; yr <= years[years.length - 1]; yr += 4) {
    grid += text(x(yr), h - B + 16, yr, "middle", 11, "#666");
  }
  const bx = x(programme[0] - 0.5), bw = x(programme[1] + 0.5) - bx;
  const band = `<rect x="${bx}" y="${T}" width="${bw}" height="${h - T - B}" fill="#E8E8E8" opacity="0.8"/>`;
  const rec = C.recorded.map(r => `<circle cx="${x(r[0])}" cy="${y(r[1])}" r="3" fill="#000"/>`);
  const gap = Math.min(170, (w - 20) / 3);
  const legend = C.labels.map((s, i) =>
    `<circle cx="${8 + i * gap}" cy="${h - 40}" r="6" fill="${["#7A7A7A", "#0072B2", "#000"][i]}"/>` +
    text(20 + i * gap, h - 36, esc(s), "start", 12, "#333")).join("");
  const yTitle = `<text transform="translate(16,${(T + h - B) / 2}) rotate(-90)" text-anchor="middle" ` +
    `font-size="12" fill="#666" font-family="sans-serif">${esc(C.y_title)}</text>`;
  const title = titles.map((s, i) => text(0, 18 + 19 * i, esc(s), "start", 15, "#333", 600)).join("");
  svg.innerHTML = title + band + grid + yTitle +
    line(C.baseline, "#7A7A7A", true) + line(scen, "#0072B2", false) + rec.join("") + legend;
}

// The programme's years with a dragged start or end year at `value`; an end before the
// start counts as the start (scenarios/settings.py, Settings.effective).
function programmeYears(band, key, value) {
  const [start, end] = [key === "start_year" ? value : band[0], key === "end_year" ? value : band[1]];
  return [start, Math.max(start, end)];
}

function clearLive() {
  document.querySelectorAll("svg.batken-live-chart").forEach(s => s.remove());
  document.querySelectorAll(".batken-live-delta, .batken-live-sentence").forEach(e => e.remove());
  document.querySelectorAll(".batken-live-on").forEach(e => e.classList.remove("batken-live-on"));
  for (const id of STATE.still || []) {
    const el = document.querySelector(`.st-key-kpi_${id}`);
    if (el && el.style.opacity) el.style.opacity = "";  // no write when there is nothing to undo
  }
}

function show(key, value) {
  const D = STATE.data;
  if (!D || !D.grids[key]) return;
  const S = tables(D)[key];
  const i = Math.round((value - S.low) / S.step);
  if (!(i >= 0 && i < S.n)) return;
  const row = S.start + i;
  let headline = null;
  D.kpis.forEach((id, j) => {
    const c = card(D, j, id, row), digits = D.digits[id];
    if (id === "headline") { headline = change(c, 0, D.sep); return; }
    const el = document.querySelector(`.st-key-kpi_${id}`);
    if (!el) return;
    setText(el.querySelector('[data-testid="stMetricValue"]'), fmt(c.value, digits, D.sep));
    const delta = el.querySelector('[data-testid="stMetricDelta"]');
    if (delta) setText(delta.querySelector('[data-testid="stMarkdownContainer"]'), change(c, digits, D.sep));
    else liveDelta(el, c, digits, D.sep, D.grey_arrows.includes(id));
  });
  for (const id of D.still) {
    const el = document.querySelector(`.st-key-kpi_${id}`);
    if (el && el.style.opacity !== "0.35") el.style.opacity = "0.35";
  }
  const cost = fmt(D.blocks[D.cost_block][row], 0, D.sep);
  for (const sel of [".st-key-headline", ".st-key-headline_hint", ".st-key-sidebar_headline"]) {
    liveSentence(document.querySelector(sel), D.sentence, { "\u0001": headline, "\u0002": cost });
  }
  const programme = programmeYears(D.chart.band, key, value);
  if (D.budget) {  // the planner's budget: what the thumb's step leaves of it, or is over
    const B = D.budget, left = D.blocks[B.block][row], over = D.blocks[B.block + 1][row] > 0;
    liveSentence(document.querySelector(".st-key-budget_status"), over ? B.over : B.left, {
      "\u0001": fmt(Math.abs(left), 0, D.sep), "\u0002": cost,
      "\u0003": String(programme[0]), "\u0004": String(programme[1]),
    }, over);
  }
  for (const [lever, texts] of D.captions[key] || []) setText(caption(lever), texts[i]);
  drawChart(pathOf(D, row), programme);
  STATE.shown = { key: key, value: value };  // what the cards now show
}

// At most one redraw a frame, after the browser has handled the input: the slider's
// own handlers (which send the value on release) never wait for the live layer. A key
// press is sent at once, so its redraw waits until Streamlit has sent it (a timer after
// the slider's own work): drawing first made every key press reach the server ~7 ms
// later. A drag sends nothing until release, so its redraws go at the next frame.
function showSoon(key, value) {
  STATE.pending = { key: key, value: value };
  if (STATE.frame) return;
  const draw = () => {
    STATE.frame = 0;
    const p = STATE.pending;
    STATE.pending = null;
    // a settled run that arrived meanwhile has ended the live display
    if (p && p.key === STATE.active && STATE.data) show(p.key, p.value);
  };
  STATE.frame = STATE.byKey
    ? setTimeout(() => { STATE.frame = requestAnimationFrame(draw); }, KEY_DRAW_DELAY_MS)
    : requestAnimationFrame(draw);
}

function keyOf(input) {
  const holder = input.closest('[class*="st-key-"]');
  if (!holder) return null;
  const m = [...holder.classList].find(c => c.startsWith("st-key-"));
  return m ? m.slice(7) : null;
}

function sliderKey(target) {
  const slider = target && target.closest && target.closest('[data-testid="stSlider"]');
  return slider ? keyOf(slider) : null;
}

function install() {
  if (STATE.installed) return;
  STATE.installed = true;
  // Only the slider the planner is holding (pointer or keyboard) drives the display: a
  // rerun re-renders every slider, and those must not write anything.
  const grab = e => {
    const key = sliderKey(e.target);
    if (!key) return;
    STATE.active = key;
    STATE.byKey = e.type === "keydown";
    if (STATE.data) tables(STATE.data);
    const input = document.querySelector(`.st-key-${key} input[type="range"]`);
    STATE.startValue = input ? input.value : null;
  };
  document.addEventListener("pointerdown", grab, true);
  document.addEventListener("keydown", grab, true);
  const release = () => {
    const key = STATE.active;
    if (!key) return;
    const input = document.querySelector(`.st-key-${key} input[type="range"]`);
    // Back where it started: Streamlit sends nothing, so no run will replace the live
    // values; put the page back now.
    if (input && input.value === STATE.startValue) clearLive();
  };
  document.addEventListener("pointerup", release, true);
  // Back and Forward move the sliders too; only the planner's own hand drives the cards
  window.addEventListener("popstate", () => { STATE.active = null; });
  document.addEventListener("pointerdown", () => { STATE.pointerDown = true; }, true);
  document.addEventListener("pointerup", () => { STATE.pointerDown = false; }, true);
  // React Aria sets the hidden range input's value on every step of a drag (no DOM
  // event fires): watch the attribute.
  const obs = new MutationObserver(records => {
    for (const r of records) {
      const input = r.target;
      if (!(input instanceof HTMLInputElement) || input.type !== "range") continue;
      const key = keyOf(input);
      if (!key || key !== STATE.active || !STATE.data || !STATE.data.grids[key]) continue;
      const value = parseFloat(input.value);
      if (STATE.shown && STATE.shown.key === key && STATE.shown.value === value) continue;
      showSoon(key, value);
    }
  });
  obs.observe(document.body, {
    subtree: true, attributes: true, attributeFilter: ["aria-valuetext", "value"],
  });
}

// ui/live.py sends every number as integer blocks of differences (live.pack): decoded
// when the browser is idle after the data arrive, or at the latest when a thumb is
// grabbed; the cards' numbers are then worked out for the one row shown.
function tables(data) {
  if (!data.settings) decode(data);
  return data.settings;
}

function decode(data) {
  const text = atob(data.packed);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  const blocks = [];
  let offset = 0;
  for (const [width, n] of data.layout) {
    const Steps = width === 1 ? Int8Array : width === 2 ? Int16Array : Int32Array;
    const steps = new Steps(bytes.buffer, offset, n);
    const sums = new Float64Array(n);
    let acc = 0;
    for (let i = 0; i < n; i++) sums[i] = (acc += steps[i]);
    blocks.push(sums);
    offset += Math.ceil((n * width) / 4) * 4;
  }
  const settings = {};
  let start = 0;
  for (const k of Object.keys(data.grids)) {
    const [low, step, n] = data.grids[k];
    settings[k] = { low: low, step: step, n: n, start: start };
    start += n;
  }
  data.blocks = blocks;
  data.settings = settings;
  return data;
}

// Card `id` (the j-th) at `row`: its value, the change against the reference R and the
// percentage, from the shown value V and the two corrections (live.payload).
function card(data, j, id, row) {
  const scale = 10 ** data.digits[id], R = data.refs[id], B = data.blocks;
  const V = B[3 * j][row];
  const pct = data.has_pct[id]
    ? ((R ? Math.round((1000 * (V - R)) / R) : 0) + B[3 * j + 2][row]) / 10 : null;
  return { value: V / scale, diff: (V - R + B[3 * j + 1][row]) / scale, pct: pct };
}

function pathOf(data, row) {
  const P = data.blocks[data.blocks.length - 1], years = data.own_path.length;
  return data.own_path.map((own, y) => P[row * years + y] + own);
}

// A run's tables come by address (ui/live.py mount): fetched once the run has ended,
// so that ~68 KB of digits neither travel with the run's messages nor are made and read
// while the page draws. Until they arrive nothing on the page is live.
// When the browser has nothing else to do (at the latest after `timeout` ms).
const idle = window.requestIdleCallback || ((f) => setTimeout(f, 50));

function fetchTables(url) {
  STATE.fetching = url;
  // when the browser is idle: the tables are made when asked for (in the server's
  // worker), and that work must not take a core from the page's last paint
  idle(() => { if (STATE.url === url) fetchNow(url); }, { timeout: 1000 });
}

function fetchNow(url) {
  fetch(url, { cache: "no-store" })
    .then(r => (r.ok ? r.json() : null))
    .catch(() => null)
    .then(data => {
      if (STATE.url !== url) return;  // a newer run has mounted meanwhile
      STATE.arrivedAt = performance.now();  // (bench/live_drag.py reports the wait)
      if (!data) return;
      data.settings = null;
      STATE.data = data;
      STATE.still = data.still;
      idle(() => { if (STATE.data === data) tables(data); }, { timeout: 2000 });
    });
}

// The run has ended: the page shows its settled values. Put back what the live layer
// changed, and fetch the run's tables.
function runEnded() {
  STATE.shown = null;
  // Unless a thumb is held right now, no slider drives the display until the planner
  // touches one again (a rerun re-renders the sliders; those renders must write nothing).
  if (!STATE.pointerDown) STATE.active = null;
  clearLive();
  STATE.endedAt = performance.now();
  if (STATE.fetching !== STATE.url) {
    // the last run's tables were made for the levers before it: no longer this page's
    STATE.data = null;
    if (STATE.url) fetchTables(STATE.url);
  }
}

function watchRuns() {
  if (STATE.watching) return;
  STATE.watching = true;
  const app = () => document.querySelector('[data-testid="stApp"]');
  let was = app() && app().getAttribute("data-test-script-state");
  new MutationObserver(() => {
    const now = app() && app().getAttribute("data-test-script-state");
    if (now === was) return;
    was = now;
    if (now === "notRunning") runEnded();
  }).observe(document.body, { subtree: true, attributes: true,
                              attributeFilter: ["data-test-script-state"] });
}

export default function ({ data }) {
  install();
  watchRuns();
  // A new run. Until it ends the last run's tables stay: the lever just let go moved
  // from those levers, so its steps in them are this run's scenarios.
  const url = (data && data.url) || null;
  if (url === STATE.url) return;
  STATE.url = url;
  const app = document.querySelector('[data-testid="stApp"]');
  if (url && app && app.getAttribute("data-test-script-state") === "notRunning") runEnded();
}
