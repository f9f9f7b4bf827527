// her2het page boot: compiles the WebAssembly module once, starts the engine in a Web
// Worker (plus N-1 helper workers for gene-wise work, all from the same compiled
// module), runs the UI role of the same module on the page, and relays messages.
// No request ever leaves the page's origin.
//
// Workers: N = min(navigator.hardwareConcurrency, 8); the URL query ?workers=K
// (1..16) overrides it, e.g. ?workers=1 for no helpers. The page owns every worker:
// each helper is connected to the engine by its own MessageChannel, so tasks and
// results go straight between the workers, and Cancel (restart) terminates the
// engine and every helper explicitly.
(function () {
  'use strict';
  const me = document.currentScript;
  const cfg = {
    wasm: me.dataset.wasm || 'her2het.wasm',
    worker: me.dataset.worker || 'worker.js',
    exec: me.dataset.exec || 'wasm_exec.js',
    workers: workerCount(),
  };

  function workerCount() {
    const q = new URLSearchParams(location.search).get('workers');
    const k = q === null ? NaN : parseInt(q, 10);
    if (k >= 1) return Math.min(k, 16);
    return Math.max(1, Math.min(navigator.hardwareConcurrency || 1, 8));
  }
  const inline = window.HER2HET_INLINE || null; // single-file build: sources carried in the page

  function fatal(msg) {
    let el = document.getElementById('fatal');
    if (!el) {
      el = document.createElement('div');
      el.id = 'fatal';
      el.setAttribute('role', 'alert');
      document.body.prepend(el);
    }
    el.textContent = 'her2het could not start: ' + msg + '. Reload the page; if this persists, use a current Chrome, Edge or Firefox.';
    el.hidden = false;
  }
  window.addEventListener('error', (e) => fatal(e.message || String(e)));
  window.addEventListener('unhandledrejection', (e) => fatal(String(e.reason)));

  // Vugu evaluates its DOM helper with eval(); the helper is already loaded from
  // vugu-render.js, so that call must do nothing. Any other eval stays forbidden.
  window.eval = function () {
    if (window.vuguRender) return undefined;
    throw new EvalError('eval is disabled in her2het');
  };

  let module = null;
  let worker = null;
  let helpers = [];      // helper workers, slot i is helper i+1
  let ready = false;
  let pending = [];      // messages waiting for the worker to start
  const session = [];    // completed state-changing requests, replayed after a restart
  const inflight = new Map(); // id -> message, for recording completed loads
  let replayIDs = new Set();
  let nextReplayID = 1e9;
  const api = (window.her2het = {
    onEvent: null,
    restarts: 0,
    workerURL: null,
    workers: cfg.workers,  // engine workers asked for (the engine reports what it uses)
    helpersReady: 0,       // helpers whose program started (since the last restart)
    helperTasks: [],       // tasks served per helper slot (since the last restart)
    helperDeaths: 0,
    // Test hook: the next task helper slot i (default 0) receives makes its
    // program exit, as a helper that ran out of memory would.
    crashHelperOnNextTask(i) { if (helpers[i || 0]) helpers[i || 0].postMessage({ type: 'crashOnTask' }); },
    send(json, files) {
      const msg = { type: 'req', json: json, files: files };
      const id = JSON.parse(json).id;
      inflight.set(id, msg);
      post(msg);
    },
    restart() {
      api.restarts++;
      if (worker) worker.terminate();
      stopHelpers();
      inflight.clear();
      startWorker();
      // Replay what the user had loaded, quietly, so nothing is lost.
      for (const m of session) {
        const req = JSON.parse(m.json);
        req.id = nextReplayID++;
        replayIDs.add(req.id);
        post({ type: 'req', json: JSON.stringify(req), files: m.files });
      }
    },
    uiReady() { document.documentElement.dataset.ready = 'ui'; },
    // Saving files: a Blob and a download link; nothing leaves the computer.
    download(name, mime, text) {
      const url = URL.createObjectURL(new Blob([text], { type: mime }));
      const a = document.createElement('a');
      a.href = url;
      a.download = name;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10000);
      api.lastDownload = { name: name, size: text.length };
    },
    // PNG export: draw the SVG on a canvas at twice its size.
    downloadPNG(name, svg) {
      const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
      const img = new Image();
      img.onload = () => {
        const scale = 2;
        const canvas = document.createElement('canvas');
        canvas.width = img.naturalWidth * scale;
        canvas.height = img.naturalHeight * scale;
        const g = canvas.getContext('2d');
        g.fillStyle = '#fff';
        g.fillRect(0, 0, canvas.width, canvas.height);
        g.drawImage(img, 0, 0, canvas.width, canvas.height);
        URL.revokeObjectURL(url);
        canvas.toBlob((blob) => {
          const u = URL.createObjectURL(blob);
          const a = document.createElement('a');
          a.href = u;
          a.download = name;
          document.body.appendChild(a);
          a.click();
          a.remove();
          setTimeout(() => URL.revokeObjectURL(u), 10000);
          api.lastDownload = { name: name, size: blob.size };
        }, 'image/png');
      };
      img.onerror = () => fatal('could not draw ' + name);
      img.src = url;
    },
    // Highlight one patient's marks in every chart (and dim the rest).
    highlight(patient) {
      const root = document.getElementById('app');
      if (!root) return;
      root.classList.toggle('hl-on', !!patient);
      root.querySelectorAll('[data-patient].hl').forEach((el) => el.classList.remove('hl'));
      if (patient) root.querySelectorAll('[data-patient="' + CSS.escape(patient) + '"]').forEach((el) => el.classList.add('hl'));
    },
    fatal: fatal,
  });

  function post(msg) {
    if (ready) worker.postMessage(msg);
    else pending.push(msg);
  }

  function onWorkerMessage(e) {
    const d = e.data;
    if (d && d.died && e.target === worker) {
      engineDied(d);
      return;
    }
    if (typeof d !== 'string') {
      if (d && d.ready) {
        ready = true;
        document.documentElement.dataset.engine = 'ready';
        document.documentElement.dataset.workers = String(d.workers || 1);
        console.info('her2het: analysis engine ready with ' + (d.workers || 1) + ' worker(s) (the engine and ' + ((d.workers || 1) - 1) + ' helpers)');
        const p = pending;
        pending = [];
        p.forEach((m) => worker.postMessage(m));
      }
      return;
    }
    const ev = JSON.parse(d);
    if (replayIDs.has(ev.id)) {
      if (ev.kind === 'done' || ev.kind === 'error') replayIDs.delete(ev.id);
      if (ev.kind !== 'error') return;
    }
    if (ev.kind === 'done') {
      const m = inflight.get(ev.id);
      const kind = m ? JSON.parse(m.json).kind : '';
      if (kind === 'reset' || kind === 'demo') session.length = 0; // both replace everything loaded
      if (kind === 'load' || kind === 'demo') session.push(m);
    }
    if (ev.kind === 'done' || ev.kind === 'error') inflight.delete(ev.id);
    if (api.onEvent) api.onEvent(d);
  }

  // The engine's program stopped (it printed why): every open request ends with a
  // fatal error, which makes the UI restart the engine and restore the session.
  function engineDied(d) {
    console.error('her2het: the analysis engine stopped (' + d.died + ')' + (d.log ? ':\n' + d.log : ''));
    const m = /fatal error: [^\n]*|panic: [^\n]*/.exec(d.log || '');
    const why = m ? m[0] : d.died;
    const open = [...inflight.keys()];
    for (const id of open) {
      if (api.onEvent) api.onEvent(JSON.stringify({ id: id, kind: 'error', error: { message: 'the analysis engine stopped (' + why + '); it was restarted and your files reloaded', fatal: true } }));
    }
    if (open.length === 0 || !api.onEvent) api.restart(); // else the UI restarts it on the fatal error
  }

  function workerURL() { return inline ? inline.workerURL : cfg.worker; }
  function execURL() { return inline ? null : new URL(cfg.exec, location.href).href; }

  function startWorker() {
    ready = false;
    stopHelpers();
    const url = workerURL();
    worker = new Worker(url);
    api.workerURL = url;
    worker.onmessage = onWorkerMessage;
    worker.onerror = (e) => fatal('the analysis engine failed to start: ' + (e.message || e));
    const ports = [];
    for (let i = 0; i + 1 < cfg.workers; i++) {
      const ch = new MessageChannel();
      helpers.push(startHelper(i, ch.port2));
      ports.push(ch.port1);
    }
    worker.postMessage({ type: 'init', role: 'engine', module: module, exec: execURL(), ports: ports }, ports);
  }

  // A helper runs the same script and module in the helper role; port is its end
  // of the channel to the engine.
  function startHelper(i, port) {
    const h = new Worker(workerURL());
    api.helperTasks[i] = 0;
    h.onmessage = (e) => {
      const d = e.data || {};
      if (d.ready) api.helpersReady++;
      if (d.served) api.helperTasks[i] = d.served;
      if (d.died) helperDied(i, h, d.died);
    };
    h.onerror = (e) => {
      e.preventDefault();
      helperDied(i, h, e.message || 'it crashed');
    };
    h.postMessage({ type: 'init', role: 'helper', module: module, exec: execURL(), port: port }, [port]);
    return h;
  }

  // A helper that died is replaced at once; the engine fails the tasks it had
  // (the analysis ends with an error naming the cause, never hangs) and uses the
  // new helper from then on.
  function helperDied(i, h, reason) {
    if (helpers[i] !== h) return; // already replaced or stopped
    h.terminate();
    api.helperDeaths++;
    console.warn('her2het: helper worker ' + (i + 1) + ' stopped (' + reason + '); starting a new one');
    const ch = new MessageChannel();
    helpers[i] = startHelper(i, ch.port2);
    worker.postMessage({ type: 'helper', index: i, port: ch.port1, reason: reason }, [ch.port1]);
  }

  function stopHelpers() {
    helpers.forEach((h) => h.terminate());
    helpers = [];
    api.helpersReady = 0;
    api.helperTasks = [];
  }

  async function compile() {
    if (inline) return WebAssembly.compile(await inline.wasmBytes());
    const resp = fetch(cfg.wasm);
    if (WebAssembly.compileStreaming) {
      try {
        return await WebAssembly.compileStreaming(resp);
      } catch (e) {
        // A server with the wrong MIME type: fall back to a plain compile.
      }
    }
    const r = await fetch(cfg.wasm);
    if (!r.ok) throw new Error('cannot fetch ' + cfg.wasm + ': HTTP ' + r.status);
    return WebAssembly.compile(await r.arrayBuffer());
  }

  async function start() {
    if (typeof WebAssembly !== 'object' || typeof Worker !== 'function') {
      fatal('this browser lacks WebAssembly or Web Workers');
      return;
    }
    module = await compile();
    startWorker();
    const go = new Go();
    const inst = await WebAssembly.instantiate(module, go.importObject);
    document.getElementById('loading')?.remove();
    go.run(inst).then(() => fatal('the user interface stopped'));
  }
  // Offline support: a service worker caches the bundle (hosted app only; a page
  // opened from file:// has none). When a new version is deployed, offer a reload.
  function registerServiceWorker() {
    if (inline || !('serviceWorker' in navigator) || !/^https?:$/.test(location.protocol)) return;
    navigator.serviceWorker.register('sw.js').then((reg) => {
      const offer = (w) => {
        if (!navigator.serviceWorker.controller) return; // first install: nothing to update
        const bar = document.createElement('div');
        bar.id = 'update';
        bar.setAttribute('role', 'status');
        bar.textContent = 'A new version of her2het is available. ';
        const btn = document.createElement('button');
        btn.textContent = 'Reload to update';
        btn.addEventListener('click', () => w.postMessage('skipWaiting'));
        bar.appendChild(btn);
        document.body.appendChild(bar);
      };
      if (reg.waiting) offer(reg.waiting);
      reg.addEventListener('updatefound', () => {
        const w = reg.installing;
        w.addEventListener('statechange', () => { if (w.state === 'installed') offer(w); });
      });
      let reloading = false;
      navigator.serviceWorker.addEventListener('controllerchange', () => {
        if (reloading || !document.getElementById('update')) return;
        reloading = true;
        location.reload();
      });
      document.documentElement.dataset.sw = 'registered';
    }).catch((e) => console.warn('offline support unavailable:', e));
  }

  registerServiceWorker();
  start().catch((e) => fatal(String(e && e.message ? e.message : e)));
})();
