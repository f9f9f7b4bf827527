// her2het engine worker: receives the compiled module from the page, runs the engine
// role of the WebAssembly binary, and relays requests to it.
'use strict';
let ready = false;
let queue = [];
self.her2hetEngineReady = function () {
  ready = true;
  self.postMessage({ ready: true });
  const q = queue;
  queue = [];
  q.forEach((m) => self.her2hetEngineReceive(m.json, m.files));
};
self.onmessage = async function (e) {
  const m = e.data;
  if (m.type === 'init') {
    if (m.exec) importScripts(m.exec);
    const go = new Go();
    const inst = await WebAssembly.instantiate(m.module, go.importObject);
    go.run(inst);
    return;
  }
  if (m.type === 'req') {
    if (ready) self.her2hetEngineReceive(m.json, m.files);
    else queue.push(m);
  }
};
