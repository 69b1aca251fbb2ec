#!/usr/bin/env python3
"""The SimPy peer of simulation_bench: scenarios/sim-farm-round-robin.json's workload written in SimPy,
the library a modeller would otherwise use, to compare requests simulated per second.

Four nodes behind a round-robin balancer; users log on evenly over the first hour and then make
requests as a Poisson process (30 an hour). A request goes on the user's open keep-alive connection
(5 requests at most, closed after 120 s idle) or opens a new one on the next node. Each user gets one
service ticket from the KDC on its first connection (a FIFO server at 2,000 requests a second: an AS
and a TGS request) and keeps it for 10 hours; the SPN is registered on web1 only, so only that node
can decrypt it and the other three fail the connection (KRB_AP_ERR_MODIFIED, no NTLM fallback).
Requests, failures and connections are counted.

kerbsim does more per request than this model (it decides each authentication with the tracer from
remembered traces, keeps a latency histogram, a per-interval timeline and per-node counters), so the
comparison favours SimPy.

Prints one line of key=value pairs, the last being requests_per_second. Exits 0 with a message when
SimPy is not installed (Debian: apt-get install python3-simpy3).
"""

import argparse
import random
import sys
import time

try:
    import simpy
except ImportError:
    print("simpy_peer: SimPy is not installed (Debian: apt-get install python3-simpy3); skipped")
    sys.exit(0)
if not hasattr(simpy, "Environment"):
    print("simpy_peer: SimPy %s is too old (needs 3 or later: python3-simpy3); skipped"
          % getattr(simpy, "__version__", "?"))
    sys.exit(0)

NODES = 4
ACCEPTING_NODE = 0  # web1: the only node holding the key the ticket is encrypted with
REQUESTS_PER_HOUR = 30.0
CONNECTION_REUSE = 5
IDLE_TIMEOUT = 120.0  # s
LOGON_SPREAD = 3600.0  # s
TICKET_LIFETIME = 10 * 3600.0  # s
TICKET_SKEW = 300.0  # a ticket counts as expired 5 minutes before its end
KDC_SERVICE = 1.0 / 2000  # s per KDC request


class Farm:
    def __init__(self, env):
        self.env = env
        self.next_node = 0  # round robin
        self.kdc_free = 0.0  # when the KDC finishes the requests queued so far
        self.requests = 0
        self.failed = 0
        self.connections = 0
        self.failed_connections = 0
        self.kdc_requests = 0

    def kdc(self, n):
        """Queues n requests at the KDC; returns how long the client waits."""
        start = max(self.env.now, self.kdc_free)
        self.kdc_free = start + n * KDC_SERVICE
        self.kdc_requests += n
        return self.kdc_free - self.env.now


def user(env, farm, rng, start, duration, mean_think):
    yield env.timeout(start)
    node = None
    left = 0
    last_used = 0.0
    ok = False
    ticket_end = -1.0
    while True:
        now = env.now
        if node is not None and left > 0 and now - last_used <= IDLE_TIMEOUT:
            left -= 1
            last_used = now
            if not ok:  # the connection never authenticated: try again with the cached ticket
                ok = node == ACCEPTING_NODE
        else:
            node = farm.next_node
            farm.next_node = (farm.next_node + 1) % NODES
            if ticket_end - TICKET_SKEW <= now:  # AS for the TGT, TGS for the service ticket
                farm.kdc(2)
                ticket_end = now + TICKET_LIFETIME
            ok = node == ACCEPTING_NODE
            left = CONNECTION_REUSE - 1
            last_used = now
            farm.connections += 1
            if not ok:
                farm.failed_connections += 1
        farm.requests += 1
        if not ok:
            farm.failed += 1
        think = rng.expovariate(1.0 / mean_think) + 1e-6
        if now + think >= duration:
            return
        yield env.timeout(think)


def run(users, hours, seed):
    rng = random.Random(seed)
    duration = hours * 3600.0
    mean_think = 3600.0 / REQUESTS_PER_HOUR
    began = time.perf_counter()
    env = simpy.Environment()
    farm = Farm(env)
    for _ in range(users):
        start = rng.random() * LOGON_SPREAD
        if start < duration:
            env.process(user(env, farm, rng, start, duration, mean_think))
    env.run(until=duration)
    return farm, time.perf_counter() - began


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=10000)
    parser.add_argument("--hours", type=float, default=2.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=1, help="runs; the fastest is reported")
    args = parser.parse_args()
    best = None
    for _ in range(max(1, args.repeat)):
        farm, seconds = run(args.users, args.hours, args.seed)
        if best is None or seconds < best[1]:
            best = (farm, seconds)
    farm, seconds = best
    print("simpy_peer: simpy=%s python=%s users=%d hours=%g requests=%d failed=%d connections=%d "
          "failed_connections=%d kdc_requests=%d seconds=%.3f requests_per_second=%.0f"
          % (simpy.__version__, sys.version.split()[0], args.users, args.hours, farm.requests, farm.failed,
             farm.connections, farm.failed_connections, farm.kdc_requests, seconds, farm.requests / seconds))


if __name__ == "__main__":
    main()
