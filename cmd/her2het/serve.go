package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"time"

	"github.com/her2het/her2het/host"
)

func init() {
	register(&command{
		name:    "serve",
		summary: "serve the built web app on this computer (nothing is uploaded anywhere)",
		usage:   "[--addr 127.0.0.1:8080] [--dir dist/web]",
		run:     runServe,
	})
}

func runServe(args []string, stdout, stderr io.Writer) error {
	c := commands["serve"]
	fs := newFlags(c, stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on (loopback keeps the app private to this computer)")
	dir := fs.String("dir", "dist/web", "folder with the built bundle (./build.sh build makes it)")
	if err := parseFlags(c, fs, args, stdout); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q", fs.Arg(0))
	}
	if _, err := os.Stat(filepath.Join(*dir, "index.html")); err != nil {
		return fmt.Errorf("%s: no built app here (index.html missing); run ./build.sh build first", *dir)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("cannot listen on %s: %v", *addr, err)
	}
	srv := &http.Server{Handler: host.Handler(os.DirFS(*dir)), ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(stdout, "her2het is running at http://%s/ (press Ctrl+C to stop)\n", ln.Addr())
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	go func() {
		<-ctx.Done()
		shut, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		srv.Shutdown(shut)
	}()
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
