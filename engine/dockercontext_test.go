package engine

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestCurrentContext reads contexts the real docker CLI creates and selects.
func TestCurrentContext(t *testing.T) {
	if _, err := exec.LookPath("docker"); err != nil {
		t.Fatal("the docker CLI is needed (Debian package docker.io)")
	}
	dir := t.TempDir()
	docker := func(args ...string) {
		t.Helper()
		cmd := exec.Command("docker", args...)
		cmd.Env = append(os.Environ(), "DOCKER_CONFIG="+dir)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("docker %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	env := map[string]string{"DOCKER_CONFIG": dir}
	getenv := func(k string) string { return env[k] }
	host := func() string {
		t.Helper()
		ep, err := currentContext(getenv)
		if err != nil {
			t.Fatal(err)
		}
		if ep.CA != "" || ep.Cert != "" || ep.Key != "" {
			t.Errorf("context of %s has TLS files %+v", ep.Host, ep)
		}
		return ep.Host
	}

	if h := host(); h != "" {
		t.Errorf("no config.json: host %q, want the default", h)
	}
	docker("context", "create", "remote-box", "--docker", "host=tcp://10.1.2.3:2375")
	docker("context", "create", "rootless", "--docker", "host=unix:///run/user/1000/docker.sock")
	if h := host(); h != "" {
		t.Errorf("no current context: host %q, want the default", h)
	}
	docker("context", "use", "rootless")
	if h := host(); h != "unix:///run/user/1000/docker.sock" {
		t.Errorf("after `docker context use rootless`: host %q", h)
	}
	env["DOCKER_CONTEXT"] = "remote-box"
	if h := host(); h != "tcp://10.1.2.3:2375" {
		t.Errorf("DOCKER_CONTEXT=remote-box: host %q", h)
	}
	env["DOCKER_CONTEXT"] = "default"
	if h := host(); h != "" {
		t.Errorf("DOCKER_CONTEXT=default: host %q", h)
	}
	env["DOCKER_CONTEXT"] = "gone"
	if _, err := currentContext(getenv); err == nil || !strings.Contains(err.Error(), `Docker context "gone" (from DOCKER_CONTEXT) not found`) {
		t.Errorf("unknown context: %v", err)
	}
	delete(env, "DOCKER_CONTEXT")
	if err := os.WriteFile(filepath.Join(dir, "config.json"), []byte("{"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := currentContext(getenv); err == nil || !strings.Contains(err.Error(), "config.json") {
		t.Errorf("broken config.json: %v", err)
	}

	// A TLS context: its files, as the CLI copied them into its store, and
	// a client built with them.
	files := testPEM(t)
	docker("context", "create", "tls-box", "--docker", "host=tcp://10.1.2.3:2376,ca="+files.ca+",cert="+files.cert+",key="+files.key)
	env["DOCKER_CONTEXT"] = "tls-box"
	ep, err := currentContext(getenv)
	if err != nil {
		t.Fatal(err)
	}
	if ep.Host != "tcp://10.1.2.3:2376" || filepath.Base(ep.CA) != "ca.pem" || filepath.Base(ep.Cert) != "cert.pem" || filepath.Base(ep.Key) != "key.pem" || !strings.HasPrefix(ep.CA, filepath.Join(dir, "contexts", "tls")) {
		t.Errorf("TLS context: %+v", ep)
	}
	t.Setenv("DOCKER_HOST", "")
	t.Setenv("DOCKER_CONFIG", dir)
	t.Setenv("DOCKER_CONTEXT", "tls-box")
	d, err := NewDocker()
	if err != nil {
		t.Fatalf("NewDocker with a TLS context: %v", err)
	}
	if d.Host() != "tcp://10.1.2.3:2376" {
		t.Errorf("NewDocker host %q", d.Host())
	}
	d.Close()
	docker("context", "create", "insecure", "--docker", "host=tcp://10.1.2.3:2376,skip-tls-verify=true")
	env["DOCKER_CONTEXT"] = "insecure"
	if _, err := currentContext(getenv); err == nil || !strings.Contains(err.Error(), "skips TLS verification") {
		t.Errorf("skip-tls-verify context: %v", err)
	}
}

type pemFiles struct{ ca, cert, key string }

// testPEM writes a self-signed certificate (its own CA) and its key.
func testPEM(t *testing.T) pemFiles {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "seaworthy test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kb, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	f := pemFiles{ca: filepath.Join(dir, "ca.pem"), cert: filepath.Join(dir, "cert.pem"), key: filepath.Join(dir, "key.pem")}
	cert := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	for p, b := range map[string][]byte{f.ca: cert, f.cert: cert, f.key: pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb})} {
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return f
}
