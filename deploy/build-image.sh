#!/usr/bin/env bash
# Build the dashboard's container image from the repository's Dockerfile, unchanged.
#
#   deploy/build-image.sh [--engine auto|docker|podman] [--tag NAME] [--standin] [--rebuild-base]
#
#   --standin       podman: build on the Debian stand-in without trying to pull the pinned base
#   --rebuild-base  podman: bootstrap the stand-in again (Debian's latest security updates)
#
# docker  Plain `docker build` on the Dockerfile's pinned python:3.11-slim, where a Docker
#         engine answers and that base image is present or can be pulled.
# podman  Everywhere else (what `auto` picks when docker cannot build, and what CI tests).
#         Debian packages only: apt-get install -y podman runc mmdebstrap (run as root).
#         When the pinned base cannot be pulled (no image registry in reach), a stand-in for
#         python:3.11-slim is bootstrapped from Debian bookworm with mmdebstrap (Python 3.11,
#         pip, venv, CA certificates), imported as localhost/batken-python-base:3.11-bookworm
#         and given to the Dockerfile as --build-arg BASE_IMAGE.
#
# Environment: BASE_IMAGE (use this base, skip the search), DEBIAN_MIRROR and
# DEBIAN_SECURITY_MIRROR (for mmdebstrap), PODMAN_RUNTIME (default: runc when installed),
# CONTAINERS_CONF (default: a file with `default_ulimits = []`), BUILD_CA_BUNDLE (host CA
# bundle mounted read-only into the podman build, for TLS-intercepting proxies; default the
# host's /etc/ssl/certs/ca-certificates.crt, empty to disable).
# Why each step is there, and what the image measures: docs/hosting.md.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
engine=auto
tag=batken-dashboard
force_standin=0
rebuild_base=0
STANDIN=localhost/batken-python-base:3.11-bookworm
PINNED="$(sed -n 's/^ARG BASE_IMAGE=//p' "$root/Dockerfile" | head -n 1)"

say() { printf '[build-image] %s\n' "$*" >&2; }
die() { say "ERROR: $*"; exit 1; }
usage() { sed -n '2,23p' "$0" | sed 's/^# \{0,1\}//'; }

while [ $# -gt 0 ]; do
  case "$1" in
    --engine) engine="${2:?--engine needs auto, docker or podman}"; shift 2 ;;
    --tag|-t) tag="${2:?--tag needs a name}"; shift 2 ;;
    --standin) force_standin=1; shift ;;
    --rebuild-base) rebuild_base=1; force_standin=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
  esac
done
[ -n "$PINNED" ] || die "no 'ARG BASE_IMAGE=' line in $root/Dockerfile"

# --- docker: the plain path, where an engine and the official base image are available ----
docker_can_build() {
  command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1 || return 1
  [ -n "${BASE_IMAGE:-}" ] && return 0
  docker image inspect "$PINNED" >/dev/null 2>&1 || timeout 300 docker pull -q "$PINNED" >/dev/null
}

build_with_docker() {
  command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1 \
    || die "no Docker engine answers here (docker info fails): try --engine podman"
  local args=()
  [ -n "${BASE_IMAGE:-}" ] && args+=(--build-arg "BASE_IMAGE=$BASE_IMAGE")
  say "docker build -t $tag ${args[*]} $root"
  local t0=$SECONDS
  docker build "${args[@]}" -t "$tag" "$root"
  say "built $tag in $((SECONDS - t0)) s; size: $(docker image inspect --format '{{.Size}}' "$tag") bytes"
  say "run: docker run --rm -p 8080:8080 -e PORT=8080 $tag"
}

# --- podman: Debian packages only, no registry needed ---------------------------------------
podman_setup() {
  command -v podman >/dev/null 2>&1 \
    || die "podman is not installed: apt-get install -y podman runc mmdebstrap"
  # runc: crun refuses hosts with hybrid cgroups ("cgroups in hybrid mode not supported");
  # runc runs on them and everywhere else.
  runtime="${PODMAN_RUNTIME:-$(command -v runc || { [ -x /usr/sbin/runc ] && echo /usr/sbin/runc; } || true)}"
  P=(podman)
  [ -n "$runtime" ] && P+=(--runtime "$runtime")
  # Podman's default ulimits (nofile) cannot be set inside an unprivileged or nested
  # container ("error setting rlimit type 7"); an empty list keeps the host's limits.
  if [ -z "${CONTAINERS_CONF:-}" ]; then
    CONTAINERS_CONF="${TMPDIR:-/tmp}/batken-image/containers.conf"
    mkdir -p "$(dirname "$CONTAINERS_CONF")"
    printf '[containers]\ndefault_ulimits = []\n' >"$CONTAINERS_CONF"
  fi
  export CONTAINERS_CONF
}

bootstrap_standin() {
  if [ "$rebuild_base" = 0 ] && podman image exists "$STANDIN"; then
    say "reusing the stand-in base $STANDIN (--rebuild-base to make it again)"
    return
  fi
  command -v mmdebstrap >/dev/null 2>&1 \
    || die "mmdebstrap is not installed: apt-get install -y podman runc mmdebstrap"
  local mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
  local security="${DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}"
  local work t0=$SECONDS
  work="$(mktemp -d)"
  # shellcheck disable=SC2064  # expand $work now
  trap "rm -rf '$work'" EXIT
  say "bootstrapping a stand-in for python:3.11-slim from Debian bookworm ($mirror)"
  # python-is-python3 gives /usr/bin/python; python3-pip gives /usr/bin/pip. Docs, man pages
  # and translations are left out, as in the official slim image.
  mmdebstrap --variant=minbase --quiet \
    --include=python3,python3-pip,python3-venv,python-is-python3,ca-certificates \
    --dpkgopt='path-exclude=/usr/share/doc/*' \
    --dpkgopt='path-include=/usr/share/doc/*/copyright' \
    --dpkgopt='path-exclude=/usr/share/man/*' \
    --dpkgopt='path-exclude=/usr/share/info/*' \
    --dpkgopt='path-exclude=/usr/share/locale/*' \
    bookworm "$work/base.tar" \
    "deb $mirror bookworm main" \
    "deb $mirror bookworm-updates main" \
    "deb $security bookworm-security main" </dev/null
  # Debian marks its Python "externally managed"; in an image pip owns /usr/local.
  "${P[@]}" import --quiet \
    --change 'ENV PIP_BREAK_SYSTEM_PACKAGES=1' \
    --change 'ENV LANG=C.UTF-8' \
    --change 'CMD ["python3"]' \
    "$work/base.tar" "$STANDIN" >/dev/null
  rm -rf "$work"
  trap - EXIT
  "${P[@]}" run --rm "$STANDIN" sh -c 'python --version && pip --version' >&2 \
    || die "the stand-in base $STANDIN does not run python and pip"
  say "stand-in base $STANDIN ready in $((SECONDS - t0)) s"
}

build_with_podman() {
  podman_setup
  local args=(--pull=never --format docker) base="$PINNED"
  if [ -n "${BASE_IMAGE:-}" ]; then
    base="$BASE_IMAGE"
  elif [ "$force_standin" = 0 ] && { podman image exists "$PINNED" \
      || timeout 120 podman pull -q "$PINNED" >/dev/null 2>&1; }; then
    base="$PINNED"
  else
    [ "$force_standin" = 1 ] || say "cannot pull $PINNED (no registry in reach?): using a Debian stand-in"
    bootstrap_standin
    base="$STANDIN"
  fi
  [ "$base" = "$PINNED" ] || args+=(--build-arg "BASE_IMAGE=$base")
  # Behind a TLS-intercepting proxy pip needs the host's CA bundle: mounted read-only for the
  # build's RUN steps only, never copied into the image. (Debian's pip, in the stand-in, reads
  # the system bundle.)
  local ca="${BUILD_CA_BUNDLE-/etc/ssl/certs/ca-certificates.crt}"
  [ -n "$ca" ] && [ -f "$ca" ] && args+=(-v "$ca:/etc/ssl/certs/ca-certificates.crt:ro")
  say "podman build ${args[*]} -t $tag (base $base, CONTAINERS_CONF=$CONTAINERS_CONF${runtime:+, runtime $runtime})"
  local t0=$SECONDS
  "${P[@]}" build "${args[@]}" -t "$tag" -f "$root/Dockerfile" "$root"
  local size
  size="$("${P[@]}" image inspect --format '{{.Size}}' "$tag")"
  say "built $tag in $((SECONDS - t0)) s; size $((size / 1000000)) MB"
  say "run: CONTAINERS_CONF=$CONTAINERS_CONF ${P[*]} run --rm -p 8080:8080 -e PORT=8080 $tag"
}

case "$engine" in
  docker) build_with_docker ;;
  podman) build_with_podman ;;
  auto)
    if docker_can_build; then
      build_with_docker
    else
      say "no Docker engine with the pinned base image: building with podman"
      build_with_podman
    fi
    ;;
  *) die "--engine must be auto, docker or podman, not '$engine'" ;;
esac
