package co

import (
	"fmt"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/facts/purpose"
	"github.com/seaworthy-dev/seaworthy/source/compose"
)

// SourceBindMount reports a service that bind-mounts the project's source
// tree over the code in its image.
var SourceBindMount = register(&analysis.Rule{
	ID:       "CO013",
	Name:     "source-bind-mount",
	Title:    "service bind-mounts the source tree",
	Severity: analysis.Warning,
	Purposes: analysis.Deployed,
	Doc: analysis.Doc{
		Why: "A bind mount of the project directory (`.:/app`) or of a source folder (`./src:/app/src`) " +
			"replaces the code the image was built with by whatever is in that folder on the host: the " +
			"deployed service runs unreviewed, uncompiled files, depends on a checkout being present on " +
			"the server, and with `.:/app` the host's node_modules (built for another OS) hide the image's. " +
			"It is the live-reload setup of a development stack; in a production file it means the image " +
			"is not what runs.\n\n" +
			"Mounts of single files and of other folders (configuration, data, uploads) are not reported. A " +
			"compose file with such a mount is taken for a development stack unless its name or folder says " +
			"production (`docker-compose.prod.yml`, `deploy/`) or `--production` is given: the rule reports " +
			"the mounts in files meant for production.",
		Bad:  "services:\n  api:\n    build: .\n    volumes:\n      - .:/app\n",
		Good: "services:\n  api:\n    build: .\n    volumes:\n      - uploads:/app/uploads\nvolumes:\n  uploads:\n",
		Fix: "Remove the bind mount and run the code the image contains; rebuild the image to deploy a " +
			"change. Keep live-reload mounts in a development override (`compose.override.yaml`, " +
			"`docker-compose.dev.yml`), which seaworthy treats as a development file.",
		ExampleFile: "docker-compose.prod.yml",
		AppliesTo:   "Live-reload bind mounts are what development stacks are for.",
	},
	Check: analysis.Check(func(pass *analysis.Pass, p *compose.Project) {
		for _, s := range p.Services {
			for i := len(p.Files) - 1; i >= 0; i-- {
				f := p.Files[i]
				for _, it := range f.Items("services", s.Name, "volumes") {
					source, target, ok := volumeSpec(p, it)
					if !ok || !purpose.SourceTreeMount(source) {
						continue
					}
					report(pass, p, nodePos(f, it),
						fmt.Sprintf("service %q bind-mounts the source tree `%s` over `%s`: the container runs the host's files, not the code built into the image", s.Name, source, target),
						"remove the bind mount from the production file; keep it in a development override")
				}
			}
		}
	}),
})
