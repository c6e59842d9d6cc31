package probe

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"
)

// Command is the hidden seaworthy command the prober container runs.
const Command = "__probe"

// ServeCommand is the command verify execs in a running prober container
// to talk to it (Serve; the container's main process idles).
func ServeCommand() []string { return []string{"/seaworthy", Command, "serve"} }

// Main is `seaworthy __probe`, what the prober container runs: "idle" (its
// main process) waits for a signal; "serve" answers probe requests read
// from stdin until stdin closes. It returns the exit code.
func Main(args []string, stdin io.Reader, stdout io.Writer) int {
	if len(args) == 0 || args[0] == "idle" {
		ch := make(chan os.Signal, 1)
		signal.Notify(ch, syscall.SIGTERM, syscall.SIGINT)
		<-ch
		return 0
	}
	if args[0] != "serve" {
		fmt.Fprintln(stdout, "usage: seaworthy "+Command+" idle|serve")
		return 2
	}
	Serve(stdin, stdout)
	return 0
}

// Serve answers the requests read from stdin on stdout, each as soon as it
// is done, until stdin closes and every request is answered.
func Serve(stdin io.Reader, stdout io.Writer) {
	var mu sync.Mutex
	say := func(id int, body string) {
		mu.Lock()
		io.WriteString(stdout, replyLine(id, body))
		mu.Unlock()
	}
	sc := bufio.NewScanner(stdin)
	var wg sync.WaitGroup
	for sc.Scan() {
		q, ok := parseRequest(sc.Text())
		if !ok {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			var res Result
			switch q.Verb {
			case verbGet:
				var once sync.Once
				res = get(context.Background(), q.Arg, q.Timeout, func() { once.Do(func() { say(q.ID, sentBody) }) })
			case verbDial:
				t0 := time.Now()
				if err := (Host{}).Dial(context.Background(), q.Arg, q.Timeout); err != nil {
					res.Err = describe(err, q.Timeout)
				}
				res.Took = time.Since(t0)
			default:
				res.Err = "unknown probe " + q.Verb
			}
			say(q.ID, resultBody(res))
		}()
	}
	wg.Wait()
}
