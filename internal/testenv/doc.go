// Package testenv gives the tests of this module what they need from outside
// the checkout, and skips a test, with the reason, when it is missing: the
// reference material in ../shared beside the module root (Shared), the system
// Python with the modules a comparison imports (Python) and the reference
// tools in /usr/bin (Tool). Golden compares output with a golden file.
//
// Only _test.go files import it. It keeps no state: every call looks again.
package testenv
