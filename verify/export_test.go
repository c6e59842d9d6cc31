package verify

// RunWith is Run with the prober that probes from this machine given, for
// the tests of package verify_test: their fake engine keeps its containers
// in memory and gives a prober that reaches them there.
var RunWith = run
