// Command subunit-gen writes a synthetic, Tempest-shaped subunit v2 stream to
// standard output. It serves the benchmarks (bench/run.sh) and shows how to
// embed subunit.Writer: build Events, Write them, Flush at the end, and stream
// a large attachment from an io.Reader with WriteFile.
//
// Usage:
//
//	subunit-gen [-tests N] [-workers N] [-attach-bytes N] [-seed N] > stream.subunit
//
// Each test is laid out the way testtools' ExtendedToStreamDecorator (and so
// stestr and Tempest) writes it: an inprogress event, its attachments, then
// the final status carrying the tag worker-N. The -workers tests in progress at
// a time interleave their events. About 90% of the tests succeed, 3% fail
// with a traceback and 7% are skipped with a reason; one in ten has a small
// pythonlogging attachment. With -attach-bytes N, the first test also carries
// an N-byte log, generated as it is written and never held in memory.
// The same flags and seed give the same bytes.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"time"

	"github.com/refstack-go/refstack/subunit"
)

func main() {
	cfg := config{}
	fs := flag.NewFlagSet("subunit-gen", flag.ContinueOnError)
	fs.IntVar(&cfg.tests, "tests", 1000, "number of tests")
	fs.IntVar(&cfg.workers, "workers", 4, "number of tests in progress at once (tags worker-0 ... worker-N-1)")
	fs.Int64Var(&cfg.attachBytes, "attach-bytes", 0, "size of an extra pythonlogging attachment on the first test")
	fs.Uint64Var(&cfg.seed, "seed", 1, "random seed")
	if err := fs.Parse(os.Args[1:]); err != nil {
		os.Exit(2)
	}
	if fs.NArg() > 0 || cfg.tests < 0 || cfg.workers < 1 || cfg.attachBytes < 0 {
		fmt.Fprintln(os.Stderr, "subunit-gen: want -tests >= 0, -workers >= 1, -attach-bytes >= 0 and no arguments")
		os.Exit(2)
	}
	out := bufio.NewWriterSize(os.Stdout, 256<<10)
	err := generate(out, cfg)
	if ferr := out.Flush(); err == nil {
		err = ferr
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "subunit-gen:", err)
		os.Exit(1)
	}
}

type config struct {
	tests, workers int
	attachBytes    int64
	seed           uint64
}

// generate writes the whole stream to w.
func generate(w io.Writer, cfg config) error {
	sw, err := subunit.NewWriter(w, subunit.WithFlushEachPacket(false))
	if err != nil {
		return err
	}
	g := &gen{
		cfg:   cfg,
		sw:    sw,
		rng:   rand.New(rand.NewPCG(cfg.seed, 0x5eed)),
		clock: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC),
		slots: make([]*test, cfg.workers),
	}
	if err := g.run(); err != nil {
		return err
	}
	return sw.Flush()
}

// gen holds the state of one stream: the tests each worker is running.
type gen struct {
	cfg     config
	sw      *subunit.Writer
	rng     *rand.Rand
	clock   time.Time
	started int     // tests started so far
	slots   []*test // the test each worker runs, nil when idle
}

// test is one test in progress: the events still to be written.
type test struct {
	id     string
	tag    string
	status subunit.Status
	steps  []func(*gen, *test) error
}

func (g *gen) run() error {
	busy := 0
	for {
		// Fill idle workers while tests remain.
		for i, s := range g.slots {
			if s == nil && g.started < g.cfg.tests {
				g.slots[i] = g.newTest(i)
				busy++
			}
		}
		if busy == 0 {
			return nil
		}
		// Advance one random busy worker by one event.
		i := g.rng.IntN(len(g.slots))
		for g.slots[i] == nil {
			i = (i + 1) % len(g.slots)
		}
		t := g.slots[i]
		step := t.steps[0]
		t.steps = t.steps[1:]
		g.clock = g.clock.Add(time.Duration(g.rng.IntN(5000)) * time.Microsecond)
		if err := step(g, t); err != nil {
			return err
		}
		if len(t.steps) == 0 {
			g.slots[i] = nil
			busy--
		}
	}
}

var (
	areas   = []string{"compute.servers", "compute.images", "network.ports", "volume.snapshots", "identity.v3.users", "object_storage.containers"}
	classes = []string{"ServersTest", "ImagesTest", "PortsTest", "SnapshotsTest", "UsersTest", "ContainersTest"}
)

// newTest picks the id, outcome and attachments of the next test.
func (g *gen) newTest(worker int) *test {
	n := g.started
	g.started++
	a := g.rng.IntN(len(areas))
	attrs := fmt.Sprintf("id-%08x-%04x-%04x-%04x-%012x", g.rng.Uint32(), g.rng.Uint32()&0xffff,
		g.rng.Uint32()&0xffff, g.rng.Uint32()&0xffff, g.rng.Uint64()&0xffffffffffff)
	if n%5 == 0 {
		attrs += ",smoke"
	}
	t := &test{
		id:     fmt.Sprintf("tempest.api.%s.test_%d.%s.test_case_%d[%s]", areas[a], n%97, classes[a], n, attrs),
		tag:    fmt.Sprintf("worker-%d", worker),
		status: subunit.StatusSuccess,
	}
	t.steps = append(t.steps, (*gen).start)
	if n == 0 && g.cfg.attachBytes > 0 {
		t.steps = append(t.steps, (*gen).bigLog)
	}
	if n%10 == 3 {
		t.steps = append(t.steps, attach("pythonlogging:''", "text/plain; charset=\"utf8\"", logLines(g.rng, 3)))
	}
	switch r := g.rng.IntN(100); {
	case r < 3:
		t.status = subunit.StatusFail
		t.steps = append(t.steps, attach("traceback", "text/x-traceback;charset=utf8,language=python", traceback(n)))
	case r < 10:
		t.status = subunit.StatusSkip
		t.steps = append(t.steps, attach("reason", "text/plain;charset=utf8", []byte("Feature not enabled in this cloud")))
	}
	t.steps = append(t.steps, (*gen).finish)
	return t
}

// event returns an event of t stamped with the current time. Runnable is set,
// as python-subunit sets it on every packet.
func (g *gen) event(t *test) *subunit.Event {
	return &subunit.Event{
		Flags:     subunit.FlagTestID | subunit.FlagTimestamp | subunit.FlagRunnable,
		Timestamp: g.clock,
		TestID:    []byte(t.id),
	}
}

func (g *gen) start(t *test) error {
	ev := g.event(t)
	ev.Status = subunit.StatusInProgress
	return g.sw.Write(ev)
}

func (g *gen) finish(t *test) error {
	ev := g.event(t)
	ev.Flags |= subunit.FlagTags
	ev.Status = t.status
	ev.Tags = [][]byte{[]byte(t.tag)}
	return g.sw.Write(ev)
}

// attach returns a step that writes one attachment in a single chunk with EOF.
func attach(name, mime string, content []byte) func(*gen, *test) error {
	return func(g *gen, t *test) error {
		ev := g.event(t)
		ev.Flags |= subunit.FlagFile | subunit.FlagMIME | subunit.FlagEOF
		ev.FileName = []byte(name)
		ev.MIME = []byte(mime)
		ev.FileContent = content
		return g.sw.Write(ev)
	}
}

// bigLog streams an attachment of cfg.attachBytes bytes through WriteFile,
// which splits it into packets of about 4 MiB.
func (g *gen) bigLog(t *test) error {
	ev := g.event(t)
	ev.Flags |= subunit.FlagMIME
	ev.FileName = []byte("pythonlogging:''")
	ev.MIME = []byte("text/plain; charset=\"utf8\"")
	return g.sw.WriteFile(ev, io.LimitReader(&logReader{}, g.cfg.attachBytes))
}

// logReader produces an endless log, a fixed line over and over.
type logReader struct{ off int }

const logLine = "2024-01-01 00:00:00.000 12345 INFO tempest.lib.common.rest_client [req-0] Request (ServersTest:test_case): 200 GET http://192.0.2.1/compute/v2.1/servers 0.042s\n"

func (r *logReader) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		c := copy(p[n:], logLine[r.off:])
		n += c
		r.off = (r.off + c) % len(logLine)
	}
	return n, nil
}

func logLines(rng *rand.Rand, n int) []byte {
	var b []byte
	for range n {
		b = fmt.Appendf(b, "2024-01-01 00:00:00.%03d 12345 DEBUG tempest.lib.common.rest_client [req-%d] Request: 200\n", rng.IntN(1000), rng.IntN(1<<20))
	}
	return b
}

func traceback(n int) []byte {
	return fmt.Appendf(nil, "Traceback (most recent call last):\n"+
		"  File \"tempest/api/compute/servers/test_servers.py\", line %d, in test_case\n"+
		"    self.assertEqual(200, resp.status)\n"+
		"testtools.matchers._impl.MismatchError: 200 != 404\n", 100+n%400)
}
