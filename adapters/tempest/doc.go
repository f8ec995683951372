// Package tempest runs an installed Tempest the way refstack-client does, and
// better: it builds the command lines, lists the installed tests and matches a
// test list against them, starts "tempest run --subunit" and follows its
// subunit v2 stream live, and stops it cleanly when asked.
//
// # Command lines
//
// Every command runs in the Tempest workspace (the directory holding
// .stestr.conf and .stestr), with TEMPEST_CONFIG_DIR and TEMPEST_CONFIG set to
// the directory and base name of the tempest.conf, as refstack-client sets
// them. Version runs "tempest --version"; Version.IncludeListFlag says whether
// that Tempest takes --include-list (26 and later) or only --whitelist_file.
// ListTests runs "tempest run --list-tests" with the same selection arguments
// as the run, so it tells how many tests the run will have. RunArgs builds
// "tempest run --subunit [--serial] SELECTION".
//
// # Test lists
//
// ReadTestList reads a test list (one test id per line, as RefStack's
// /v1/guidelines/{version}/tests endpoint answers). Match finds each listed
// test among the installed ones by name (the id without its [attributes]),
// then by idempotent id, so that a test renamed since the list was made and an
// installed test without attributes are kept; refstack-client drops both.
// Selection.WriteIncludeList writes one anchored regular expression per
// selected test, so the run has exactly the selected tests.
//
// # Running
//
// Start runs Tempest in its own process group with its standard output on a
// pipe. When the context is done, the group gets SIGINT, and SIGKILL when it
// has not ended after the grace period (WithGracePeriod). Follow reads the
// stream from that pipe as it arrives: it copies every byte to the run's
// subunit file first, then hands each test to a callback as soon as its final
// status is read. A Tally counts them for a progress display (Counts).
//
// # The stestr repository
//
// Repo finds the number N of the coming run in .stestr/next-stream before the
// run starts, as refstack-client does, and names the files written beside
// stestr's own .stestr/N: [TAG-]N.json (refstack-client's results file) and
// [TAG-]N.subunit (the live stream as Tempest wrote it).
package tempest
