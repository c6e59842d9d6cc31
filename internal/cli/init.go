package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/seaworthy-dev/seaworthy/facts/nodeapp"
	"github.com/seaworthy-dev/seaworthy/pin"
	"github.com/seaworthy-dev/seaworthy/scaffold"
	"github.com/seaworthy-dev/seaworthy/source/nodeproject"
)

// initOptions are the flags of init.
type initOptions struct {
	force, dryRun, json, pin bool
	// registry is the mirror --pin resolves digests from ("": each
	// image's own registry).
	registry string
}

func newInitCmd(streams *IO) *cobra.Command {
	o := &initOptions{}
	cmd := &cobra.Command{
		Use:   "init [DIR]",
		Short: "Write a production Dockerfile, .dockerignore and compose.yaml for the Node project in DIR",
		Long: "init reads the project in DIR (default: the current directory) — package manager and lockfile,\n" +
			"Node version files, build and start scripts, port, health route, install scripts, native addons,\n" +
			"Prisma, Next.js standalone output, Nuxt, SvelteKit, Astro, Angular, Remix and React Router servers,\n" +
			"static sites, workspace members, bun, a private registry in .npmrc, datastores — and writes\n" +
			"Dockerfile, .dockerignore and compose.yaml there. It never overwrites a file without --force.\n" +
			"--pin pins the base images to the digests their registries serve; an image no registry\n" +
			"answers for keeps its tag, and init says which and why on stderr (the exit code stays 0).",
		Example: "  seaworthy init\n  seaworthy init --dry-run services/api\n  seaworthy init --json",
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 1 {
				return usageError("init takes one directory, the project's (default: the current directory), not %d arguments: %s", len(args), strings.Join(args, " "))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := "."
			if len(args) == 1 {
				dir = args[0]
			}
			return runInit(streams, o, dir)
		},
	}
	cmd.Flags().BoolVar(&o.force, "force", false, "overwrite files that exist")
	cmd.Flags().BoolVar(&o.dryRun, "dry-run", false, "print the files instead of writing them")
	cmd.Flags().BoolVar(&o.json, "json", false, "print what was detected and why, and the files, as JSON (writes nothing with --dry-run)")
	cmd.Flags().BoolVar(&o.pin, "pin", false, "pin the Dockerfile's base images to the digests their registry serves (a tag stays when no registry answers)")
	cmd.Flags().StringVar(&o.registry, "registry", "", "with --pin: resolve every image from this registry `host` (a mirror) instead of its own")
	return cmd
}

// initDay is the day Node lines are judged on: $SEAWORTHY_TODAY, else today.
func initDay() (time.Time, error) {
	if v := os.Getenv("SEAWORTHY_TODAY"); v != "" {
		d, err := time.Parse("2006-01-02", v)
		if err != nil {
			return time.Time{}, fmt.Errorf("SEAWORTHY_TODAY %q: want YYYY-MM-DD", v)
		}
		return d, nil
	}
	return time.Now().UTC(), nil
}

func runInit(streams *IO, o *initOptions, dir string) error {
	if o.registry != "" && !o.pin {
		return usageError("--registry is used with --pin")
	}
	day, err := initDay()
	if err != nil {
		return usageError("%v", err)
	}
	if st, err := os.Stat(dir); err != nil {
		return &exitError{code: ExitError, err: fmt.Errorf("%s: %w", dir, errors.Unwrap(err))}
	} else if !st.IsDir() {
		return &exitError{code: ExitError, err: fmt.Errorf("%s is not a directory: init takes the project's directory", dir)}
	}
	pkg, err := nodeproject.Load(dir)
	if err != nil {
		return &exitError{code: ExitError, err: err}
	}
	if pkg == nil {
		return &exitError{code: ExitError, err: fmt.Errorf("%s: no package.json in this directory: init writes files for a Node project", dir)}
	}
	if len(pkg.Errors) > 0 {
		// A field of the wrong type (`"scripts": 5`) would be read as
		// absent: the files would be written from a package.json that
		// says something else.
		return &exitError{code: ExitError, err: pkg.Errors[0]}
	}
	shape, err := nodeapp.ShapeOf(pkg, day)
	if err != nil {
		return &exitError{code: ExitError, err: err}
	}
	res, err := scaffold.Generate(pkg, shape)
	if err != nil {
		return &exitError{code: ExitError, err: err}
	}
	var pins []imagePin
	if o.pin {
		pins = pinImages(res, pin.Resolver{Registry: o.registry})
	}
	if !o.dryRun && !o.force {
		for _, f := range res.Files {
			p := filepath.Join(dir, f.Name)
			if _, err := os.Lstat(p); err == nil {
				return &exitError{code: ExitError, err: fmt.Errorf("%s exists: init does not overwrite it (use --force, or --dry-run to see what it would write)", p)}
			}
		}
	}
	if !o.dryRun {
		for _, f := range res.Files {
			p := filepath.Join(dir, f.Name)
			if err := os.WriteFile(p, f.Content, 0o644); err != nil {
				var pe *os.PathError
				if errors.As(err, &pe) {
					// The path is in the message once.
					err = pe.Err
				}
				return &exitError{code: ExitError, err: fmt.Errorf("cannot write %s: %w", p, err)}
			}
		}
	}
	if o.json {
		return writeInitJSON(streams, dir, res, pins, o.dryRun)
	}
	for _, d := range res.Detections() {
		if d.What == "note" {
			fmt.Fprintf(streams.Err, "note: %s\n", d.Why)
			continue
		}
		fmt.Fprintf(streams.Err, "%-17s %s  (%s)\n", d.What+":", d.Value, d.Why)
	}
	for _, p := range pins {
		if p.Digest != "" {
			fmt.Fprintf(streams.Err, "%-17s %s@%s\n", "pinned:", p.Image, p.Digest)
		} else {
			fmt.Fprintf(streams.Err, "not pinned: %s: %s\n", p.Image, p.Error)
		}
	}
	for _, f := range res.Files {
		p := filepath.Join(dir, f.Name)
		if o.dryRun {
			fmt.Fprintf(streams.Out, "==> %s <==\n%s\n", p, f.Content)
			continue
		}
		fmt.Fprintf(streams.Out, "wrote %s\n", p)
	}
	return nil
}

// writeInitJSON prints what init detected and the files it wrote (or
// would write).
func writeInitJSON(streams *IO, dir string, res *scaffold.Result, pins []imagePin, dryRun bool) error {
	type file struct {
		Path    string `json:"path"`
		Written bool   `json:"written"`
		Content string `json:"content"`
	}
	out := struct {
		Dir      string               `json:"dir"`
		Image    string               `json:"image"`
		Detected []scaffold.Detection `json:"detected"`
		Pins     []imagePin           `json:"pins,omitempty"`
		Files    []file               `json:"files"`
	}{Dir: dir, Image: res.Image, Detected: res.Detections(), Pins: pins}
	for _, f := range res.Files {
		out.Files = append(out.Files, file{Path: filepath.Join(dir, f.Name), Written: !dryRun, Content: string(f.Content)})
	}
	enc := json.NewEncoder(streams.Out)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		return errors.New("writing JSON: " + err.Error())
	}
	return nil
}

// imagePin is what --pin did with one base image.
type imagePin struct {
	Image  string `json:"image"`
	Digest string `json:"digest,omitempty"`
	// Error says why the image keeps its tag.
	Error string `json:"error,omitempty"`
}

// pinImages resolves the digests of the Dockerfile's base images and
// pins the ones a registry answered for; the others keep their tags.
func pinImages(res *scaffold.Result, r pin.Resolver) []imagePin {
	for i, f := range res.Files {
		if f.Name != scaffold.DockerfileName {
			continue
		}
		var pins []imagePin
		digests := map[string]string{}
		for _, image := range pin.FromImages(f.Content) {
			d, err := r.Digest(context.Background(), image)
			if err != nil {
				pins = append(pins, imagePin{Image: image, Error: err.Error()})
				continue
			}
			digests[image] = d
			pins = append(pins, imagePin{Image: image, Digest: d})
		}
		res.Files[i].Content = pin.Dockerfile(f.Content, digests)
		return pins
	}
	return nil
}
