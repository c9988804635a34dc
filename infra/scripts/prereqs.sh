# Sourced by start.sh and test.sh: makes a fresh Debian/Ubuntu machine with only Node.js 20+ ready.
# Installs the OS packages named in $VOLTMESH_OS_PACKAGES (apt, as root or with passwordless sudo),
# pnpm (globally when it can, else into .data/tools) and the workspace dependencies (frozen lockfile).
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PNPM_VERSION="10.34.9"

say() { printf '\033[1m▸ %s\033[0m\n' "$*"; }
die() { printf '\033[31m✗ %s\033[0m\n' "$*" >&2; exit 1; }

check_node() {
  command -v node >/dev/null || die "Node.js 20.19 or newer is required: https://nodejs.org (or apt-get install nodejs)."
  local major minor
  IFS=. read -r major minor _ <<<"$(node -p 'process.versions.node')"
  if (( major < 20 || (major == 20 && minor < 19) )); then
    die "Node.js $(node -v) is too old: Voltmesh needs 20.19 or newer."
  fi
}

# A package is "present" when its main binary is reachable (Debian puts nats-server in /usr/sbin).
binary_of() {
  case "$1" in
    nats-server) echo nats-server ;;
    chromium) echo chromium ;;
    *) echo "$1" ;;
  esac
}

have_binary() {
  command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ] || [ -x "/usr/bin/$1" ]
}

install_os_packages() {
  local missing=()
  for pkg in ${VOLTMESH_OS_PACKAGES:-}; do
    have_binary "$(binary_of "$pkg")" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
      sudo="sudo"
    else
      die "Missing OS packages: ${missing[*]}. Install them with: sudo apt-get update && sudo apt-get install -y ${missing[*]}"
    fi
  fi
  command -v apt-get >/dev/null || die "Missing OS packages: ${missing[*]}. This is not a Debian/Ubuntu system: install them with your package manager."
  say "installing OS packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

ensure_pnpm() {
  if command -v pnpm >/dev/null && [[ "$(pnpm --version 2>/dev/null)" == 10.* ]]; then return 0; fi
  local tools="$repo_root/.data/tools"
  if [ -x "$tools/node_modules/.bin/pnpm" ]; then
    export PATH="$tools/node_modules/.bin:$PATH"
    return 0
  fi
  say "installing pnpm $PNPM_VERSION"
  if npm install -g --silent "pnpm@$PNPM_VERSION" >/dev/null 2>&1 && command -v pnpm >/dev/null; then return 0; fi
  # No permission for a global install: keep pnpm inside the checkout.
  mkdir -p "$tools"
  npm install --silent --prefix "$tools" "pnpm@$PNPM_VERSION" >/dev/null
  export PATH="$tools/node_modules/.bin:$PATH"
}

install_dependencies() {
  say "installing dependencies (pnpm install --frozen-lockfile)"
  (cd "$repo_root" && pnpm install --frozen-lockfile --reporter=append-only 2>&1 | grep -vE '^(Progress|\s*$)' | tail -n 5)
}

prepare_machine() {
  check_node
  install_os_packages
  ensure_pnpm
  install_dependencies
}
