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
			Host string `json:"Host"`
		} `json:"docker"`
	} `json:"Endpoints"`
}

// contextHost returns the engine address of the Docker CLI context in
// force when DOCKER_HOST is unset: DOCKER_CONTEXT, else config.json's
// currentContext, in DOCKER_CONFIG (default ~/.docker). It returns "" for
// the default context, which is the default socket. An unknown context is
// an error, as it is for the CLI.
func contextHost(getenv func(string) string) (string, error) {
	dir := getenv("DOCKER_CONFIG")
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", nil
		}
		dir = filepath.Join(home, ".docker")
	}
	name, from := getenv("DOCKER_CONTEXT"), "DOCKER_CONTEXT"
	if name == "" {
		path := filepath.Join(dir, "config.json")
		data, err := os.ReadFile(path)
		if errors.Is(err, fs.ErrNotExist) {
			return "", nil
		}
		if err != nil {
			return "", fmt.Errorf("reading the Docker CLI config: %w", err)
		}
		var cfg cliConfig
		if err := json.Unmarshal(data, &cfg); err != nil {
			return "", fmt.Errorf("%s: %w", path, err)
		}
		name, from = cfg.CurrentContext, path+" (currentContext)"
	}
	if name == "" || name == "default" {
		return "", nil
	}
	sum := sha256.Sum256([]byte(name))
	path := filepath.Join(dir, "contexts", "meta", hex.EncodeToString(sum[:]), "meta.json")
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("Docker context %q (from %s) not found in %s", name, from, filepath.Join(dir, "contexts"))
	}
	if err != nil {
		return "", fmt.Errorf("Docker context %q: %w", name, err)
	}
	var meta contextMeta
	if err := json.Unmarshal(data, &meta); err != nil {
		return "", fmt.Errorf("Docker context %q: %s: %w", name, path, err)
	}
	if meta.Endpoints.Docker.Host == "" {
		return "", fmt.Errorf("Docker context %q has no docker endpoint host (%s)", name, path)
	}
	return meta.Endpoints.Docker.Host, nil
}
