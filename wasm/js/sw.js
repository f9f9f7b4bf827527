// her2het service worker: keeps the app working offline after the first visit.
// Content-hashed assets are served from the cache; the page itself is fetched fresh
// when the network is there and from the cache when it is not. The bundler fills in
// the asset list and the version.
'use strict';
const VERSION = '__VERSION__';
const ASSETS = __ASSETS__;
const CACHE = 'her2het-' + VERSION;

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(['./', ...ASSETS])));
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const k of await caches.keys()) if (k.startsWith('her2het-') && k !== CACHE) await caches.delete(k);
    await self.clients.claim();
  })());
});

self.addEventListener('message', (event) => {
  if (event.data === 'skipWaiting') self.skipWaiting();
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (req.method !== 'GET' || url.origin !== self.location.origin) return;
  if (req.mode === 'navigate' || url.pathname.endsWith('/') || url.pathname.endsWith('/index.html')) {
    event.respondWith((async () => {
      try {
        const fresh = await fetch(req);
        if (fresh.ok) (await caches.open(CACHE)).put('./', fresh.clone());
        return fresh;
      } catch (e) {
        const cached = await caches.match('./', { cacheName: CACHE });
        if (cached) return cached;
        throw e;
      }
    })());
    return;
  }
  event.respondWith(caches.match(req, { cacheName: CACHE }).then((hit) => hit || fetch(req)));
});
