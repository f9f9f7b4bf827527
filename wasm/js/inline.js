// Single-file build: the WebAssembly module (gzip, base64) and the worker's source
// travel inside the page. This script turns them back into bytes and a Blob worker
// before boot.js starts, so the page runs from file:// with no server and no network.
(function () {
  'use strict';
  const b64 = document.getElementById('her2het-wasm').textContent.trim();
  const workerSrc = document.getElementById('her2het-worker').textContent;
  window.HER2HET_INLINE = {
    workerURL: URL.createObjectURL(new Blob([workerSrc], { type: 'text/javascript' })),
    async wasmBytes() {
      const bin = atob(b64);
      const gz = new Uint8Array(bin.length);
      for (let i = 0; i < bin.length; i++) gz[i] = bin.charCodeAt(i);
      const stream = new Blob([gz]).stream().pipeThrough(new DecompressionStream('gzip'));
      return new Response(stream).arrayBuffer();
    },
  };
})();
