package im

import (
	"fmt"
	"strings"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/facts/imagefs"
)

// ImageGitDirectory reports .git directories in the image.
var ImageGitDirectory = family.Add(&analysis.Rule{
	ID:       "IM012",
	Name:     "image-git-directory",
	Title:    "the image holds a .git directory",
	Severity: analysis.Warning,
	Doc: analysis.Doc{
		Why: "A `.git` directory copied with `COPY . .` carries the repository's whole history, including files " +
			"deleted long ago (credentials committed once and removed), its remotes (sometimes with a token in " +
			"the URL) and the source of parts of the app that should not ship. It also makes the image larger " +
			"and changes its layers on every commit.",
		Bad: "-- image/config.json --\n{\"config\": {\"User\": \"node\", \"WorkingDir\": \"/app\", \"Cmd\": [\"node\", \"server.js\"]}}\n" +
			"-- image/layer1/app/server.js --\n\n-- image/layer1/app/.git/HEAD --\nref: refs/heads/main\n",
		Good: "-- image/config.json --\n{\"config\": {\"User\": \"node\", \"WorkingDir\": \"/app\", \"Cmd\": [\"node\", \"server.js\"]}}\n" +
			"-- image/layer1/app/server.js --\n\n",
		ExampleFile: exampleFile,
		Fix:         "Add `.git` to `.dockerignore` (and copy only what the app needs rather than `COPY . .`).",
	},
	Check: analysis.Check(func(pass *analysis.Pass, img *imagefs.Image) {
		seen := map[string]bool{}
		var dirs []string
		img.Walk(func(f *imagefs.File) {
			if !strings.Contains(f.Path, ".git") {
				return
			}
			p := "/" + f.Path
			i := strings.Index(p+"/", "/.git/")
			if i < 0 {
				return
			}
			dir := p[:i+len("/.git")]
			if !seen[dir] {
				seen[dir] = true
				dirs = append(dirs, dir)
			}
		})
		for _, dir := range dirs {
			pass.Report(analysis.Finding{
				Message: fmt.Sprintf("%s is in the image (%s): the repository's history, remotes and config", dir, mb(img.DirSize(dir))),
				Help:    "add .git to .dockerignore",
				Path:    dir,
			})
		}
	}),
})
