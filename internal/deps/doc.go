// Package deps has no API. Its test states the module's import graph, as
// go/build's deps_test.go does for the standard library: which of the
// module's packages may import which, that cel-go stays inside rules, that
// only package clock reads the wall clock, and that no production package
// imports package testing (test helpers named …test may).
package deps
