package crashtest

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// fault is one rule of the proxy: requests of a kind (upload, stat, read,
// list, delete) whose object name contains match fail with status, or are
// held for delay, the first times times (-1: always).
type fault struct {
	kind   string
	match  string
	times  int
	status int
	// delay holds the response: an upload is forwarded first, so that it
	// lands and only its response is late (a lost response); any other
	// request is held before it is forwarded.
	delay time.Duration
	hits  int
}

// proxy stands between journey and fake-gcs-server, injecting faults.
type proxy struct {
	mu       sync.Mutex
	faults   []*fault
	upstream http.Handler
	requests map[string]int // by kind
	uploads  map[string]int // by object name
}

// newProxy serves the proxy on 127.0.0.1 and returns it with its host:port.
func newProxy(t *testing.T, faults ...*fault) (*proxy, string) {
	t.Helper()
	fixtures(t)
	target, err := url.Parse(fix.gcs.URL())
	if err != nil {
		t.Fatal(err)
	}
	p := &proxy{faults: faults, upstream: httputil.NewSingleHostReverseProxy(target),
		requests: map[string]int{}, uploads: map[string]int{}}
	srv := httptest.NewServer(p)
	t.Cleanup(srv.Close)
	return p, strings.TrimPrefix(srv.URL, "http://")
}

// classify names the kind of a JSON API request and the object it concerns.
func classify(r *http.Request) (kind, object string) {
	path := r.URL.Path
	_, obj, hasObj := strings.Cut(path, "/o/")
	switch {
	case r.Method == http.MethodPost && strings.HasPrefix(path, "/upload/"):
		return "upload", r.URL.Query().Get("name")
	case r.Method == http.MethodDelete:
		return "delete", obj
	case r.Method == http.MethodGet && hasObj && r.URL.Query().Get("alt") == "media":
		return "read", obj
	case r.Method == http.MethodGet && hasObj:
		return "stat", obj
	case r.Method == http.MethodGet && strings.HasSuffix(path, "/o"):
		return "list", r.URL.Query().Get("prefix")
	}
	return "other", ""
}

// take returns the fault that applies to the request, if any, and counts it.
func (p *proxy) take(kind, object string) *fault {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.requests[kind]++
	if kind == "upload" {
		p.uploads[object]++
	}
	for _, f := range p.faults {
		if f.kind == kind && strings.Contains(object, f.match) && (f.times < 0 || f.hits < f.times) {
			f.hits++
			return f
		}
	}
	return nil
}

func (p *proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	kind, object := classify(r)
	f := p.take(kind, object)
	switch {
	case f == nil:
		p.upstream.ServeHTTP(w, r)
	case f.status != 0:
		msg := fmt.Sprintf(`{"error":{"code":%d,"message":"injected: %s"}}`, f.status, http.StatusText(f.status))
		http.Error(w, msg, f.status)
	case kind == "upload":
		rec := httptest.NewRecorder()
		p.upstream.ServeHTTP(rec, r)
		hold(r, f.delay)
		copyResponse(w, rec)
	default:
		hold(r, f.delay)
		p.upstream.ServeHTTP(w, r)
	}
}

// hold waits for d or until the client gives up.
func hold(r *http.Request, d time.Duration) {
	select {
	case <-time.After(d):
	case <-r.Context().Done():
	}
}

func copyResponse(w http.ResponseWriter, rec *httptest.ResponseRecorder) {
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.Code)
	_, _ = w.Write(rec.Body.Bytes())
}

// counts returns how many requests of kind were seen, and how often the
// object name was uploaded.
func (p *proxy) counts(kind, object string) (int, int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.requests[kind], p.uploads[object]
}

// proxied makes w's journey processes talk to GCS through p.
func (w *world) proxied(host string) { w.emulator = host }
