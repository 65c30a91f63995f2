/*
 * The live dashboard (served at / by the controller). Plain ES2017, no build step: it polls
 * /api/status, /api/history and /api/decisions, draws the charts with Chart.js and the shared
 * chart helpers (window.BountybotCharts, src/charts/chart-kit.js), and sends the control calls
 * with the token the operator types. Every text from the server goes in with textContent.
 * Tests wait for body[data-rendered="yes"]; data-refreshes counts completed refreshes.
 */
(function () {
  'use strict';
  var kit = window.BountybotCharts;
  var Chart = window.Chart;
  var COLORS = {
    provisioned: '#0550ae', ready: '#1a7f37', busy: '#bf8700', desired: '#cf222e', draining: '#8250df',
    queue: '#0550ae', wait: '#953800', p50: '#1a7f37', p95: '#0550ae', processing: '#8250df',
    target: '#57606a', slo: '#cf222e', arrivals: '#24292f', forecast: '#0969da',
    hourly: '#0550ae', daily: '#1a7f37', monthly: '#8250df', shadow: '#0969da', observed: '#57606a',
  };
  var PERIODS = ['hourly', 'daily', 'monthly'];
  var PERIOD_KEY = { hourly: 'Hourly', daily: 'Daily', monthly: 'Monthly' };
  var BACKEND_KEYS = ['backend', 'queueBackend', 'actuatorKind', 'leader', 'leadership', 'fallback', 'kubernetes'];
  var state = { status: null, history: null, decisions: [], rangeMs: 3600000, charts: {}, refreshes: 0, timer: null, logKey: '' };

  function $(id) { return document.getElementById(id); }

  /** Builds an element; `text` always goes in as text, never as HTML. */
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }
  function isNum(v) { return typeof v === 'number' && isFinite(v); }
  function fmt(v, digits) { return isNum(v) ? v.toFixed(digits === undefined ? 0 : digits) : '–'; }
  function pct(v, digits) { return isNum(v) ? (v * 100).toFixed(digits === undefined ? 1 : digits) + ' %' : '–'; }
  function money(v) { return isNum(v) ? '$' + v.toFixed(2) : '–'; }
  function pad(n) { return n < 10 ? '0' + n : String(n); }
  var DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  function fmtTime(ms, withSeconds) {
    var d = new Date(ms);
    var hm = pad(d.getHours()) + ':' + pad(d.getMinutes());
    if (withSeconds) hm += ':' + pad(d.getSeconds());
    return state.rangeMs > 86400000 ? DAYS[d.getDay()] + ' ' + hm : hm;
  }
  function fmtStamp(iso) {
    var d = new Date(iso);
    return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + ' ' + pad(d.getHours()) + ':' + pad(d.getMinutes()) + ':' + pad(d.getSeconds());
  }

  function getJson(url) {
    return fetch(url, { cache: 'no-store', headers: { Accept: 'application/json' } }).then(function (r) {
      return r.json().then(function (body) {
        if (!r.ok) throw new Error(url + ': ' + r.status + ' ' + (body && body.error ? body.error : r.statusText));
        return body;
      });
    });
  }

  // ----- charts -----

  function timeAxis() {
    return {
      type: 'linear',
      ticks: { maxTicksLimit: 7, maxRotation: 0, autoSkip: true, callback: function (v) { return fmtTime(v, state.rangeMs <= 3600000); } },
    };
  }
  function rightAxis(title, extra) {
    var a = { type: 'linear', position: 'right', beginAtZero: true, title: { display: true, text: title }, grid: { drawOnChartArea: false } };
    if (extra) for (var k in extra) a[k] = extra[k];
    return a;
  }
  function makeChart(id, datasets, yTitle, extraScales) {
    var options = kit.options(yTitle, false, timeAxis());
    options.plugins.tooltip = {
      callbacks: { title: function (items) { return items.length ? fmtTime(items[0].parsed.x, true) : ''; } },
    };
    if (extraScales) for (var k in extraScales) options.scales[k] = extraScales[k];
    state.charts[id] = new Chart($(id), { type: 'line', data: { datasets: datasets }, options: options });
    return state.charts[id];
  }
  function stepLine(name, color, extra) {
    var e = { stepped: 'before' };
    if (extra) for (var k in extra) e[k] = extra[k];
    return kit.line(name, [], color, e);
  }
  function markers(name, color, style, rotation) {
    return { type: 'scatter', label: name, data: [], borderColor: color, backgroundColor: color, pointStyle: style,
      rotation: rotation || 0, pointRadius: 6, pointHoverRadius: 8, showLine: false };
  }

  function createCharts() {
    makeChart('chart-fleet', [
      stepLine('provisioned', COLORS.provisioned, { borderWidth: 2 }),
      stepLine('ready', COLORS.ready, { borderDash: [6, 3] }),
      kit.line('busy', [], COLORS.busy, { backgroundColor: kit.alpha(COLORS.busy, '40'), fill: 'origin', borderWidth: 1 }),
      stepLine('desired', COLORS.desired, { borderDash: [3, 3], borderWidth: 2 }),
      markers('scale up', COLORS.ready, 'triangle', 0),
      markers('scale down', '#953800', 'triangle', 180),
      markers('gate changed target', '#633c01', 'crossRot', 0),
    ], 'workers');
    makeChart('chart-queue', [
      kit.line('jobs waiting', [], COLORS.queue, { backgroundColor: kit.alpha(COLORS.queue, '30'), fill: 'origin' }),
      kit.line('oldest wait (s)', [], COLORS.wait, { yAxisID: 'y1' }),
    ], 'jobs waiting', { y1: rightAxis('oldest wait, s') });
    makeChart('chart-latency', [
      kit.line('end-to-end p50', [], COLORS.p50),
      kit.line('end-to-end p95', [], COLORS.p95, { borderWidth: 2 }),
      kit.line('processing p95', [], COLORS.processing, { borderDash: [4, 3] }),
      kit.line('target_latency_seconds', [], COLORS.target, { borderDash: [8, 4] }),
      kit.line('SLO', [], COLORS.slo, { borderDash: [8, 4], borderWidth: 2 }),
    ], 'seconds');
    makeChart('chart-slo', [
      kit.line('within SLO, per point (%)', [], COLORS.p95, { borderWidth: 2 }),
      kit.line('SLO target (%)', [], COLORS.slo, { borderDash: [8, 4] }),
      kit.line('error budget left (%)', [], COLORS.wait, { yAxisID: 'y1' }),
    ], '% of jobs within the SLO', { y1: rightAxis('error budget left, %', { beginAtZero: false, suggestedMin: 0, suggestedMax: 100 }) });
    makeChart('chart-forecast', [
      kit.line('arrivals / min', [], COLORS.arrivals, { borderWidth: 2 }),
      kit.line('forecast / min', [], COLORS.forecast, { borderDash: [5, 3], borderWidth: 2 }),
      kit.line('band high', [], kit.alpha(COLORS.forecast, '55'), { borderWidth: 0, pointRadius: 0 }),
      kit.line('band low', [], kit.alpha(COLORS.forecast, '55'), { borderWidth: 0, fill: '-1', backgroundColor: kit.alpha(COLORS.forecast, '26') }),
    ], 'jobs per minute');
    var budget = [];
    PERIODS.forEach(function (p) {
      budget.push(kit.line(p + ' spent (%)', [], COLORS[p], { borderWidth: 2 }));
      budget.push(kit.line(p + ' projected (%)', [], COLORS[p], { borderDash: [5, 3] }));
    });
    budget.push(kit.line('alert threshold', [], '#953800', { borderDash: [8, 4] }));
    budget.push(kit.line('budget (100 %)', [], COLORS.slo, { borderDash: [2, 2] }));
    makeChart('chart-budget', budget, '% of budget');
    makeChart('chart-shadow', [
      stepLine('observed fleet', COLORS.observed, { borderWidth: 2 }),
      stepLine('bountybot would have run', COLORS.shadow, { borderWidth: 2 }),
    ], 'workers');
  }

  function series(points, key, scale) {
    var out = [];
    for (var i = 0; i < points.length; i++) {
      var v = points[i][key];
      out.push({ x: points[i].at, y: isNum(v) ? (scale ? v * scale : v) : null });
    }
    return out;
  }
  function flat(x0, x1, y) { return isNum(y) ? [{ x: x0, y: y }, { x: x1, y: y }] : []; }
  function setData(chart, lists, x0, x1) {
    for (var i = 0; i < lists.length; i++) if (chart.data.datasets[i]) chart.data.datasets[i].data = lists[i];
    chart.options.scales.x.min = x0;
    chart.options.scales.x.max = x1;
    chart.update('none');
  }

  /** The actual arrivals nearest to `t` (within one bucket), for the forecast's error. */
  function actualAt(points, t, bucketMs) {
    var lo = 0, hi = points.length - 1;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (points[mid].at < t) lo = mid + 1; else hi = mid;
    }
    var best = null;
    [lo - 1, lo].forEach(function (i) {
      var p = points[i];
      if (p && isNum(p.arrivalsPerMinute) && Math.abs(p.at - t) <= Math.max(bucketMs, 1000) && (best === null || Math.abs(p.at - t) < Math.abs(best.at - t))) best = p;
    });
    return best ? best.arrivalsPerMinute : null;
  }

  function renderCharts() {
    var h = state.history, s = state.status;
    if (!h || !s) return;
    var pts = h.points, obj = s.objectives || {};
    var x1 = Math.max(h.toMs, Date.now());
    var x0 = Math.max(h.fromMs, isNum(h.firstMs) ? h.firstMs : h.fromMs);
    if (pts.length && pts[0].at < x0) x0 = pts[0].at;
    $('resolution').textContent = pts.length + ' points, ' + fmtDuration(h.bucketMs) + ' each; ' + h.totals.samples + ' evaluations in range';

    var up = [], down = [], gated = [];
    h.markers.forEach(function (m) {
      var p = { x: m.at, y: m.acted ? m.desired : m.target };
      if (m.acted && m.desired > m.from) up.push(p);
      else if (m.acted && m.desired < m.from) down.push(p);
      if (m.target !== m.desired) gated.push({ x: m.at, y: m.target });
    });
    setData(state.charts['chart-fleet'], [series(pts, 'provisioned'), series(pts, 'ready'), series(pts, 'busy'), series(pts, 'desired'), up, down, gated], x0, x1);
    setData(state.charts['chart-queue'], [series(pts, 'queueDepth'), series(pts, 'oldestWaitSeconds')], x0, x1);
    setData(state.charts['chart-latency'], [
      series(pts, 'turnaroundP50Seconds'), series(pts, 'turnaroundP95Seconds'), series(pts, 'p95LatencySeconds'),
      flat(x0, x1, obj.targetLatencySeconds), flat(x0, x1, obj.sloSeconds),
    ], x0, x1);
    $('latency-note').textContent = 'End-to-end = enqueue → end (what the SLO measures); processing = start → end (what target_latency_seconds ' +
      (isNum(obj.targetLatencySeconds) ? '= ' + obj.targetLatencySeconds + ' s ' : '') + 'scores). SLO ' +
      (isNum(obj.sloSeconds) ? obj.sloSeconds + ' s' : 'n/a') + (obj.sloSource === 'default' ? ' (default; set slo_seconds to change it)' : '') + '. Maximum per point.';

    // SLO: per-point attainment, and the error budget left counted from the start of the range.
    var target = isNum(obj.sloTarget) ? obj.sloTarget : 0.99;
    var att = [], left = [], ended = 0, within = 0;
    pts.forEach(function (p) {
      var e = p.ended || 0, w = p.withinSlo || 0;
      att.push({ x: p.at, y: e > 0 ? (100 * w) / e : null });
      ended += e; within += w;
      var allowed = (1 - target) * ended;
      left.push({ x: p.at, y: ended > 0 ? Math.max(-100, 100 * (1 - (ended - within) / Math.max(allowed, 1e-9))) : null });
    });
    setData(state.charts['chart-slo'], [att, flat(x0, x1, target * 100), left], x0, x1);
    var t = h.totals;
    $('slo-note').textContent = t.ended > 0
      ? t.withinSlo + ' of ' + t.ended + ' jobs ended in this range finished within ' + fmt(obj.sloSeconds) + ' s (' + pct(t.withinSlo / t.ended, 2) +
        ', target ' + pct(target, 2) + '). Error budget: ' + Math.round((1 - target) * t.ended * 100) / 100 + ' misses allowed, ' + (t.ended - t.withinSlo) + ' used.'
      : 'No job ended in this range yet.';

    // Forecast drawn at the time it is for; the band is ± its measured mean absolute error.
    var fc = [], errSum = 0, errN = 0;
    pts.forEach(function (p) {
      if (!isNum(p.forecastPerMinute)) return;
      var at = p.at + (isNum(p.forecastHorizonMinutes) ? p.forecastHorizonMinutes : 0) * 60000;
      fc.push({ x: at, y: p.forecastPerMinute });
      var a = actualAt(pts, at, h.bucketMs);
      if (a !== null) { errSum += Math.abs(p.forecastPerMinute - a); errN++; }
    });
    var mae = errN > 0 ? errSum / errN : 0;
    var hi = fc.map(function (p) { return { x: p.x, y: p.y + mae }; });
    var lo = fc.map(function (p) { return { x: p.x, y: Math.max(0, p.y - mae) }; });
    var fx1 = fc.length ? Math.max(x1, fc[fc.length - 1].x) : x1;
    setData(state.charts['chart-forecast'], [series(pts, 'arrivalsPerMinute'), fc, hi, lo], x0, fx1);
    state.charts['chart-forecast'].data.datasets[2].label = 'band ± ' + fmt(mae, 1) + ' /min';

    var budgets = s.budget || {};
    var lists = [];
    PERIODS.forEach(function (p) {
      var b = budgets[p] && budgets[p].budget;
      lists.push(isNum(b) && b > 0 ? series(pts, 'spend' + PERIOD_KEY[p], 100 / b) : []);
      lists.push(isNum(b) && b > 0 ? series(pts, 'projected' + PERIOD_KEY[p], 100 / b) : []);
    });
    lists.push(flat(x0, x1, isNum(obj.alertThreshold) ? obj.alertThreshold * 100 : null));
    lists.push(flat(x0, x1, 100));
    setData(state.charts['chart-budget'], lists, x0, x1);
  }

  function fmtDuration(ms) {
    if (ms < 1000) return ms + ' ms';
    if (ms < 120000) return Math.round(ms / 1000) + ' s';
    if (ms < 7200000) return Math.round(ms / 60000) + ' min';
    return (ms / 3600000).toFixed(1) + ' h';
  }

  // ----- cards, badges, backend -----

  function card(parent, key, value, sub, tone) {
    var c = el('div', 'card' + (tone ? ' ' + tone : '') + (String(value).length > 12 ? ' long' : ''));
    c.appendChild(el('div', 'k', key));
    c.appendChild(el('div', 'v', value));
    if (sub) c.appendChild(el('div', 's', sub));
    parent.appendChild(c);
  }

  function renderNow() {
    var s = state.status;
    var mode = s.mode || (s.dryRun ? 'dry-run' : 'live');
    var badge = $('mode');
    badge.textContent = mode;
    badge.className = 'badge ' + mode;
    $('paused').hidden = !(s.pause && s.pause.paused);
    if (s.pause && s.pause.paused) $('paused').textContent = 'paused since ' + fmtStamp(s.pause.since);
    $('override').hidden = !s.override;
    if (s.override) $('override').textContent = 'override: ' + s.override.workers + ' workers until ' + fmtStamp(s.override.expiresAt);
    var err = $('last-error');
    err.hidden = !s.lastError;
    if (s.lastError) err.textContent = 'Last evaluation failed: ' + s.lastError;

    var cards = $('cards');
    clear(cards);
    var m = s.metrics || {}, f = s.fleet || {}, q = s.queue || {}, obj = s.objectives || {};
    card(cards, 'Workers', fmt(f.provisioned), 'ready ' + fmt(f.ready) + ', draining ' + fmt(f.draining) + '; desired ' + fmt(s.desiredWorkers));
    card(cards, 'Queue', fmt(q.waiting), 'running ' + fmt(q.inFlight) + '; oldest wait ' + fmt(m.oldestWaitSeconds, 1) + ' s');
    var fc = s.forecast;
    card(cards, 'Arrivals', fmt(m.arrivalsPerMinute, 1) + ' /min',
      fc ? 'forecast ' + fmt(fc.predictedValidationsPerMinute, 1) + ' /min in ' + fmt(fc.timeHorizonMinutes) + ' min (confidence ' + pct(fc.confidence, 0) + ')' : 'no forecast yet');
    var last = state.history && state.history.points.length ? state.history.points[state.history.points.length - 1] : {};
    var slo = obj.sloSeconds;
    card(cards, 'Latency p95 (end-to-end)', fmt(last.turnaroundP95Seconds, 1) + ' s',
      'SLO ' + fmt(slo) + ' s; processing avg ' + fmt(m.avgLatencySeconds, 1) + ' s vs target ' + fmt(obj.targetLatencySeconds) + ' s',
      isNum(last.turnaroundP95Seconds) && isNum(slo) ? (last.turnaroundP95Seconds > slo ? 'bad' : 'ok') : '');
    var t = state.history ? state.history.totals : null;
    var target = isNum(obj.sloTarget) ? obj.sloTarget : 0.99;
    if (t && t.ended > 0) {
      var att = t.withinSlo / t.ended;
      var left = 1 - (t.ended - t.withinSlo) / Math.max((1 - target) * t.ended, 1e-9);
      card(cards, 'SLO attainment (range)', pct(att, 2), 'target ' + pct(target, 2) + ' within ' + fmt(slo) + ' s', att >= target ? 'ok' : 'bad');
      card(cards, 'Error budget left', pct(Math.max(-1, left), 0), (t.ended - t.withinSlo) + ' misses of ' + t.ended + ' jobs', left >= 0 ? 'ok' : 'bad');
    } else {
      card(cards, 'SLO attainment (range)', '–', 'no job ended in range yet');
    }
    var hb = s.budget && s.budget.hourly;
    if (hb) card(cards, 'Spend this hour', money(hb.current), 'of ' + money(hb.budget) + '; projected ' + money(hb.projected),
      hb.status === 'healthy' ? '' : 'bad');
    var d = s.decisions && s.decisions[0];
    if (d) card(cards, 'Last decision', d.action.replace('_', ' ') + ' → ' + d.appliedWorkers, fmtStamp(d.at));
    renderBudgetTable(s.budget);
    renderBackend(s);
    renderShadow(s.shadow);
  }

  function renderBudgetTable(budget) {
    var body = document.querySelector('#budget-table tbody');
    clear(body);
    PERIODS.forEach(function (p) {
      var b = budget && budget[p];
      if (!b) return;
      var tr = el('tr');
      tr.appendChild(el('th', '', p)).setAttribute('scope', 'row');
      [money(b.current), money(b.budget), money(b.projected)].forEach(function (v) { tr.appendChild(el('td', 'num', v)); });
      tr.appendChild(el('td', '', b.status.replace('_', ' ')));
      body.appendChild(tr);
    });
  }

  function describeValue(v) {
    if (v === null || v === undefined) return '–';
    if (typeof v === 'object') {
      return Object.keys(v).map(function (k) {
        var x = v[k];
        return k + ': ' + (x !== null && typeof x === 'object' ? JSON.stringify(x) : String(x));
      }).join(', ');
    }
    return String(v);
  }

  /** Redis / Kubernetes state (leader, fallback, backend) when the controller reports it. */
  function renderBackend(s) {
    var dl = $('backend');
    clear(dl);
    var any = false;
    BACKEND_KEYS.forEach(function (k) {
      if (s[k] === undefined) return;
      any = true;
      dl.appendChild(el('dt', '', k));
      dl.appendChild(el('dd', '', describeValue(s[k])));
    });
    dl.hidden = !any;
  }

  function renderShadow(sh) {
    var section = $('shadow');
    section.hidden = !sh;
    if (!sh) return;
    $('shadow-note').textContent = sh.note || '';
    var cards = $('shadow-cards');
    clear(cards);
    var c = sh.counterfactual, o = sh.observed;
    if (!c || !o) {
      card(cards, 'Counterfactual', '–', sh.reason || 'not enough observed history yet');
      return;
    }
    card(cards, 'Observed fleet', fmt(o.meanWorkers, 2) + ' workers', 'peak ' + fmt(o.peakWorkers) + '; cost ' + money(o.cost));
    card(cards, 'bountybot would run', fmt(c.meanWorkers, 2) + ' workers', 'peak ' + fmt(c.peakWorkers) + '; cost ' + money(c.cost));
    var diff = c.cost - o.cost;
    card(cards, 'Cost difference so far', (diff <= 0 ? '−' : '+') + money(Math.abs(diff)),
      o.cost > 0 ? pct(diff / o.cost, 1) + ' vs observed' : '', diff <= 0 ? 'ok' : 'bad');
    card(cards, 'SLO observed', pct(o.sloAttainment, 2), o.jobs + ' jobs; within ' + fmt(sh.sloSeconds) + ' s');
    card(cards, 'SLO bountybot would meet', pct(c.sloAttainment, 2), 'p95 ' + fmt(c.p95Seconds, 1) + ' s', c.sloAttainment >= (sh.sloTarget || 0) ? 'ok' : 'bad');
    var series0 = (sh.series || []).map(function (p) { return { x: p.at, y: p.observed }; });
    var series1 = (sh.series || []).map(function (p) { return { x: p.at, y: p.counterfactual }; });
    var x0 = series0.length ? series0[0].x : Date.now() - 60000, x1 = series0.length ? series0[series0.length - 1].x : Date.now();
    setData(state.charts['chart-shadow'], [series0, series1], x0, x1);
  }

  // ----- decision log -----

  function stageLines(d) {
    if (Array.isArray(d.limits) && d.limits.length) {
      return d.limits.map(function (l) {
        var moved = isNum(l.from) && isNum(l.to) && l.from !== l.to ? ' (' + l.from + ' → ' + l.to + ')' : '';
        return { stage: l.stage + (l.code ? ' · ' + l.code : ''), text: (l.message || '') + moved };
      });
    }
    var lines = d.reasoning || [];
    var gates = d.gates ? d.gates.length : 0;
    return lines.slice(0, lines.length - gates).map(function (r) { return { stage: '', text: r }; });
  }

  var LOG_LIMIT = 50;
  /** The line that explains the outcome best: a hold (cooldown, stabilize, budget) or the scaling step itself. */
  function keyReason(lines) {
    var pick = null;
    var KEY = /cooldown|stabiliz|budget|panic|predictive|scaling (up|down)|clamp/i;
    lines.forEach(function (l) { if (!pick && KEY.test(l.stage + ' ' + l.text)) pick = l; });
    pick = pick || lines[lines.length - 1];
    if (!pick) return '';
    var t = (pick.stage ? pick.stage + ': ' : '') + pick.text;
    return t.length > 110 ? t.slice(0, 109) + '…' : t;
  }

  function matches(d, f) {
    if (f.action && d.action !== f.action) return false;
    if (f.gated && !(d.gates && d.gates.some(function (g) { return g.from !== g.to; }))) return false;
    if (f.changed && d.appliedWorkers === d.currentWorkers) return false;
    if (f.text) {
      var hay = (d.reasoning || []).join('\n').toLowerCase() + JSON.stringify(d.limits || []).toLowerCase();
      if (hay.indexOf(f.text) < 0) return false;
    }
    return true;
  }

  function renderLog() {
    var f = {
      text: $('f-text').value.trim().toLowerCase(), action: $('f-action').value, gated: $('f-gated').checked, changed: $('f-changed').checked,
    };
    var ds = state.decisions;
    var key = JSON.stringify(f) + '|' + ds.length + '|' + (ds[0] ? ds[0].at : '');
    if (key === state.logKey) return;
    state.logKey = key;
    var list = $('log');
    clear(list);
    var shown = 0;
    ds.forEach(function (d) {
      if (!matches(d, f)) return;
      shown++;
      if (shown > LOG_LIMIT) return;
      var li = el('li');
      li.setAttribute('data-action', d.action);
      var details = el('details');
      var summary = el('summary');
      var head = el('span', 'head');
      head.appendChild(el('span', 'when', fmtStamp(d.at)));
      head.appendChild(el('span', 'act ' + d.action, d.action.replace('_', ' ')));
      head.appendChild(el('span', '', d.currentWorkers + ' → policy ' + d.targetWorkers + ' → applied ' + d.appliedWorkers + (d.dryRun ? ' (dry-run: not acted on)' : '')));
      var lines = stageLines(d);
      var gate = (d.gates || []).filter(function (g) { return g.from !== g.to; })[0];
      var why = gate ? 'gate ' + gate.gate + ': ' + gate.from + ' → ' + gate.to : keyReason(lines);
      if (why) head.appendChild(el('span', 'why', why));
      summary.appendChild(head);
      details.appendChild(summary);
      var ul = el('ul');
      lines.forEach(function (l) {
        var item = el('li');
        if (l.stage) { item.appendChild(el('span', 'stage', l.stage + ': ')); }
        item.appendChild(document.createTextNode(l.text));
        ul.appendChild(item);
      });
      (d.gates || []).forEach(function (g) {
        var item = el('li', 'gate');
        item.appendChild(el('span', 'stage', 'gate ' + g.gate + ' (' + g.from + ' → ' + g.to + '): '));
        item.appendChild(document.createTextNode(g.reason));
        ul.appendChild(item);
      });
      details.appendChild(ul);
      li.appendChild(details);
      list.appendChild(li);
    });
    $('log-count').textContent = Math.min(shown, LOG_LIMIT) + ' of ' + shown + ' matching (' + ds.length + ' recent decisions); open one for every stage\'s reason';
  }

  // ----- controls -----

  var ACTIONS = {
    pause: { method: 'POST', path: '/api/pause', body: function () { return {}; }, done: 'Paused: the fleet is held as it is.' },
    resume: { method: 'POST', path: '/api/resume', body: function () { return {}; }, done: 'Resumed: the policy decides again.' },
    override: {
      method: 'POST', path: '/api/override',
      body: function () { return { workers: Number($('ov-workers').value), ttlSeconds: Number($('ov-ttl').value) }; },
      done: 'Override set.',
    },
    clear: { method: 'DELETE', path: '/api/override', body: function () { return {}; }, done: 'Override cleared.' },
  };

  function explainRefusal(status, message) {
    if (status === 401) return '401 Unauthorized: ' + message + '. Nothing was changed. Enter the controller\'s API token above.';
    if (status === 403) return '403 Forbidden: ' + message + '. Nothing was changed: the control API is off on this controller.';
    return status + ': ' + message + '. Nothing was changed.';
  }

  function control(name) {
    var a = ACTIONS[name];
    var out = $('control-result');
    var token = $('token').value.trim();
    var headers = { 'Content-Type': 'application/json' };
    if (token) headers.Authorization = 'Bearer ' + token;
    out.className = 'result';
    out.textContent = 'Sending…';
    fetch(a.path, { method: a.method, headers: headers, body: JSON.stringify(a.body()), cache: 'no-store' }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (body) {
        if (r.ok) {
          out.className = 'result ok';
          out.textContent = r.status + ' OK: ' + a.done;
          out.setAttribute('data-status', String(r.status));
          refresh();
        } else {
          out.className = 'result refused';
          out.textContent = explainRefusal(r.status, body && body.error ? body.error : r.statusText);
          out.setAttribute('data-status', String(r.status));
        }
      });
    }).catch(function (e) {
      out.className = 'result refused';
      out.textContent = 'Request failed: ' + e.message;
      out.setAttribute('data-status', 'error');
    });
  }

  // ----- refresh loop -----

  function pollMs() {
    var s = state.status && state.status.objectives && state.status.objectives.evaluationIntervalSeconds;
    return Math.min(5000, Math.max(1000, isNum(s) ? s * 1000 : 5000));
  }

  function refresh() {
    if (state.timer) { clearTimeout(state.timer); state.timer = null; }
    var now = Date.now();
    var since = now - state.rangeMs;
    return Promise.all([
      getJson('/api/status'),
      getJson('/api/history?since=' + since + '&points=600').catch(function () { return null; }),
      getJson('/api/decisions?limit=200').catch(function () { return null; }),
    ]).then(function (r) {
      state.status = r[0];
      state.history = r[1];
      state.decisions = r[2] ? r[2].decisions : (r[0].decisions || []);
      renderNow();
      renderCharts();
      renderLog();
      state.refreshes++;
      document.body.setAttribute('data-refreshes', String(state.refreshes));
      document.body.setAttribute('data-rendered', 'yes');
      $('conn').textContent = 'Controller ' + state.status.instanceId.slice(0, 8) + ' · updated ' + fmtStamp(state.status.at) +
        ' · every ' + Math.round(pollMs() / 1000) + ' s' + (state.history ? '' : ' · no history on this controller');
    }).catch(function (e) {
      $('conn').textContent = 'Cannot reach the controller (' + e.message + '); retrying.';
    }).then(function () {
      state.timer = setTimeout(refresh, pollMs());
    });
  }

  function init() {
    createCharts();
    Array.prototype.forEach.call(document.querySelectorAll('#controls button[data-action]'), function (b) {
      b.addEventListener('click', function () { control(b.getAttribute('data-action')); });
    });
    $('controls').addEventListener('submit', function (e) { e.preventDefault(); });
    $('range').addEventListener('change', function () { state.rangeMs = Number($('range').value); refresh(); });
    ['f-text', 'f-action', 'f-gated', 'f-changed'].forEach(function (id) {
      $(id).addEventListener('input', renderLog);
      $(id).addEventListener('change', renderLog);
    });
    refresh();
  }

  init();
})();
