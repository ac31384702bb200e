#!/usr/bin/env bash
# Installs everything kiln builds on and its tests use, on Debian or Ubuntu with the Swift 6 toolchain installed:
# the C libraries (libyaml, libcurl with OpenSSL), Debian's docker-registry and htpasswd (the bundle tests start
# their own registries on 127.0.0.1), nghttpd (the HTTP/2 multiplexing test), and the upstream Kubernetes JSON schemas (kubernetes-validate, from PyPI).
# Works as root (no sudo needed, as in a container) and as a user with sudo. Idempotent: installs only what is
# missing. Used by the README's first command and by .ci/run.
set -euo pipefail

packages=(libyaml-dev libcurl4-openssl-dev libssl-dev openssl pkg-config docker-registry apache2-utils nghttp2-server)
SUDO=""
if [ "$(id -u)" != 0 ]; then
  if ! command -v sudo >/dev/null 2>&1; then
    echo "error: not root and no sudo: run this as root, or install: ${packages[*]}" >&2
    exit 1
  fi
  SUDO="sudo"
fi

missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ${missing[*]}" >&2
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
fi

# The render tests validate every object against the upstream Kubernetes schemas (1.31-1.33).
if ! python3 -m kubernetes_validate --version >/dev/null 2>&1; then
  python3 -m pip install --quiet kubernetes-validate 2>/dev/null || python3 -m pip install --quiet --user kubernetes-validate
fi

# kubectl (its built-in kustomize builds the rendered trees) is not a Debian package: say so rather than fail later.
if ! command -v kubectl >/dev/null 2>&1; then
  echo "warning: kubectl is not installed; the render tests need 'kubectl kustomize' (https://kubernetes.io/docs/tasks/tools/)" >&2
fi
