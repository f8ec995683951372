package guideline

import "testing"

func TestEditDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"achievements", "achievements", 0},
		{"acheivements", "achievements", 1}, // transposition
		{"descriptin", "description", 1},
		{"required-since", "required_since", 1},
		{"abc", "", 99}, // lengths more than 2 apart are never near misses
		{"flag", "flagged", 99},
		{"ca", "abc", 3},
		{"kitten", "sitting", 3},
		{"x", "a-very-long-key", 99},
	}
	for _, tt := range tests {
		if got := editDistance(tt.a, tt.b); got != tt.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}
