// her2het page boot: compiles the WebAssembly module once, starts the engine in a Web
// Worker, runs the UI role of the same module on the page, and relays messages.
// No request ever leaves the page's origin.
(function () {
  'use strict';
  const me = document.currentScript;
  const cfg = {
    wasm: me.dataset.wasm || 'her2het.wasm',
    worker: me.dataset.worker || 'worker.js',
    exec: me.dataset.exec || 'wasm_exec.js',
  };
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
    send(json, files) {
      const msg = { type: 'req', json: json, files: files };
      const id = JSON.parse(json).id;
      inflight.set(id, msg);
      post(msg);
    },
    restart() {
      api.restarts++;
      if (worker) worker.terminate();
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
    if (typeof d !== 'string') {
      if (d && d.ready) {
        ready = true;
        document.documentElement.dataset.engine = 'ready';
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

  function startWorker() {
    ready = false;
    const url = inline ? inline.workerURL : cfg.worker;
    worker = new Worker(url);
    api.workerURL = url;
    worker.onmessage = onWorkerMessage;
    worker.onerror = (e) => fatal('the analysis engine failed to start: ' + (e.message || e));
    worker.postMessage({ type: 'init', module: module, exec: inline ? null : new URL(cfg.exec, location.href).href });
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
