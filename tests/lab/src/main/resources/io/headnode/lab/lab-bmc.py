#!/usr/bin/python3
"""headnode lab: the IPMI BMC of one lab node (a libvirt domain), so the head node powers it as it would bare metal.

pyghmi's BMC (IPMI 2.0 over LAN, RMCP+ cipher suite 3) and its virshbmc's libvirt binding (python3-pyghmi and
python3-libvirt, Debian packages), plus what the head node's IPMI driver asks for that virshbmc lacks: power cycle
and the boot device. The user and password come from a file (0600), never from the command line.

Usage: lab-bmc.py --connect URI --domain NAME --port PORT --auth-file FILE   (FILE: one line "user password")
Run by headnode lab inside the lab's network namespace, stopped by PID.
"""
import argparse
import sys
import threading

import libvirt
from pyghmi.cmd.virshbmc import LibvirtBmc


class LabBmc(LibvirtBmc):
    """Every chassis command it carries out is logged (stdout goes to <lab dir>/bmc/nodeN.log), like a BMC's event log."""

    # On when on and off when off succeed, as on a real BMC (virshbmc refuses them): ipmitool resends a request whose
    # answer was late, and pyghmi carries out the copy too.
    def power_on(self):
        return self._logged('power on', lambda: None if self.domain.isActive() else self.domain.create())

    def power_off(self):
        return self._logged('power off', lambda: None if not self.domain.isActive() else self.domain.destroy())

    def power_reset(self):
        return self._logged('power reset', super().power_reset)

    def power_cycle(self):
        def cycle():
            if self.domain.isActive():
                self.domain.destroy()
            self.domain.create()
        return self._logged('power cycle', cycle)

    def get_boot_device(self):
        # the lab node's domain boots from the network first, then its disk
        return 'network'

    def set_boot_device(self, bootdevice):
        print('lab-bmc: %s: boot device %s requested' % (self.name, bootdevice), flush=True)
        if bootdevice != 'network':
            raise NotImplementedError  # answered with "invalid command": the boot order is fixed

    def _logged(self, what, action):
        """Runs action (libvirt calls return 0, pyghmi's a completion code or None) and logs what the BMC answers."""
        rc = action() or None
        print('lab-bmc: %s: %s%s' % (self.name, what, '' if rc is None else ' refused (0x%02x)' % rc), flush=True)
        return rc


def run_libvirt_events():
    while True:
        libvirt.virEventRunDefaultImpl()


def main():
    parser = argparse.ArgumentParser(prog='lab-bmc.py', description=__doc__.splitlines()[0])
    parser.add_argument('--connect', required=True)
    parser.add_argument('--domain', required=True)
    parser.add_argument('--port', type=int, required=True)
    parser.add_argument('--auth-file', required=True)
    args = parser.parse_args()
    with open(args.auth_file, encoding='utf-8') as f:
        user, password = f.readline().split()
    libvirt.virEventRegisterDefaultImpl()
    libvirt.registerErrorHandler(lambda unused, error: None, None)
    bmc = LabBmc({user: password}, hypervisor=args.connect, domain=args.domain, port=args.port)
    # libvirt's event loop must run, or libvirtd's keepalive probes go unanswered and it drops the connection
    threading.Thread(target=run_libvirt_events, name='libvirt-events', daemon=True).start()
    print('lab-bmc: %s on udp/%d' % (args.domain, args.port), flush=True)
    bmc.listen()


if __name__ == '__main__':
    sys.exit(main())
