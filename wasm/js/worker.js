// her2het worker: receives the compiled module from the page and runs the
// WebAssembly binary in one of two roles. The engine (one per page) serves the
// page's requests; helpers (N-1 of them, started by the page from this same
// script) only run gene-wise kernels the engine posts over a MessagePort.
'use strict';
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
    const run = go.run(inst);
    if (self.her2hetRole === 'helper') {
      // A helper whose Go program stops (a fatal runtime error, out of memory)
      // tells the page, which replaces it and fails the engine's tasks on it.
      run.then(() => self.postMessage({ died: 'its program exited' }),
        (err) => self.postMessage({ died: String(err && err.message ? err.message : err) }));
    }
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
