// Package host serves the built her2het web bundle over HTTP with the security
// headers that make the page's privacy promise checkable: a strict Content Security
// Policy (nothing but the page's own origin can be contacted), no referrer, no
// powerful features, cross-origin isolation, and caching fit for content-hashed
// assets. The same handler backs `her2het serve` natively and the edge worker.
//
// It never accepts uploads: any method but GET and HEAD is refused.
package host
