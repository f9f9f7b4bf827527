// Package spatial reads and analyses NanoString GeoMx DSP spatial profiles.
package spatial
