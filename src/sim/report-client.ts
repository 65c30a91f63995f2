/**
 * The browser script of the HTML report (plain ES2017, no template literals so it can live in
 * this string). It reads the JSON in #report-data and draws every chart with Chart.js and the
 * shared chart helpers (src/charts/chart-kit.js), which the page inlines before it. When done it
 * sets `data-rendered` on <body> (tests wait on it).
 */
export const REPORT_CLIENT_JS = String.raw`
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var Chart = window.Chart;
  var DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  function pad(n) { return n < 10 ? '0' + n : String(n); }
  var spanMinutes = data.points * data.bucketMinutes;
  function label(i) {
    var minute = i * data.bucketMinutes;
    if (data.startMs === null) {
      var d = Math.floor(minute / 1440), h = Math.floor((minute % 1440) / 60);
      return '+' + d + 'd ' + pad(h) + ':' + pad(Math.floor(minute % 60));
    }
    var t = new Date(data.startMs + minute * 60000);
    var hm = pad(t.getUTCHours()) + ':' + pad(t.getUTCMinutes());
    if (spanMinutes <= 2 * 1440) return hm;
    if (spanMinutes <= 8 * 1440) return DAYS[t.getUTCDay()] + ' ' + hm;
    return DAYS[t.getUTCDay()] + ' ' + pad(t.getUTCMonth() + 1) + '-' + pad(t.getUTCDate());
  }
  var labels = [];
  for (var i = 0; i < data.points; i++) labels.push(label(i));

  var kit = window.BountybotCharts;
  var alpha = kit.alpha, line = kit.line, options = kit.options;
  var charts = {};
  function draw(id, datasets, yTitle, logarithmic) {
    var canvas = document.getElementById(id);
    charts[id] = new Chart(canvas, { type: 'line', data: { labels: labels, datasets: datasets }, options: options(yTitle, logarithmic) });
  }
  function syncToggle(button) {
    var chart = charts[button.getAttribute('data-chart')];
    if (chart) button.textContent = chart.options.scales.y.type === 'logarithmic' ? 'linear scale' : 'log scale';
  }

  var fc = [line('arrivals', data.arrivals, '#444444', { backgroundColor: alpha('#888888', '40'), fill: 'origin', borderWidth: 1 })];
  data.policies.forEach(function (p) {
    if (p.forecast) fc.push(line(p.name + ' forecast', p.forecast, p.color, { borderDash: [5, 3] }));
  });
  draw('chart-arrivals', fc, 'jobs per minute');

  draw('chart-workers', data.policies.map(function (p) { return line(p.name, p.provisioned, p.color); }), 'workers provisioned (paid)');

  data.policies.forEach(function (p, idx) {
    draw('chart-workers-' + idx, [
      line('provisioned', p.provisioned, p.color),
      line('ready', p.ready, p.color, { borderDash: [6, 3] }),
      line('busy', p.busy, alpha(p.color, 'aa'), { backgroundColor: alpha(p.color, '30'), fill: 'origin', borderWidth: 1 }),
    ], 'workers');
  });

  draw('chart-queue', data.policies.map(function (p) { return line(p.name, p.queue, p.color); }), 'jobs waiting (max per point)');

  var lat = data.policies.map(function (p) { return line(p.name, p.latencyP95, p.color); });
  var slo = [];
  for (var j = 0; j < data.points; j++) slo.push(data.sloSeconds);
  lat.push(line('SLO ' + data.sloSeconds + ' s', slo, '#d62728', { borderDash: [8, 4], borderWidth: 2 }));
  draw('chart-latency', lat, 'p95 latency, s (max per point)', true);

  // Lets a reader see small policies next to one whose queue or latency explodes.
  Array.prototype.forEach.call(document.querySelectorAll('button[data-chart]'), function (button) {
    syncToggle(button);
    button.addEventListener('click', function () {
      var chart = charts[button.getAttribute('data-chart')];
      if (!chart) return;
      kit.toggleLog(chart);
      syncToggle(button);
    });
  });

  document.body.setAttribute('data-rendered', 'yes');
})();
`;
