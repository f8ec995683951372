package cli

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/refstack-go/refstack/score"
)

// Progress modes of refstack score --live.
const (
	progressAuto     = "auto"     // terminal when stderr is a terminal (see isTerminal), else lines
	progressTerminal = "terminal" // one line rewritten in place with \r
	progressLines    = "lines"    // a new line at most every --progress-interval
	progressOff      = "off"
)

// progressLine keeps the one live line against the required tests.
type progressLine struct {
	w        io.Writer
	inPlace  bool          // rewrite with \r, else write lines
	every    time.Duration // least time between two writes
	last     time.Time
	lastLen  int
	s        *score.Scorer
	records  int
	finished bool
}

func newProgressLine(w io.Writer, mode string, every time.Duration, s *score.Scorer) *progressLine {
	if mode == progressAuto {
		mode = progressLines
		if isTerminal(w) {
			mode = progressTerminal
		}
	}
	if mode == progressOff {
		return nil
	}
	if mode == progressTerminal && every > 200*time.Millisecond {
		every = 200 * time.Millisecond // a terminal line should look live
	}
	return &progressLine{w: w, inPlace: mode == progressTerminal, every: every, s: s}
}

// text is the line: the required tests passed so far.
func (p *progressLine) text() string {
	pr := p.s.Progress()
	return fmt.Sprintf("required: %d/%d passed (%s%%), not flagged: %d/%d, tests seen: %d",
		pr.RequiredPassed, pr.RequiredTotal, score.FormatPercent(percentOf(pr.RequiredPassed, pr.RequiredTotal)),
		pr.NonFlaggedPassed, pr.NonFlaggedTotal, p.records)
}

func percentOf(n, d int) float64 {
	if d == 0 {
		return 0
	}
	return float64(n*100) / float64(d)
}

// record counts a record and writes the line when it is due.
func (p *progressLine) record(now time.Time) {
	if p == nil {
		return
	}
	p.records++
	if !p.last.IsZero() && now.Sub(p.last) < p.every {
		return
	}
	p.last = now
	p.write(false)
}

// done writes the final line.
func (p *progressLine) done() {
	if p == nil || p.finished {
		return
	}
	p.finished = true
	p.write(true)
}

func (p *progressLine) write(final bool) {
	t := p.text()
	if !p.inPlace {
		fmt.Fprintln(p.w, t)
		return
	}
	pad := ""
	if n := p.lastLen - len(t); n > 0 {
		pad = strings.Repeat(" ", n)
	}
	p.lastLen = len(t)
	end := ""
	if final {
		end = "\n"
	}
	fmt.Fprintf(p.w, "\r%s%s%s", t, pad, end)
}
