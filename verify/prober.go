package verify

import (
	"archive/tar"
	"context"
	"debug/elf"
	"fmt"
	"io"
	"os"
	"strings"
)

// proberImage makes the prober's image: seaworthy's own binary at
// /seaworthy and nothing else (no base image). The binary must be a static
// Linux executable for the engine's architecture.
func (r *runner) proberImage(ctx context.Context, arch string) (string, error) {
	bin := r.opts.ProberBinary
	if err := checkStatic(bin, arch); err != nil {
		return "", err
	}
	f, err := os.Open(bin)
	if err != nil {
		return "", fmt.Errorf("prober binary: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return "", fmt.Errorf("prober binary: %w", err)
	}
	pr, pw := io.Pipe()
	go func() {
		tw := tar.NewWriter(pw)
		err := tw.WriteHeader(&tar.Header{Name: "seaworthy", Mode: 0o755, Size: st.Size(), Typeflag: tar.TypeReg, ModTime: st.ModTime()})
		if err == nil {
			_, err = io.Copy(tw, f)
		}
		if err == nil {
			err = tw.Close()
		}
		pw.CloseWithError(err)
	}()
	changes := []string{
		`ENTRYPOINT ["/seaworthy", "__probe"]`,
		`CMD ["idle"]`,
		`USER 65534:65534`,
	}
	for k, v := range r.labels() {
		changes = append(changes, fmt.Sprintf("LABEL %s=%q", k, v))
	}
	ref := "seaworthy-prober:" + r.id
	id, err := r.eng.ImportImage(ctx, pr, ref, changes)
	if err != nil {
		return "", err
	}
	r.track("image", ref)
	return id, nil
}

// elfMachines maps the engine's architecture names to ELF machines.
var elfMachines = map[string]elf.Machine{
	"x86_64": elf.EM_X86_64, "amd64": elf.EM_X86_64,
	"aarch64": elf.EM_AARCH64, "arm64": elf.EM_AARCH64,
	"armv7l": elf.EM_ARM, "arm": elf.EM_ARM,
	"s390x": elf.EM_S390, "ppc64le": elf.EM_PPC64, "riscv64": elf.EM_RISCV,
}

// checkStatic verifies bin can run FROM scratch on the engine.
func checkStatic(bin, arch string) error {
	const how = "build seaworthy with CGO_ENABLED=0 for the engine's platform, or run verify on the engine's host"
	f, err := elf.Open(bin)
	if err != nil {
		return fmt.Errorf("the prober container needs seaworthy as a static Linux binary, and %s is not one (%v); %s", bin, err, how)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			return fmt.Errorf("the prober container needs seaworthy as a static binary, and %s is dynamically linked; %s", bin, how)
		}
	}
	if want, ok := elfMachines[strings.ToLower(arch)]; ok && f.Machine != want {
		return fmt.Errorf("the prober container needs seaworthy built for the engine's architecture %s, and %s is %s; %s", arch, bin, f.Machine, how)
	}
	return nil
}
