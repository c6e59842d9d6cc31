package engine

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// The Docker CLI's context store, as the CLI writes it (docker/cli's
// cli/config and cli/context/store): config.json names the current
// context; each context's endpoints are in
// contexts/meta/<sha256 of its name>/meta.json under the config directory.

type cliConfig struct {
	CurrentContext string `json:"currentContext"`
}

type contextMeta struct {
	Name      string `json:"Name"`
	Endpoints struct {
		Docker struct {
			Host          string `json:"Host"`
			SkipTLSVerify bool   `json:"SkipTLSVerify"`
		} `json:"docker"`
	} `json:"Endpoints"`
}

// contextEndpoint is the engine of a Docker CLI context: its address and,
// for a TLS engine, the files the CLI keeps in
// contexts/tls/<sha256 of its name>/docker/ (ca.pem, cert.pem, key.pem;
// a missing one is "").
type contextEndpoint struct {
	Host          string
	CA, Cert, Key string
}

// currentContext returns the engine of the Docker CLI context in force
// when DOCKER_HOST is unset: DOCKER_CONTEXT, else config.json's
// currentContext, in DOCKER_CONFIG (default ~/.docker). Its Host is "" for
// the default context, which is the default socket. An unknown context is
// an error, as it is for the CLI; so is one that skips TLS verification,
// which seaworthy does not do.
func currentContext(getenv func(string) string) (contextEndpoint, error) {
	var none contextEndpoint
	dir := getenv("DOCKER_CONFIG")
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return none, nil
		}
		dir = filepath.Join(home, ".docker")
	}
	name, from := getenv("DOCKER_CONTEXT"), "DOCKER_CONTEXT"
	if name == "" {
		path := filepath.Join(dir, "config.json")
		data, err := os.ReadFile(path)
		if errors.Is(err, fs.ErrNotExist) {
			return none, nil
		}
		if err != nil {
			return none, fmt.Errorf("reading the Docker CLI config: %w", err)
		}
		var cfg cliConfig
		if err := json.Unmarshal(data, &cfg); err != nil {
			return none, fmt.Errorf("%s: %w", path, err)
		}
		name, from = cfg.CurrentContext, path+" (currentContext)"
	}
	if name == "" || name == "default" {
		return none, nil
	}
	sum := sha256.Sum256([]byte(name))
	path := filepath.Join(dir, "contexts", "meta", hex.EncodeToString(sum[:]), "meta.json")
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return none, fmt.Errorf("Docker context %q (from %s) not found in %s", name, from, filepath.Join(dir, "contexts"))
	}
	if err != nil {
		return none, fmt.Errorf("Docker context %q: %w", name, err)
	}
	var meta contextMeta
	if err := json.Unmarshal(data, &meta); err != nil {
		return none, fmt.Errorf("Docker context %q: %s: %w", name, path, err)
	}
	if meta.Endpoints.Docker.Host == "" {
		return none, fmt.Errorf("Docker context %q has no docker endpoint host (%s)", name, path)
	}
	if meta.Endpoints.Docker.SkipTLSVerify {
		return none, fmt.Errorf("Docker context %q skips TLS verification, which seaworthy does not do: give the engine with DOCKER_HOST, DOCKER_CERT_PATH and DOCKER_TLS_VERIFY", name)
	}
	ep := contextEndpoint{Host: meta.Endpoints.Docker.Host}
	tls := filepath.Join(dir, "contexts", "tls", hex.EncodeToString(sum[:]), "docker")
	for _, f := range []struct {
		name string
		to   *string
	}{{"ca.pem", &ep.CA}, {"cert.pem", &ep.Cert}, {"key.pem", &ep.Key}} {
		if p := filepath.Join(tls, f.name); fileExists(p) {
			*f.to = p
		}
	}
	return ep, nil
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}
