package config

import (
	"os"
	"path/filepath"
	"sync"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/source/regular"
)

// Configs finds the config that applies to each checked file, the way
// ruff and ESLint's flat config do without merging: the nearest
// .seaworthy.yaml in the file's directory or above it, on its own (a
// nested config replaces its parents' for the files below it; nothing is
// inherited). A config named with --config applies to every file instead.
// Each file is read once; it is safe for concurrent use.
type Configs struct {
	reg *analysis.Registry
	// fixed is set for --config: that config for everything.
	fixed bool
	// root is the config of the run's first path (or --config): for
	// <stdin> and names that are not files (images).
	root *Config

	mu      sync.Mutex
	byDir   map[string]*Config // absolute directory → nearest config
	files   map[string]*Config // absolute config path → loaded config
	skipped []regular.Skipped  // config names that are not regular files
	err     error
}

// NewConfigs loads the config named by explicit, else the one found from
// near upwards (see Locate), as the run's root config.
func NewConfigs(reg *analysis.Registry, explicit, near string) (*Configs, error) {
	c := &Configs{reg: reg, fixed: explicit != "", byDir: map[string]*Config{}, files: map[string]*Config{}}
	root, skipped, err := locate(reg, explicit, near)
	if err != nil {
		return nil, err
	}
	c.root, c.skipped = root, skipped
	if root != nil && !c.fixed {
		if abs, err := filepath.Abs(root.Path); err == nil {
			c.files[abs] = root
		}
	}
	return c, nil
}

// Root is the run's root config: the one named by --config, else the one
// found from the first checked path upwards; nil when there is none.
func (c *Configs) Root() *Config {
	if c == nil {
		return nil
	}
	return c.root
}

// For returns the config of a file as findings name it (a path relative
// to the current directory, or absolute): the nearest .seaworthy.yaml
// above it, or the --config one. "<stdin>" and names that are not on disk
// (an image reference) get the root config. A config that cannot be
// loaded makes For return nil and Err return the error.
func (c *Configs) For(file string) *Config {
	if c == nil {
		return nil
	}
	if c.fixed || file == "" || file == "<stdin>" {
		return c.root
	}
	abs, err := filepath.Abs(file)
	if err != nil {
		return c.root
	}
	dir := filepath.Dir(abs)
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return c.root
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.nearestLocked(dir)
}

// nearestLocked finds the config for the absolute directory dir,
// remembering the answer for every directory on the way up.
func (c *Configs) nearestLocked(dir string) *Config {
	if cfg, ok := c.byDir[dir]; ok {
		return cfg
	}
	var cfg *Config
	p := filepath.Join(dir, FileName)
	st, err := os.Stat(p)
	switch {
	case err == nil && regular.Special(st.Mode()):
		c.skipLocked(regular.Skipped{Path: relToWd(p), Mode: st.Mode()})
	case err == nil && !st.IsDir():
		cfg = c.loadLocked(p)
		c.byDir[dir] = cfg
		return cfg
	}
	if parent := filepath.Dir(dir); parent != dir {
		cfg = c.nearestLocked(parent)
	}
	c.byDir[dir] = cfg
	return cfg
}

func (c *Configs) loadLocked(abs string) *Config {
	if cfg, ok := c.files[abs]; ok {
		return cfg
	}
	cfg, err := Load(relToWd(abs), c.reg)
	if err != nil {
		if c.err == nil {
			c.err = err
		}
		cfg = nil
	}
	c.files[abs] = cfg
	return cfg
}

// Err is the first error loading a config that For found.
func (c *Configs) Err() error {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}

// skipLocked records a config name passed over, once.
func (c *Configs) skipLocked(s regular.Skipped) {
	for _, k := range c.skipped {
		if k.Path == s.Path {
			return
		}
	}
	c.skipped = append(c.skipped, s)
}

// Skipped are the config names passed over so far because they are not
// regular files (a named pipe would block the read).
func (c *Configs) Skipped() []regular.Skipped {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]regular.Skipped(nil), c.skipped...)
}
