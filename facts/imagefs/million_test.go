package imagefs

import (
	"archive/tar"
	"context"
	"fmt"
	"io"
	"runtime"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/seaworthy-dev/seaworthy/source/image"
)

// streamedLayer is a layer of files entries generated on the fly through
// an io.Pipe: nothing on disk, nothing held in memory but the tar writer.
func streamedLayer(files int) image.Layer {
	return image.Layer{Digest: "sha256:" + fmt.Sprintf("%064d", files), Stored: -1, Open: func() (io.ReadCloser, error) {
		pr, pw := io.Pipe()
		go func() {
			tw := tar.NewWriter(pw)
			var err error
			data := []byte("module.exports = 1\n")
			for i := 0; i < files && err == nil; i++ {
				if i%1000 == 0 {
					err = tw.WriteHeader(&tar.Header{Name: fmt.Sprintf("app/node_modules/pkg%04d/", i/1000), Typeflag: tar.TypeDir, Mode: 0o755})
					if err != nil {
						break
					}
				}
				err = tw.WriteHeader(&tar.Header{Name: fmt.Sprintf("app/node_modules/pkg%04d/lib/file%04d.js", i/1000, i%1000), Typeflag: tar.TypeReg, Mode: 0o644, Size: int64(len(data))})
				if err == nil {
					_, err = tw.Write(data)
				}
			}
			if err == nil {
				err = tw.Close()
			}
			pw.CloseWithError(err)
		}()
		return pr, nil
	}}
}

// heapPeak samples HeapInuse until stop is closed and returns the largest.
func heapPeak(stop <-chan struct{}) <-chan uint64 {
	out := make(chan uint64, 1)
	go func() {
		var peak uint64
		var ms runtime.MemStats
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapInuse)
			select {
			case <-stop:
				out <- peak
				return
			case <-tick.C:
			}
		}
	}()
	return out
}

// TestMillionEntries streams a layer of a million entries. The audit
// keeps one record per entry (path, size, mode, owner, the merged tree's
// node), never file data, so memory grows with the entry count, which
// maxEntries caps, and not with the bytes: measured here ~250 B an entry
// live once merged, and up to twice that in use at the peak (the
// garbage collector lets the heap grow to twice the live data before it
// collects, and the entry slice is copied as it grows). The bounds, 640 B
// an entry at the peak and 384 B live, leave room for that and fail if
// the walk starts keeping per-entry buffers or file data (64 KiB an entry
// would be 61 GiB here).
func TestMillionEntries(t *testing.T) {
	if testing.Short() {
		t.Skip("streams a million tar entries")
	}
	const files = 1_000_000
	const entries = files + files/1000 // and a directory per 1,000 files
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := ms.HeapInuse
	stop := make(chan struct{})
	peak := heapPeak(stop)
	src := &image.Image{Ref: "million.tar", Config: &v1.ConfigFile{}, Layers: []image.Layer{streamedLayer(files)}}
	start := time.Now()
	img, err := Read(context.Background(), src, Options{})
	close(stop)
	p := <-peak - base
	if err != nil {
		t.Fatal(err)
	}
	took := time.Since(start)
	runtime.GC()
	runtime.ReadMemStats(&ms)
	live := ms.HeapInuse - base
	t.Logf("%d entries in %v: peak heap in use %d MiB (%d B an entry), live after GC %d MiB (%d B an entry)",
		img.Layers[0].Entries, took, p>>20, p/entries, live>>20, live/entries)
	if img.Layers[0].Entries != entries || img.Files != entries {
		t.Errorf("%d entries, %d files in the final filesystem", img.Layers[0].Entries, img.Files)
	}
	if p > 640*entries {
		t.Errorf("peak heap in use %d MiB, want under %d MiB (640 B an entry)", p>>20, 640*entries>>20)
	}
	if live > 384*entries {
		t.Errorf("live heap %d MiB, want under %d MiB (384 B an entry)", live>>20, 384*entries>>20)
	}
	runtime.KeepAlive(img)
}

// TestEntryCap: a layer with more entries than maxEntries is refused with
// an error that names the layer and the cap (lowered here from 4 Mi so
// that the test streams 10,000 entries, not 4 million).
func TestEntryCap(t *testing.T) {
	defer func(n int) { maxEntries = n }(maxEntries)
	maxEntries = 10_000
	src := &image.Image{Ref: "huge.tar", Config: &v1.ConfigFile{}, Layers: []image.Layer{streamedLayer(maxEntries)}}
	_, err := Read(context.Background(), src, Options{})
	want := fmt.Sprintf("layer 1 (%s): more than 10000 entries", src.Layers[0].Digest)
	if err == nil || err.Error() != want {
		t.Fatalf("error %v, want %q", err, want)
	}
}
