#!/usr/bin/env bash
# Installs the Debian packages of the security tools the agent inspects, so the real-host test
# (agent/test/real-host.host.test.ts) runs the agent against real files and binaries. Idempotent:
# when everything is installed already it only asks dpkg and apt-cache (about a second).
#
# Installed: clamav (with clamav-daemon, as ClamAV usually runs), fail2ban, ufw, auditd, apparmor
# (with apparmor-utils), unattended-upgrades, certbot, openssh-server, and suricata where this
# distribution offers it, each with its recommended packages, as an administrator installs them.
# Never crowdsec: its post-install registers with its cloud, fails offline, and leaves dpkg
# half-configured. Needs root.
set -euo pipefail

PACKAGES=(clamav clamav-daemon fail2ban ufw auditd apparmor apparmor-utils unattended-upgrades certbot openssh-server)
OPTIONAL=(suricata)
export DEBIAN_FRONTEND=noninteractive

if [[ $(id -u) -ne 0 ]]; then
  echo 'install-host-packages: run as root (it installs Debian packages)' >&2
  exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo 'install-host-packages: needs apt-get (a Debian or Ubuntu machine)' >&2
  exit 1
fi

installed() {
  [[ $(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null) == installed ]]
}

offered() {
  local candidate
  candidate=$(apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/ { print $2; exit }')
  [[ -n $candidate && $candidate != '(none)' ]]
}

missing() {
  local package
  for package in "${PACKAGES[@]}"; do installed "$package" || echo "$package"; done
  for package in "${OPTIONAL[@]}"; do
    if ! installed "$package" && offered "$package"; then echo "$package"; fi
  done
}

mapfile -t wanted < <(missing)
if [[ ${#wanted[@]} -eq 0 ]]; then
  echo 'install-host-packages: everything is installed already.'
  exit 0
fi

# A package the lists do not know (fresh machine, empty /var/lib/apt/lists) needs an update first.
for package in "${wanted[@]}"; do
  if ! offered "$package"; then
    echo 'install-host-packages: refreshing the package lists…'
    apt-get update -qq
    break
  fi
done

# Where systemd does not run (containers, CI), the packages' services are installed but must not
# start: the real-host test expects them stopped, as systemd would leave them on such a machine.
# Without systemd, invoke-rc.d would start them from their init scripts unless policy-rc.d says no.
if [[ ! -d /run/systemd/system && ! -e /usr/sbin/policy-rc.d ]]; then
  printf '#!/bin/sh\n# Temporary, from scripts/install-host-packages.sh: no service starts.\nexit 101\n' >/usr/sbin/policy-rc.d
  chmod 0755 /usr/sbin/policy-rc.d
  trap 'rm -f /usr/sbin/policy-rc.d' EXIT
fi

echo "install-host-packages: installing ${wanted[*]}…"
if ! apt-get install -y -qq "${wanted[@]}" >/dev/null; then
  # Package lists older than the mirror name files it no longer has: refresh once and try again.
  echo 'install-host-packages: retrying after apt-get update…'
  apt-get update -qq
  apt-get install -y -qq "${wanted[@]}" >/dev/null
fi
for package in "${PACKAGES[@]}"; do
  installed "$package" || { echo "install-host-packages: $package did not install" >&2; exit 1; }
done
echo 'install-host-packages: done.'
