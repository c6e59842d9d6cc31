package lsp_test

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// buildSeaworthy builds the seaworthy command into a new directory, which
// the editors find on PATH.
func buildSeaworthy(t *testing.T) (binDir string) {
	t.Helper()
	binDir = t.TempDir()
	out, err := exec.Command("go", "build", "-o", filepath.Join(binDir, "seaworthy"), "../cmd/seaworthy").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return binDir
}

// readmeBlock returns the fenced block of the given language in the
// README's "Use it in your editor" section.
func readmeBlock(t *testing.T, lang string) string {
	t.Helper()
	data, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(data), "\n## Use it in your editor\n")
	if !ok {
		t.Fatal(`README.md has no "Use it in your editor" section`)
	}
	section, _, _ = strings.Cut(section, "\n## ")
	_, block, ok := strings.Cut(section, "```"+lang+"\n")
	if !ok {
		t.Fatalf("README.md: no ```%s block in \"Use it in your editor\"", lang)
	}
	block, _, _ = strings.Cut(block, "```\n")
	return block
}

// TestNeovim runs the README's Neovim snippet in a real, headless Neovim
// (Debian's package, scripts/editor-setup.sh), which starts `seaworthy
// lsp` on a bad Dockerfile; the diagnostics, code actions and hover it
// gets are read back. It skips only when SEAWORTHY_SKIP_EDITOR_TESTS=1.
func TestNeovim(t *testing.T) {
	if os.Getenv("SEAWORTHY_SKIP_EDITOR_TESTS") == "1" {
		t.Skip("SEAWORTHY_SKIP_EDITOR_TESTS=1")
	}
	nvim, err := exec.LookPath("nvim")
	if err != nil {
		t.Fatal("nvim not found: run scripts/editor-setup.sh (it installs Debian's neovim), or set SEAWORTHY_SKIP_EDITOR_TESTS=1 to skip this test")
	}
	binDir := buildSeaworthy(t)
	dir := writeProject(t)
	work := t.TempDir()
	snippet := filepath.Join(work, "snippet.lua")
	if err := os.WriteFile(snippet, []byte(readmeBlock(t, "lua")), 0o644); err != nil {
		t.Fatal(err)
	}
	harness, err := filepath.Abs("testdata/nvim-diagnostics.lua")
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(work, "out.json")
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, nvim, "--headless", "-u", "NONE", "-i", "NONE", "-n", "-c", "luafile "+harness)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(),
		"PATH="+binDir+string(os.PathListSeparator)+os.Getenv("PATH"),
		"SEAWORTHY_SNIPPET="+snippet, "SEAWORTHY_FILE=Dockerfile", "SEAWORTHY_OUT="+out,
		"XDG_CONFIG_HOME="+work, "XDG_DATA_HOME="+work, "XDG_STATE_HOME="+work, "XDG_CACHE_HOME="+work,
	)
	logs, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("nvim: %v\n%s", err, logs)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatalf("nvim wrote no result: %v\n%s", err, logs)
	}
	var got struct {
		Error       string
		Diagnostics []struct {
			Lnum, Col, EndLnum, EndCol int
			Severity                   int
			Message, Source, Code      string
		}
		Actions []string
		Hover   string
	}
	if err := json.Unmarshal(data, &got); err != nil {
		t.Fatalf("result %s: %v", data, err)
	}
	if got.Error != "" {
		t.Fatalf("nvim: %s\n%s", got.Error, logs)
	}
	if len(got.Diagnostics) != 1 {
		t.Fatalf("diagnostics in Neovim: %+v, want DF013 alone", got.Diagnostics)
	}
	d := got.Diagnostics[0]
	if d.Code != "DF013" || d.Source != "seaworthy" || d.Lnum != 6 || d.Col != 0 || d.Severity != 1 || !strings.Contains(d.Message, "shell form") {
		t.Errorf("diagnostic in Neovim: %+v, want DF013 (error) on line 7", d)
	}
	want := []string{`Use the exec form ["npm", "start"]`, "Ignore DF013 here (# seaworthy ignore=DF013)", "Ignore DF013 in this file (# seaworthy global ignore=DF013)"}
	if strings.Join(got.Actions, "\n") != strings.Join(want, "\n") {
		t.Errorf("code actions in Neovim:\n%s\nwant:\n%s", strings.Join(got.Actions, "\n"), strings.Join(want, "\n"))
	}
	if !strings.Contains(got.Hover, "# DF013 shell-form-command") {
		t.Errorf("hover in Neovim: %q, want DF013's doc", got.Hover)
	}
}

// TestEditorSnippets starts the server as the README's VS Code and Helix
// snippets say and speaks LSP to it over its stdin and stdout.
func TestEditorSnippets(t *testing.T) {
	binDir := buildSeaworthy(t)
	var vscode struct {
		Command   string   `json:"glspc.server.command"`
		Args      []string `json:"glspc.server.commandArguments"`
		Languages []string `json:"glspc.server.languageId"`
	}
	if err := json.Unmarshal([]byte(readmeBlock(t, "json")), &vscode); err != nil {
		t.Fatalf("README's VS Code settings: %v", err)
	}
	if !contains(vscode.Languages, "dockerfile") {
		t.Errorf("README's VS Code settings start the server for %v, not Dockerfiles", vscode.Languages)
	}
	helix := readmeBlock(t, "toml")
	server := regexp.MustCompile(`(?s)\[language-server\.seaworthy\]\ncommand = ("[^"]*")\nargs = (\[[^\]]*\])\n`).FindStringSubmatch(helix)
	if server == nil {
		t.Fatalf("README's Helix languages.toml has no [language-server.seaworthy] with a command and args:\n%s", helix)
	}
	if !strings.Contains(helix, "name = \"dockerfile\"\nlanguage-servers = [") {
		t.Error("README's Helix languages.toml does not add the server to Dockerfiles")
	}
	var helixCmd string
	var helixArgs []string
	if json.Unmarshal([]byte(server[1]), &helixCmd) != nil || json.Unmarshal([]byte(server[2]), &helixArgs) != nil {
		t.Fatalf("Helix command %s, args %s: not TOML strings", server[1], server[2])
	}
	for name, argv := range map[string][]string{"VS Code": append([]string{vscode.Command}, vscode.Args...), "Helix": append([]string{helixCmd}, helixArgs...)} {
		t.Run(name, func(t *testing.T) {
			path, err := exec.LookPath(filepath.Join(binDir, argv[0]))
			if err != nil {
				t.Fatalf("the snippet's command %q is not seaworthy: %v", argv[0], err)
			}
			cmd := exec.Command(path, argv[1:]...)
			cmd.Dir = writeProject(t)
			in, err := cmd.StdinPipe()
			if err != nil {
				t.Fatal(err)
			}
			outPipe, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			c := newClient(t, in, outPipe)
			var init struct{ ServerInfo struct{ Name string } }
			c.call("initialize", map[string]any{"processId": nil, "rootUri": fileURI(cmd.Dir), "capabilities": map[string]any{}}, &init)
			if init.ServerInfo.Name != "seaworthy" {
				t.Errorf("initialize: server %q", init.ServerInfo.Name)
			}
			c.notify("initialized", map[string]any{})
			df := filepath.Join(cmd.Dir, "Dockerfile")
			c.notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{
				"uri": fileURI(df), "languageId": "dockerfile", "version": 1, "text": badDockerfile,
			}})
			c.waitDiagnostics(fileURI(df), has("DF013"))
			c.call("shutdown", nil, nil)
			c.notify("exit", nil)
			in.Close()
			if err := cmd.Wait(); err != nil {
				t.Errorf("seaworthy %s: %v", strings.Join(argv[1:], " "), err)
			}
		})
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
