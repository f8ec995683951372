package score

import (
	"math"
	"strconv"
	"strings"
)

// Sentence returns what RefStack's page says of the run:
//
//	This cloud passes 97.5% (195/200) of the tests in the 2020.06 required
//	capabilities for the OpenStack Powered Platform program. Excluding
//	flagged tests, this cloud passes 100.0% (190/190) of the required tests.
//
// (on one line). Percentages have one decimal, rounded half up as the page's
// number filter rounds; "n/a" stands for a percentage of no tests.
func (r *Report) Sentence() string {
	return "This cloud passes " + figure(r.RequiredPassPercent, r.RequiredPassed, r.RequiredTotal) +
		" of the tests in the " + r.Guideline + " required capabilities for the " + r.Program +
		" program. Excluding flagged tests, this cloud passes " +
		figure(r.NonFlaggedRequiredPassPercent, r.NonFlaggedPassed, r.NonFlaggedTotal) +
		" of the required tests."
}

// figure is the page's "97.5% (195/200)".
func figure(percent float64, passed, total int) string {
	return FormatPercent(percent) + "% (" + strconv.Itoa(passed) + "/" + strconv.Itoa(total) + ")"
}

// ComplianceLine returns the page's "Compliance with 2020.06: YES" (or NO).
func (r *Report) ComplianceLine() string {
	if r.Compliant {
		return "Compliance with " + r.Guideline + ": YES"
	}
	return "Compliance with " + r.Guideline + ": NO"
}

// FormatPercent writes a percentage with one decimal as the page's number
// filter does: from the shortest decimal form of the float64, rounded half
// up (12.25 gives "12.3", where Go's %.1f gives "12.2"). NaN and the
// infinities give "n/a".
func FormatPercent(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "n/a"
	}
	neg := x < 0
	s := strconv.FormatFloat(math.Abs(x), 'f', -1, 64)
	intPart, frac, _ := strings.Cut(s, ".")
	digits := []byte(intPart)
	d := byte('0')
	if len(frac) > 0 {
		d = frac[0]
	}
	digits = append(digits, d)
	if len(frac) > 1 && frac[1] >= '5' {
		// Carry the round-up through the digits.
		i := len(digits) - 1
		for ; i >= 0; i-- {
			if digits[i] == '9' {
				digits[i] = '0'
				continue
			}
			digits[i]++
			break
		}
		if i < 0 {
			digits = append([]byte{'1'}, digits...)
		}
	}
	out := string(digits[:len(digits)-1]) + "." + string(digits[len(digits)-1:])
	if neg && strings.Trim(out, "0.") != "" {
		out = "-" + out
	}
	return out
}
