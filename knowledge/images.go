package knowledge

import (
	"regexp"
	"strconv"
	"strings"
)

// ImagesSource names where the base image facts come from.
const ImagesSource = "Docker Official Images node tags (docker-library/node), GoogleContainerTools/distroless images (nodejs, static, base: :nonroot tags), Chainguard node image docs, Docker Hardened Images docs (runtime and -dev variants), AWS Lambda base images for Node.js (public.ecr.aws/lambda/nodejs); reviewed 2026-12-02"

// Tri is a yes/no/unknown fact.
type Tri int

const (
	Unknown Tri = iota
	Yes
	No
)

// Variant is a Node image variant.
type Variant string

const (
	VariantFull       Variant = "full"       // node:22, node:22-bookworm
	VariantSlim       Variant = "slim"       // node:22-slim, node:22-bookworm-slim
	VariantAlpine     Variant = "alpine"     // node:22-alpine
	VariantDistroless Variant = "distroless" // gcr.io/distroless/nodejs22-debian12
	VariantChainguard Variant = "chainguard" // cgr.dev/chainguard/node
	VariantHardened   Variant = "hardened"   // dhi.io/node (Docker Hardened Images)
	VariantWindows    Variant = "windows"    // node:*-nanoserver, *-windowsservercore
	VariantOther      Variant = "other"      // another image that ships Node (cimg/node, *-node)
)

// ImageFacts is what seaworthy knows about a base image.
type ImageFacts struct {
	Node    bool
	Variant Variant
	// NodeMajor is the Node major of the tag; 0 when the tag does not say
	// (node:lts, node:current, node:latest, codenames resolve to 0 too
	// unless the codename is known).
	NodeMajor int
	Shell     Tri
	Curl      Tri
	Wget      Tri
	// NonRootDefault is set when the image's default user is not root:
	// distroless `:nonroot` and `:debug-nonroot` tags (uid 65532), every
	// Chainguard node tag (the node user, uid 65532; the -dev variants
	// too). The official node image runs as root by default: its node
	// user exists but USER must select it.
	NonRootDefault bool
	// Platform names the service that runs containers of the image
	// itself and does its own health checking, so a HEALTHCHECK is
	// ignored: "AWS Lambda" for Lambda's base images, which Lambda runs
	// as its own non-root user whatever USER says.
	Platform string
}

var (
	nodeVersionTag = regexp.MustCompile(`^v?(\d+)(\.\d+){0,2}$`)
	distrolessRepo = regexp.MustCompile(`^distroless/nodejs(\d*)(-debian\d+)?$`)
	// distrolessAny is any distroless image (static, base, cc, java, ...):
	// not a Node image, but its user follows the same tags.
	distrolessAny = regexp.MustCompile(`^distroless/[a-z0-9._-]+$`)
)

// codenames maps LTS codenames, which node images also use as tags.
var codenames = map[string]int{
	"argon": 4, "boron": 6, "carbon": 8, "dubnium": 10, "erbium": 12, "fermium": 14,
	"gallium": 16, "hydrogen": 18, "iron": 20, "jod": 22, "krypton": 24,
}

// LookupImage classifies a base image by registry, repository and tag. ok is
// false for images seaworthy knows nothing about.
func LookupImage(registry, repository, tag string) (ImageFacts, bool) {
	tag = strings.ToLower(tag)
	switch {
	case registry == "" && repository == "node":
		return officialNode(tag), true
	case registry == "gcr.io" && distrolessRepo.MatchString(repository):
		m := distrolessRepo.FindStringSubmatch(repository)
		f := ImageFacts{Node: true, Variant: VariantDistroless, Shell: No, Curl: No, Wget: No}
		f.NodeMajor, _ = strconv.Atoi(m[1])
		if strings.Contains(tag, "debug") {
			f.Shell, f.Wget = Yes, Yes // busybox
		}
		f.NonRootDefault = strings.Contains(tag, "nonroot")
		return f, true
	case registry == "gcr.io" && distrolessAny.MatchString(repository):
		// Another distroless image (static-debian12 runs a bundled
		// executable): no Node, no shell, no curl, no wget.
		f := ImageFacts{Variant: VariantDistroless, Shell: No, Curl: No, Wget: No}
		if strings.Contains(tag, "debug") {
			f.Shell, f.Wget = Yes, Yes // busybox
		}
		f.NonRootDefault = strings.Contains(tag, "nonroot")
		return f, true
	case registry == "dhi.io" && repository == "node":
		// Docker Hardened Images: runtime variants run as a non-root user
		// with no shell and no package manager; `-dev` variants are for
		// build stages and run as root with a shell.
		f := ImageFacts{Node: true, Variant: VariantHardened, Shell: No, Curl: No, Wget: No, NonRootDefault: true}
		digits := len(tag) - len(strings.TrimLeft(tag, "0123456789"))
		if digits > 0 {
			f.NodeMajor, _ = strconv.Atoi(tag[:digits])
		}
		if strings.Contains(tag, "-dev") || tag == "dev" {
			f.Shell, f.Curl, f.Wget, f.NonRootDefault = Yes, Unknown, Unknown, false
		}
		return f, true
	case registry == "public.ecr.aws" && repository == "lambda/nodejs",
		registry == "" && repository == "amazon/aws-lambda-nodejs":
		f := ImageFacts{Node: true, Variant: VariantOther, Shell: Yes, Curl: Yes, Wget: Unknown, NonRootDefault: true, Platform: "AWS Lambda"}
		digits := len(tag) - len(strings.TrimLeft(tag, "0123456789"))
		if digits > 0 {
			f.NodeMajor, _ = strconv.Atoi(tag[:digits])
		}
		return f, true
	case registry == "cgr.dev" && strings.HasSuffix(repository, "/node"):
		f := ImageFacts{Node: true, Variant: VariantChainguard, Shell: No, Curl: No, Wget: No, NonRootDefault: true}
		if strings.Contains(tag, "dev") {
			f.Shell, f.Curl, f.Wget = Yes, Unknown, Unknown
		}
		return f, true
	}
	base := repository
	if i := strings.LastIndex(base, "/"); i >= 0 {
		base = base[i+1:]
	}
	if base == "node" || strings.HasSuffix(base, "-node") || base == "nodejs" {
		f := ImageFacts{Node: true, Variant: VariantOther}
		digits := len(tag) - len(strings.TrimLeft(tag, "0123456789"))
		if digits > 0 {
			f.NodeMajor, _ = strconv.Atoi(tag[:digits])
		}
		return f, true
	}
	return ImageFacts{}, false
}

func officialNode(tag string) ImageFacts {
	f := ImageFacts{Node: true}
	if tag == "" {
		tag = "latest"
	}
	parts := strings.Split(tag, "-")
	version := parts[0]
	if m := nodeVersionTag.FindStringSubmatch(version); m != nil {
		f.NodeMajor, _ = strconv.Atoi(m[1])
	} else if major, ok := codenames[version]; ok {
		f.NodeMajor = major
	}
	rest := strings.Join(parts[1:], "-")
	if f.NodeMajor == 0 && version != "lts" && version != "current" && version != "latest" && codenames[version] == 0 {
		// A variant-only tag: node:alpine, node:slim, node:bookworm.
		rest = tag
	}
	switch {
	case strings.Contains(rest, "alpine"):
		f.Variant, f.Shell, f.Curl, f.Wget = VariantAlpine, Yes, No, Yes
	case strings.Contains(rest, "slim"):
		f.Variant, f.Shell, f.Curl, f.Wget = VariantSlim, Yes, No, No
	case strings.Contains(rest, "nanoserver") || strings.Contains(rest, "windowsservercore"):
		f.Variant, f.Shell, f.Curl, f.Wget = VariantWindows, Unknown, Unknown, Unknown
	default:
		f.Variant, f.Shell, f.Curl, f.Wget = VariantFull, Yes, Yes, Yes
	}
	return f
}
