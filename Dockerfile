# syntax=docker/dockerfile:1
#
# The journey binary in a small Debian image. DuckDB is linked in through
# cgo, so the build needs gcc/g++ (present in golang:*-bookworm) and, like
# every go command in this repository, the duckdb_arrow build tag.
#
#   docker build --build-arg VERSION=$(git describe --tags --always --dirty) -t journey .
#
# The builder's Go (major.minor) must match the go line of go.mod;
# deploy/deploy_test.go checks it. The image sets GOTOOLCHAIN=local, so a
# 1.26 image older than go.mod's patch release fails instead of downloading.

FROM golang:1.26-bookworm AS build
WORKDIR /src

# Modules first, as their own layer: it is rebuilt only when go.mod or go.sum change.
COPY go.mod go.sum ./
RUN go mod download && go mod verify

COPY . .
ARG VERSION=dev
# The build cache survives between builds (BuildKit); the first build
# compiles the DuckDB bindings and takes a few minutes.
RUN --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=1 go build -tags duckdb_arrow -trimpath \
      -ldflags "-s -w -X github.com/journeydata/journey/cmd/journey/cli.Version=${VERSION}" \
      -o /journey ./cmd/journey

FROM debian:bookworm-slim

# ca-certificates for GCS and PostgreSQL over TLS, tzdata for the business
# time zone, libstdc++6 for the DuckDB C++ library linked into the binary.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates tzdata libstdc++6 \
 && rm -rf /var/lib/apt/lists/*

# A non-root user and its work folder. /var/tmp/journey is where the example
# configurations put work_dir: DuckDB's spill files, downloaded gs:// source
# objects and staged Parquet live there during a run. Mount a volume sized
# for that over it (an emptyDir on Kubernetes, an in-memory volume on Cloud Run).
RUN groupadd --system --gid 10001 journey \
 && useradd --system --uid 10001 --gid journey --home-dir /var/lib/journey \
      --create-home --shell /usr/sbin/nologin journey \
 && install -d -o journey -g journey -m 0750 /var/tmp/journey

COPY --from=build /journey /usr/local/bin/journey

# The Go side's temporary files (os.TempDir) go to the same writable folder,
# so the root file system can be mounted read-only.
ENV TMPDIR=/var/tmp/journey
WORKDIR /var/lib/journey
USER 10001:10001

ENTRYPOINT ["/usr/local/bin/journey"]
CMD ["help"]
