/*
 * The dashboard's charts (used by dashboard.js): Chart.js and the shared chart helpers
 * (window.BountybotCharts, src/charts/chart-kit.js) on a time-valued x axis, drawn from
 * /api/history and /api/status. Defines window.BountybotDashboardCharts and nothing else.
 */
(function (root) {
  'use strict';
  var kit = root.BountybotCharts;
  var Chart = root.Chart;
  var COLORS = {
    provisioned: '#0550ae', ready: '#1a7f37', busy: '#bf8700', desired: '#cf222e', draining: '#8250df',
    queue: '#0550ae', wait: '#953800', p50: '#1a7f37', p95: '#0550ae', processing: '#8250df',
    target: '#57606a', slo: '#cf222e', arrivals: '#24292f', forecast: '#0969da',
    hourly: '#0550ae', daily: '#1a7f37', monthly: '#8250df', shadow: '#0969da', observed: '#57606a',
  };
  var PERIODS = ['hourly', 'daily', 'monthly'];
  var PERIOD_KEY = { hourly: 'Hourly', daily: 'Daily', monthly: 'Monthly' };
  var state = { rangeMs: 3600000, charts: {} };
  function $(id) { return document.getElementById(id); }
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
    state.charts['chart-forecast'].data.datasets[2].label = errN > 0 ? 'band ± ' + fmt(mae, 1) + ' /min' : 'band: no forecast has come due yet';

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

  /** Observed vs counterfactual workers of shadow mode. */
  function renderShadow(points) {
    var observed = points.map(function (p) { return { x: p.at, y: p.observed }; });
    var counterfactual = points.map(function (p) { return { x: p.at, y: p.counterfactual }; });
    var x0 = observed.length ? observed[0].x : Date.now() - 60000, x1 = observed.length ? observed[observed.length - 1].x : Date.now();
    setData(state.charts['chart-shadow'], [observed, counterfactual], x0, x1);
  }

  root.BountybotDashboardCharts = {
    create: createCharts,
    render: function (history, status, rangeMs) { state.rangeMs = rangeMs; state.history = history; state.status = status; renderCharts(); },
    renderShadow: renderShadow,
    format: { isNum: isNum, fmt: fmt, pct: pct, money: money, fmtStamp: fmtStamp },
  };
})(window);
