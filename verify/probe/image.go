package probe

import (
	"archive/tar"
	"debug/elf"
	"fmt"
	"io"
	"os"
	"strings"
)

// ImageChanges are the Dockerfile instructions of the prober image: it
// runs `seaworthy __probe idle` as nobody.
func ImageChanges() []string {
	return []string{
		`ENTRYPOINT ["/seaworthy", "` + Command + `"]`,
		`CMD ["idle"]`,
		`USER 65534:65534`,
	}
}

// Rootfs is the prober image's root filesystem as a tar stream:
// seaworthy's own binary bin at /seaworthy and nothing else (no base
// image). bin must be a static Linux executable for the engine's
// architecture arch ("x86_64", "aarch64", ...). Close the stream when done
// with it.
func Rootfs(bin, arch string) (io.ReadCloser, error) {
	if err := checkStatic(bin, arch); err != nil {
		return nil, err
	}
	f, err := os.Open(bin)
	if err != nil {
		return nil, fmt.Errorf("prober binary: %w", err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("prober binary: %w", err)
	}
	pr, pw := io.Pipe()
	go func() {
		defer f.Close()
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
	return pr, nil
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
