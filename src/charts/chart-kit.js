/*
 * Chart helpers shared by the simulation report (src/sim/report.ts) and the live dashboard
 * (src/server/dashboard/): one look for every chart. Plain ES2017 for the browser, loaded after
 * Chart.js's UMD bundle; it defines window.BountybotCharts and nothing else.
 */
(function (root) {
  'use strict';

  /** Keeps 1-2-5 ticks on a logarithmic axis (Chart.js would label every power's multiples). */
  function logTick(value) {
    var lead = value / Math.pow(10, Math.floor(Math.log10(value) + 1e-9));
    return Math.abs(lead - 1) < 1e-6 || Math.abs(lead - 2) < 1e-6 || Math.abs(lead - 5) < 1e-6 ? String(value) : '';
  }

  function alpha(hex, a) { return hex + a; }

  /** A line dataset: no point dots, no smoothing, gaps stay gaps; `extra` overrides any field. */
  function line(name, values, color, extra) {
    var ds = { label: name, data: values, borderColor: color, backgroundColor: color, borderWidth: 1.5,
      pointRadius: 0, pointHoverRadius: 3, spanGaps: false, fill: false, tension: 0 };
    if (extra) for (var k in extra) ds[k] = extra[k];
    return ds;
  }

  function yScale(yTitle, logarithmic) {
    return logarithmic
      ? { type: 'logarithmic', title: { display: true, text: yTitle }, ticks: { callback: logTick } }
      : { type: 'linear', beginAtZero: true, title: { display: true, text: yTitle } };
  }

  /** Options of every chart; `x` replaces the default category x axis (the dashboard uses a time-valued linear one). */
  function options(yTitle, logarithmic, x) {
    return {
      animation: false, responsive: true, maintainAspectRatio: false, normalized: true,
      interaction: { mode: 'index', intersect: false },
      plugins: { legend: { position: 'top', labels: { boxWidth: 14, boxHeight: 2 } } },
      scales: {
        x: x || { ticks: { maxTicksLimit: 10, autoSkip: true, autoSkipPadding: 16, maxRotation: 0 } },
        y: yScale(yTitle, logarithmic),
      },
    };
  }

  /** Switches a chart's y axis between linear and logarithmic, keeping its title; returns true when now logarithmic. */
  function toggleLog(chart) {
    var log = chart.options.scales.y.type !== 'logarithmic';
    chart.options.scales.y = yScale(chart.options.scales.y.title.text, log);
    chart.update();
    return log;
  }

  root.BountybotCharts = { logTick: logTick, alpha: alpha, line: line, options: options, yScale: yScale, toggleLog: toggleLog };
})(window);
