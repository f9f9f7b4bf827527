// her2het worker: receives the compiled module from the page and runs the
// WebAssembly binary in one of two roles. The engine (one per page) serves the
// page's requests; helpers (N-1 of them, started by the page from this same
// script) only run gene-wise kernels the engine posts over a MessagePort.
'use strict';
// The last lines the program printed (Go writes fatal errors and panics through
// console.log), sent with a "died" message so the page can say why.
const tail = [];
const crash = []; // from the first "fatal error" / "panic:" line on, 40 lines
for (const k of ['log', 'warn', 'error']) {
  const f = console[k].bind(console);
  console[k] = (...a) => {
    const line = a.join(' ');
    if (crash.length > 0 ? crash.length < 40 : /^(fatal error|panic:|runtime:)/.test(line)) crash.push(line);
    tail.push(line);
    if (tail.length > 20) tail.shift();
    f(...a);
  };
}
const lastWords = () => (crash.length ? crash.join('\n') + '\n...\n' : '') + tail.join('\n');
let ready = false;
let queue = [];
self.her2hetEngineReady = function (workers) {
  ready = true;
  self.postMessage({ ready: true, workers: workers });
  const q = queue;
  queue = [];
  q.forEach((m) => self.her2hetEngineReceive(m.json, m.files));
};
self.onmessage = async function (e) {
  const m = e.data;
  if (m.type === 'init') {
    if (m.exec) importScripts(m.exec);
    self.her2hetRole = m.role || 'engine';
    self.her2hetPorts = m.ports || []; // engine: one port per helper
    self.her2hetPort = m.port || null; // helper: its port to the engine
    const go = new Go();
    const inst = await WebAssembly.instantiate(m.module, go.importObject);
    // A worker whose Go program stops (a fatal runtime error, out of memory)
    // tells the page: a helper is replaced and the engine fails its tasks; for
    // the engine itself the page fails the open requests and restarts it.
    go.run(inst).then(() => self.postMessage({ died: 'its program exited', log: lastWords() }),
      (err) => self.postMessage({ died: String(err && err.message ? err.message : err), log: lastWords() }));
    return;
  }
  if (m.type === 'helper') {
    // The page replaced a helper that died: fail its tasks, use the new port.
    if (self.her2hetHelperReplaced) self.her2hetHelperReplaced(m.index, m.port, m.reason);
    else if (self.her2hetPorts) self.her2hetPorts[m.index] = m.port; // before the program read them
    return;
  }
  if (m.type === 'crashOnTask') {
    self.her2hetCrashOnTask = true; // test hook, see pool_js.go
    return;
  }
  if (m.type === 'req') {
    if (ready) self.her2hetEngineReceive(m.json, m.files);
    else queue.push(m);
  }
};
