/*
 * The live dashboard (served at / by the controller). Plain ES2017, no build step: it polls
 * /api/status, /api/history and /api/decisions, has the charts drawn (dashboard-charts.js) and
 * renders the cards, the decision log and the controls, which send the token the operator types. Every text from the server goes in with textContent.
 * Tests wait for body[data-rendered="yes"]; data-refreshes counts completed refreshes.
 */
(function () {
  'use strict';
  var charts = window.BountybotDashboardCharts;
  var f = charts.format, isNum = f.isNum, fmt = f.fmt, pct = f.pct, money = f.money, fmtStamp = f.fmtStamp;
  var PERIODS = ['hourly', 'daily', 'monthly'];
  var BACKEND_KEYS = ['backend', 'stateStorage', 'leadership', 'fallback', 'backendError', 'kubernetes'];
  var BACKEND_LABELS = { stateStorage: 'state', leadership: 'controller lease', backendError: 'backend error' };
  var state = { status: null, history: null, decisions: [], rangeMs: 3600000, refreshes: 0, timer: null, logKey: '' };

  function $(id) { return document.getElementById(id); }

  /** Builds an element; `text` always goes in as text, never as HTML. */
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }
  function getJson(url) {
    return fetch(url, { cache: 'no-store', headers: { Accept: 'application/json' } }).then(function (r) {
      return r.json().then(function (body) {
        if (!r.ok) throw new Error(url + ': ' + r.status + ' ' + (body && body.error ? body.error : r.statusText));
        return body;
      });
    });
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

  function describeValue(v, key) {
    if (v === null || v === undefined) return '–';
    if (key === 'leadership' && typeof v === 'object') {
      return (v.leader ? 'this controller leads' : 'standby; leader ' + (v.holder || 'unknown')) +
        (isNum(v.token) ? ', fencing token ' + v.token : '') + (isNum(v.expiresAt) ? ', lease until ' + fmtStamp(v.expiresAt) : '');
    }
    if (key === 'stateStorage') return v === 'memory' ? 'in memory only (never writes the shared store)' : 'shared store';
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
      dl.appendChild(el('dt', '', BACKEND_LABELS[k] || k));
      dl.appendChild(el('dd', '', describeValue(s[k], k)));
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
    charts.renderShadow(sh.series || []);
  }

  // ----- decision log -----

  /** The engine's reasoning (every stage, as it wrote it), then each limit stage with its code, unless its message is already a reasoning line. */
  function stageLines(d) {
    var lines = d.reasoning || [];
    var gates = d.gates ? d.gates.length : 0;
    var reasons = lines.slice(0, lines.length - gates);
    var out = reasons.map(function (r) { return { stage: '', text: r }; });
    (Array.isArray(d.limits) ? d.limits : []).forEach(function (l) {
      var moved = isNum(l.from) && isNum(l.to) && l.from !== l.to ? ' (' + l.from + ' → ' + l.to + ')' : '';
      var said = reasons.indexOf(l.message) >= 0;
      out.push({
        stage: l.stage + ' · ' + l.code, text: said ? moved.trim() : (l.message || '') + moved, changed: moved !== '', summary: (l.message || '') + moved,
      });
    });
    return out;
  }

  var LOG_LIMIT = 50;
  /** The line that explains the outcome best: the last stage that moved the target, else a hold (cooldown, stabilize, budget) or the step itself. */
  function keyReason(lines) {
    var pick = null;
    lines.forEach(function (l) { if (l.changed) pick = l; });
    var KEY = /cooldown|stabiliz|budget|panic|predictive|scaling (up|down)|clamp/i;
    lines.forEach(function (l) { if (!pick && KEY.test(l.stage + ' ' + l.text)) pick = l; });
    pick = pick || lines[lines.length - 1];
    if (!pick) return '';
    var body = pick.summary !== undefined ? pick.summary : pick.text;
    var t = (pick.stage ? pick.stage + (body ? ': ' : '') : '') + body;
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
        if (l.stage) { item.appendChild(el('span', 'stage', l.stage + (l.text ? ': ' : ''))); }
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
      charts.render(state.history, state.status, state.rangeMs);
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
    charts.create();
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
