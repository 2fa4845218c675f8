/* mhprivbench leaderboard page: sorts and filters the table, draws privacy-vs-utility plots as inline SVG.
   Self-contained: reads the JSON in #board-data, fetches nothing. */
(() => {
  'use strict';
  const DATA = JSON.parse(document.getElementById('board-data').textContent);
  const E = DATA.entries;
  const $ = id => document.getElementById(id);
  const table = $('board');
  const tbody = table.tBodies[0];
  const headers = [...table.tHead.rows[0].cells];
  const COLORS = {anonymizer: '#1f77b4', generator: '#e67e22', trainer: '#2ca02c', baseline: '#7f7f7f'};
  const EXTRA = ['#9467bd', '#8c564b', '#e377c2', '#17becf'];
  const W = 500, H = 340, M = {l: 60, r: 16, t: 16, b: 48};

  const esc = s => String(s).replace(/[&<>"']/g, c => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'}[c]));
  const num = v => typeof v === 'number' && isFinite(v);
  const fmt = v => !num(v) ? '–' : (v !== 0 && (Math.abs(v) >= 1000 || Math.abs(v) < 0.001)) ? v.toPrecision(3) : v.toFixed(3);
  const families = [...new Set(E.map(e => e.family))].sort();
  const color = f => COLORS[f] || EXTRA[families.indexOf(f) % EXTRA.length];

  /* ---- filters ---- */
  function filterState() {
    return {dataset: $('f-dataset').value, family: $('f-family').value, mechanism: $('f-mechanism').value,
            text: $('f-text').value.trim().toLowerCase(), pareto: $('f-pareto').checked};
  }
  function matches(e, s) {
    if ((s.dataset && e.dataset !== s.dataset) || (s.family && e.family !== s.family)) return false;
    if ((s.mechanism && e.mechanism !== s.mechanism) || (s.pareto && !e.pareto)) return false;
    const hay = (e.label + ' ' + JSON.stringify(e.params) + ' ' + e.family + ' ' + e.dataset).toLowerCase();
    return !s.text || hay.includes(s.text);
  }
  function applyFilters() {
    const s = filterState();
    let shown = 0;
    for (const row of tbody.rows) {
      const ok = matches(E[+row.dataset.i], s);
      row.classList.toggle('hidden', !ok);
      shown += ok;
    }
    $('count').textContent = `${shown} of ${E.length} entries shown`;
    drawPlots();
  }

  /* ---- metric columns ---- */
  function showColumns() {
    const group = $('f-metrics').value;
    const on = {};
    for (const th of headers) {
      if (!th.dataset.m) continue;
      on[th.dataset.m] = group === 'all' || (group === 'headline' ? th.dataset.g === 'headline'
        : th.dataset.m.split('.')[0] === group);
      th.classList.toggle('hidden', !on[th.dataset.m]);
    }
    for (const td of tbody.querySelectorAll('td[data-m]')) td.classList.toggle('hidden', !on[td.dataset.m]);
  }

  /* ---- sorting ---- */
  function sortKey(row, col) {
    const cell = row.cells[col];
    if (cell.dataset.v !== undefined) {
      const x = parseFloat(cell.dataset.v);
      return isNaN(x) ? null : x;
    }
    const text = cell.textContent.replace('\u2605', '').trim().toLowerCase();
    return text || null;
  }
  function sortBy(th) {
    const first = th.dataset.dir === 'desc' ? 'descending' : 'ascending';
    const next = th.getAttribute('aria-sort') === first ? (first === 'ascending' ? 'descending' : 'ascending') : first;
    headers.forEach(h => h.removeAttribute('aria-sort'));
    th.setAttribute('aria-sort', next);
    const sign = next === 'ascending' ? 1 : -1;
    const rows = [...tbody.rows].map((r, i) => [r, sortKey(r, th.cellIndex), i]);
    rows.sort((a, b) => {
      if (a[1] === null || b[1] === null) return (a[1] === null) - (b[1] === null) || a[2] - b[2];
      const c = typeof a[1] === 'number' && typeof b[1] === 'number' ? a[1] - b[1] : String(a[1]).localeCompare(String(b[1]));
      return c * sign || a[2] - b[2];
    });
    rows.forEach(([r]) => tbody.appendChild(r));
  }

  /* ---- plots ---- */
  const ref = s => Math.max(num(s[3]) ? s[3] : 0, num(s[4]) ? s[4] : 0);  // the larger of baseline and control
  const median = v => { const s = [...v].sort((a, b) => a - b); return s.length ? s[Math.floor(s.length / 2)] : null; };

  function paretoFront(points) {
    // lower risk (clipped at its baseline/control: below chance is not safer), higher utility; entries whose utility
    // interval does not clear its baseline are left off, as on the leaderboard
    const cand = points.filter(p => !num(p.y[3]) || p.y[1] > p.y[3])
      .map(p => ({p, rx: Math.max(p.x[0], ref(p.x)), ry: p.y[0]}))
      .sort((a, b) => a.rx - b.rx || b.ry - a.ry);
    const out = [];
    let best = -Infinity;
    for (const c of cand) if (c.ry > best) { out.push(c.p); best = c.ry; }
    return out;
  }
  function ticks(lo, hi) {
    const raw = (hi - lo) / 5, mag = Math.pow(10, Math.floor(Math.log10(raw)));
    const step = [1, 2, 2.5, 5, 10].map(m => m * mag).find(s => s >= raw);
    const out = [];
    for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(+v.toFixed(10));
    return out;
  }
  function domain(values) {
    let lo = Math.min(...values), hi = Math.max(...values);
    if (hi - lo < 1e-9) { lo -= 0.05; hi += 0.05; }
    const pad = (hi - lo) * 0.06;
    return [lo >= 0 && lo - pad < 0 ? -pad / 2 : lo - pad, hi + pad];
  }
  function axes(sx, sy, xd, yd, xm, ym) {
    let s = '';
    for (const t of ticks(...xd)) s += `<line class="grid" x1="${sx(t)}" x2="${sx(t)}" y1="${M.t}" y2="${H - M.b}"/>`
      + `<text class="tick" x="${sx(t)}" y="${H - M.b + 14}" text-anchor="middle">${fmt(t)}</text>`;
    for (const t of ticks(...yd)) s += `<line class="grid" x1="${M.l}" x2="${W - M.r}" y1="${sy(t)}" y2="${sy(t)}"/>`
      + `<text class="tick" x="${M.l - 5}" y="${sy(t) + 4}" text-anchor="end">${fmt(t)}</text>`;
    s += `<line class="axis" x1="${M.l}" x2="${W - M.r}" y1="${H - M.b}" y2="${H - M.b}"/>`
      + `<line class="axis" x1="${M.l}" x2="${M.l}" y1="${M.t}" y2="${H - M.b}"/>`
      + `<text class="title" x="${(M.l + W - M.r) / 2}" y="${H - 10}" text-anchor="middle">${esc(xm)} (lower is better)</text>`
      + `<text class="title" transform="translate(14 ${(M.t + H - M.b) / 2}) rotate(-90)" text-anchor="middle">${esc(ym)} (higher is better)</text>`;
    return s;
  }
  function refLines(points, sx, sy) {
    const xr = median(points.map(p => ref(p.x))), yr = median(points.filter(p => num(p.y[3])).map(p => p.y[3]));
    let s = '';
    if (num(xr)) s += `<line class="ref" x1="${sx(xr)}" x2="${sx(xr)}" y1="${M.t}" y2="${H - M.b}"/>`
      + `<text class="ref-label" x="${sx(xr) + 3}" y="${M.t + 10}">baseline/control ${fmt(xr)}</text>`;
    if (num(yr)) s += `<line class="ref" x1="${M.l}" x2="${W - M.r}" y1="${sy(yr)}" y2="${sy(yr)}"/>`
      + `<text class="ref-label" x="${W - M.r - 3}" y="${sy(yr) - 3}" text-anchor="end">baseline ${fmt(yr)}</text>`;
    return [s, xr, yr];
  }
  function pointSvg(p, sx, sy) {
    const c = color(p.e.family), x = sx(p.x[0]), y = sy(p.y[0]);
    return `<g><line class="bar" stroke="${c}" x1="${sx(p.x[1])}" x2="${sx(p.x[2])}" y1="${y}" y2="${y}"/>`
      + `<line class="bar" stroke="${c}" x1="${x}" x2="${x}" y1="${sy(p.y[1])}" y2="${sy(p.y[2])}"/>`
      + `<circle class="pt${p.e.pareto ? ' pareto' : ''}" data-i="${p.i}" tabindex="0" cx="${x}" cy="${y}" r="5.5" fill="${c}">`
      + `<title>${esc(p.e.label)}</title></circle></g>`;
  }
  function plotHtml(dataset, rows, xm, ym) {
    const points = rows.filter(([e]) => e.scores[xm] && e.scores[ym])
      .map(([e, i]) => ({e, i, x: e.scores[xm], y: e.scores[ym]}));
    const missing = rows.length - points.length;
    const note = missing ? `<p class="note">${missing} entr${missing === 1 ? 'y has' : 'ies have'} no ${esc(xm)} or ${esc(ym)}: not shown.</p>` : '';
    if (!points.length) return `<div class="plot" data-dataset="${esc(dataset)}"><h3>${esc(dataset)}</h3>${note}</div>`;
    const xd = domain(points.flatMap(p => [p.x[1], p.x[2], ref(p.x)]));
    const yd = domain(points.flatMap(p => [p.y[1], p.y[2]].concat(num(p.y[3]) ? [p.y[3]] : [])));
    const sx = v => +(M.l + (v - xd[0]) / (xd[1] - xd[0]) * (W - M.l - M.r)).toFixed(1);
    const sy = v => +(H - M.b - (v - yd[0]) / (yd[1] - yd[0]) * (H - M.t - M.b)).toFixed(1);
    const front = paretoFront(points);
    let stairs = '';
    front.forEach((p, k) => {
      stairs += k ? ` ${sx(p.x[0])},${sy(front[k - 1].y[0])} ${sx(p.x[0])},${sy(p.y[0])}` : `${sx(p.x[0])},${sy(p.y[0])}`;
    });
    const line = front.length ? `<polyline class="front-line" data-n="${front.length}" points="${stairs}"/>` : '';
    const [refs] = refLines(points, sx, sy);
    return `<div class="plot" data-dataset="${esc(dataset)}"><h3>${esc(dataset)}: ${points.length} entries, `
      + `${front.length} on the front</h3><svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" `
      + `aria-label="${esc(ym)} against ${esc(xm)} on ${esc(dataset)}">${axes(sx, sy, xd, yd, xm, ym)}${refs}${line}`
      + `${points.map(p => pointSvg(p, sx, sy)).join('')}</svg>${note}</div>`;
  }
  function legend() {
    return families.map(f => `<span><i style="background:${color(f)}"></i>${esc(f)}</span>`).join('')
      + '<span>black ring: Pareto-optimal on utility and all headline risks (&#9733;)</span>'
      + '<span>red dashed line: Pareto front on these two axes</span>'
      + '<span>bars: 95% intervals</span>';
  }
  function drawPlots() {
    const xm = $('x-metric').value, ym = $('y-metric').value, s = filterState();
    const rows = E.map((e, i) => [e, i]).filter(([e]) => matches(e, s));
    const datasets = [...new Set(rows.map(([e]) => e.dataset))].sort();
    $('plot-note').innerHTML = `<span class="legend">${legend()}</span><br>The front on two axes treats a risk at or `
      + 'below its baseline or control as equal to it (below chance is not safer) and leaves out entries whose utility '
      + 'interval does not clear its baseline. Hover or focus a point for its parameters and intervals.';
    $('plots').innerHTML = datasets.map(d => plotHtml(d, rows.filter(([e]) => e.dataset === d), xm, ym)).join('')
      || '<p>No entry matches the filters.</p>';
  }

  /* ---- tooltip ---- */
  function metricRow(name, s) {
    if (!s) return `<tr><td>${esc(name)}</td><td>not applicable</td></tr>`;
    const extra = [num(s[3]) ? `baseline ${fmt(s[3])}` : '', num(s[4]) ? `control ${fmt(s[4])}` : ''].filter(Boolean);
    return `<tr><td>${esc(name)}</td><td>${fmt(s[0])} [${fmt(s[1])}, ${fmt(s[2])}]${extra.length ? '; ' + extra.join(', ') : ''}</td></tr>`;
  }
  function tipHtml(e) {
    const params = Object.entries(e.params).map(([k, v]) => `${esc(k)}=${esc(JSON.stringify(v))}`).join(', ') || 'defaults';
    const dp = !num(e.epsilon) ? 'no DP guarantee'
      : `&epsilon; ${fmt(e.epsilon)}, &delta; ${num(e.delta) ? e.delta.toPrecision(2) : '–'} (${esc(e.unit || 'undeclared unit')}, `
        + `${esc(e.relation || 'undeclared relation')})${num(e.eps_author) ? `; author-level &epsilon; ${fmt(e.eps_author)}` : ''}`;
    return `<b>${esc(e.label)}</b>${esc(e.dataset)} &middot; ${esc(e.family)} &middot; ${e.seeds} seed(s)`
      + `${e.pareto ? ' &middot; &#9733; Pareto-optimal' : ''}<table><tr><td>parameters</td><td>${params}</td></tr>`
      + `<tr><td>guarantee</td><td>${dp}</td></tr>${metricRow($('x-metric').value, e.scores[$('x-metric').value])}`
      + `${metricRow($('y-metric').value, e.scores[$('y-metric').value])}`
      + `${num(e.relative) ? `<tr><td>utility vs non-private</td><td>${e.relative.toFixed(2)}</td></tr>` : ''}</table>`;
  }
  function showTip(target, x, y) {
    const tip = $('tip');
    tip.innerHTML = tipHtml(E[+target.dataset.i]);
    tip.hidden = false;
    const w = tip.offsetWidth, h = tip.offsetHeight;
    tip.style.left = `${Math.min(x + 14, window.innerWidth - w - 8)}px`;
    tip.style.top = `${y + 14 + h > window.innerHeight ? y - h - 10 : y + 14}px`;
  }
  const plots = $('plots');
  plots.addEventListener('mouseover', ev => { if (ev.target.dataset.i) showTip(ev.target, ev.clientX, ev.clientY); });
  plots.addEventListener('mouseout', ev => { if (ev.target.dataset.i) $('tip').hidden = true; });
  plots.addEventListener('focusin', ev => {
    if (ev.target.dataset.i) { const r = ev.target.getBoundingClientRect(); showTip(ev.target, r.right, r.bottom); }
  });
  plots.addEventListener('focusout', () => { $('tip').hidden = true; });

  /* ---- wiring ---- */
  headers.forEach(th => {
    th.tabIndex = 0;
    th.addEventListener('click', () => sortBy(th));
    th.addEventListener('keydown', ev => { if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); sortBy(th); } });
  });
  ['f-dataset', 'f-family', 'f-mechanism', 'f-pareto'].forEach(id => $(id).addEventListener('change', applyFilters));
  $('f-text').addEventListener('input', applyFilters);
  $('f-metrics').addEventListener('change', showColumns);
  ['x-metric', 'y-metric'].forEach(id => $(id).addEventListener('change', drawPlots));
  showColumns();
  applyFilters();
  document.body.dataset.ready = '1';
})();
