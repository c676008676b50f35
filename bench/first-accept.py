#!/usr/bin/env python3
"""Start-up time to the first accepted connection, for one or more sidecar binaries, A/B interleaved.

    first-accept.py STARTS LABEL=BINARY [LABEL=BINARY...]

Each start: fresh loopback ports in PORTAL_LISTEN_PORT, BACKEND_LISTEN_PORT and MANAGEMENT_PORT (the rest of the
environment is inherited), the clock starts just before the fork, then both forwarding ports are poll-connected in a
tight loop (a refused loopback connect returns at once; 0.2 ms pause between rounds) until each accepts a TCP
connection; bounded at 10 s. The process is then stopped by its PID (SIGTERM, SIGKILL after 10 s).
Prints one line per binary: "LABEL median_ms min_ms max_ms n" and, on stderr, every sample.
"""
import os
import socket
import statistics
import subprocess
import sys
import time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def accepts(port):
    with socket.socket() as s:
        try:
            s.connect(("127.0.0.1", port))
            return True
        except OSError:
            return False


def one_start(binary):
    portal, backend, management = free_port(), free_port(), free_port()
    env = dict(os.environ, PORTAL_LISTEN_PORT=str(portal), BACKEND_LISTEN_PORT=str(backend),
               MANAGEMENT_PORT=str(management))
    started = time.perf_counter()
    process = subprocess.Popen([binary], env=env, stdin=subprocess.DEVNULL,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    pending = {portal, backend}
    deadline = started + 10
    elapsed = None
    try:
        while time.perf_counter() < deadline:
            pending = {port for port in pending if not accepts(port)}
            if not pending:
                elapsed = (time.perf_counter() - started) * 1000
                break
            if process.poll() is not None:
                break
            time.sleep(0.0002)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    return elapsed


def main():
    starts = int(sys.argv[1])
    binaries = [argument.split("=", 1) for argument in sys.argv[2:]]
    samples = {label: [] for label, _ in binaries}
    for round_number in range(starts):
        order = binaries if round_number % 2 == 0 else list(reversed(binaries))
        for label, binary in order:
            elapsed = one_start(binary)
            print(f"start {label} #{round_number + 1}: "
                  + ("no accept within 10 s" if elapsed is None else f"{elapsed:.1f} ms"), file=sys.stderr)
            if elapsed is not None:
                samples[label].append(elapsed)
            time.sleep(0.2)
    for label, values in samples.items():
        if values:
            print(f"{label} {statistics.median(values):.1f} {min(values):.1f} {max(values):.1f} {len(values)}")
        else:
            print(f"{label} nan nan nan 0")


if __name__ == "__main__":
    main()
