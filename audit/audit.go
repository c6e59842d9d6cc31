// Package audit runs `seaworthy audit`: it walks an image once
// (imagefs.Read), traces its layers back to the Dockerfile of the project
// it was built from, runs the IM rules and measures where the bytes are
// (Sizes), for the text size table and the HTML report.
package audit

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/checker"
	"github.com/seaworthy-dev/seaworthy/facts/imagefs"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
	"github.com/seaworthy-dev/seaworthy/source/image"
	"github.com/seaworthy-dev/seaworthy/source/nodeproject"
)

// Options tune an audit.
type Options struct {
	// Project is the directory of the project the image was built from:
	// its package.json is the app's (IM007) and its Dockerfile the one
	// layers are traced to. Empty: none.
	Project string
	// Dockerfile overrides the Dockerfile to trace to (default
	// Project/Dockerfile).
	Dockerfile string
	// Today is the check date.
	Today time.Time
	// Progress, when set, hears how many layers were read.
	Progress func(done, total int)
	// VerifyInPlace also checks the digests of uncompressed layers read
	// in place from a local file (see imagefs.Options).
	VerifyInPlace bool
}

// Result is an audited image.
type Result struct {
	Image    *imagefs.Image
	Findings []analysis.Finding
	// Dockerfile is the Dockerfile the layers were traced to ("" when
	// none), and Traced how many layers it accounts for.
	Dockerfile string
	Traced     int
	Sizes      *Sizes
}

// Run audits src with rules (those that read images).
func Run(ctx context.Context, src *image.Image, rules []*analysis.Rule, opts Options) (*Result, error) {
	img, err := imagefs.Read(ctx, src, imagefs.Options{Progress: opts.Progress, VerifyInPlace: opts.VerifyInPlace})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", src.Ref, err)
	}
	if opts.Today.IsZero() {
		opts.Today = time.Now()
	}
	res := &Result{Image: img}
	if opts.Project != "" {
		if err := res.readProject(opts); err != nil {
			return nil, err
		}
	}
	findings := checker.RunRules(img, src.Ref, rules, opts.Today)
	sort.SliceStable(findings, func(i, j int) bool {
		if findings[i].Severity != findings[j].Severity {
			return findings[i].Severity > findings[j].Severity
		}
		return findings[i].Rule.ID < findings[j].Rule.ID
	})
	res.Findings = findings
	res.Sizes = Measure(img)
	return res, nil
}

// readProject reads the project's package.json and traces the layers to
// its Dockerfile.
func (res *Result) readProject(opts Options) error {
	st, err := os.Stat(opts.Project)
	if err != nil {
		return fmt.Errorf("--project %s: %w", opts.Project, err)
	}
	if !st.IsDir() {
		return fmt.Errorf("--project %s: not a directory", opts.Project)
	}
	if _, err := os.Stat(filepath.Join(opts.Project, "package.json")); err == nil {
		pkg, err := nodeproject.Load(opts.Project)
		if err != nil {
			return fmt.Errorf("--project %s: %w", opts.Project, err)
		}
		res.Image.Project = pkg
	}
	path := opts.Dockerfile
	if path == "" {
		path = filepath.Join(opts.Project, "Dockerfile")
	}
	// Bounded, and only a regular file: a named pipe would block the audit.
	src, err := checker.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) && opts.Dockerfile == "" {
		return nil
	}
	if err != nil {
		return fmt.Errorf("reading the Dockerfile to trace layers to: %w", err)
	}
	f, err := dockerfile.Parse(path, src, dockerfile.Options{})
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	res.Dockerfile = path
	res.Traced = Trace(res.Image, f, path)
	return nil
}
