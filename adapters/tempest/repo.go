package tempest

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// RepoDir is the stestr repository directory of a Tempest workspace.
const RepoDir = ".stestr"

// ErrNoWorkspace is wrapped by CheckWorkspace's error for a directory that is
// not a Tempest workspace.
var ErrNoWorkspace = errors.New("not a Tempest workspace")

// CheckWorkspace checks that dir is a Tempest workspace "tempest run" can run
// in: a directory with a .stestr.conf file ("tempest init DIR" makes one).
func CheckWorkspace(dir string) error {
	fi, err := os.Stat(dir)
	if err != nil {
		return err
	}
	if !fi.IsDir() {
		return fmt.Errorf("%s: %w: not a directory", dir, ErrNoWorkspace)
	}
	conf := filepath.Join(dir, ".stestr.conf")
	if fi, err := os.Stat(conf); err != nil || !fi.Mode().IsRegular() {
		return fmt.Errorf("%s: %w: no .stestr.conf (make one with: tempest init %s)", dir, ErrNoWorkspace, dir)
	}
	return nil
}

// Run names the files of one run in the stestr repository.
type Run struct {
	Dir string // the repository: WORKSPACE/.stestr
	N   int    // the run's number: stestr writes its stream to Dir/N
	Tag string // -r TAG, or ""
}

// NextRun returns the coming run of the workspace dir: N is read from
// .stestr/next-stream before the run starts, as refstack-client reads it, and
// is 0 when that file is missing. When there is no .stestr directory yet it is
// made as "stestr init" makes it (a "format" file holding 1 and next-stream
// holding 0), so that the files of the run can be written beside stestr's. A
// next-stream that is not a number is an error: stestr itself would fail on it.
func NextRun(dir, tag string) (Run, error) {
	repo := filepath.Join(dir, RepoDir)
	r := Run{Dir: repo, Tag: tag}
	if strings.ContainsAny(tag, `/\`) || tag == "." || tag == ".." {
		return r, fmt.Errorf("result file tag %q: must not hold a path separator", tag)
	}
	data, err := os.ReadFile(filepath.Join(repo, "next-stream"))
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if _, serr := os.Stat(repo); errors.Is(serr, fs.ErrNotExist) {
			return r, initRepo(repo)
		}
		return r, nil
	case err != nil:
		return r, err
	}
	n, err := strconv.Atoi(strings.TrimSpace(string(data)))
	if err != nil || n < 0 {
		return r, fmt.Errorf("%s: not a run number: %q", filepath.Join(repo, "next-stream"), snippet(data))
	}
	r.N = n
	return r, nil
}

// initRepo makes an empty stestr file repository, as "stestr init" does.
func initRepo(repo string) error {
	if err := os.Mkdir(repo, 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(repo, "format"), []byte("1\n"), 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(repo, "next-stream"), []byte("0\n"), 0o644)
}

func (r Run) base() string {
	if r.Tag != "" {
		return r.Tag + "-" + strconv.Itoa(r.N)
	}
	return strconv.Itoa(r.N)
}

// StestrFile is where stestr keeps the run's stream: .stestr/N.
func (r Run) StestrFile() string { return filepath.Join(r.Dir, strconv.Itoa(r.N)) }

// ResultsFile is refstack-client's results file: .stestr/[TAG-]N.json.
func (r Run) ResultsFile() string { return filepath.Join(r.Dir, r.base()+".json") }

// StreamFile is where the live stream is saved: .stestr/[TAG-]N.subunit.
func (r Run) StreamFile() string { return filepath.Join(r.Dir, r.base()+".subunit") }
