# The two commands a newcomer needs: `make run` and `make test`.
GO   ?= go
TAGS := -tags duckdb_arrow

.PHONY: run test build vet deps bench

## run: build every output table from the bundled demo data into ./out
run:
	$(GO) run $(TAGS) ./cmd/journey run

## test: install what the tests need, then vet and run every test
test: deps vet
	$(GO) test $(TAGS) -count=1 -timeout 20m ./...

vet:
	@test -z "$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))" || { gofmt -l .; echo "gofmt: files above need formatting"; exit 1; }
	$(GO) vet $(TAGS) ./...

## deps: install the system packages the tests use, when missing
deps:
	@bash scripts/install-test-deps.sh

## bench: generate a data set (cached under ~/.cache/journey/bench) and time
## the pipeline on it: make bench TIER=small|medium|large, or CUSTOMERS=N;
## FORMAT=demo|csv|ndjson|parquet; BENCH_FLAGS="--repeat 3 --memory-limit 2GB --json"
TIER   ?= small
FORMAT ?= demo
bench: build
	./bin/journey bench $(if $(CUSTOMERS),--customers $(CUSTOMERS),--tier $(TIER)) --format $(FORMAT) $(BENCH_FLAGS)

## build: the journey binary into ./bin
build:
	$(GO) build $(TAGS) -o bin/journey ./cmd/journey
